// `import` and snippets: pastes snippet bodies and imported files into the token stream before
// the parser sees it. Design decision: pasted tokens keep the file and line they were written
// at, so an error in an imported file or a snippet names that file and line, not the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { tokenize, type Env, type Token } from './lexer.js';

interface Source {
  /** Identity for cycle detection: an absolute path, or a snippet's name in parentheses. */
  readonly id: string;
  /** How the source is named in a cycle error. */
  readonly name: string;
}

interface Expansion {
  readonly env: Env;
  readonly snippets: Map<string, { readonly body: readonly Token[]; readonly at: Token }>;
}

/** Expands every `import` in `tokens` (lexed from `file`) and removes snippet definitions. */
export function expandImports(tokens: readonly Token[], file: string, env: Env): Token[] {
  return expand(tokens, { env, snippets: new Map() }, [{ id: resolve(file), name: file }], 0);
}

/** A short reason for a failed file read, for messages like "cannot read X: no such file". */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error).message;
}

// `depth` is the brace depth the stream is pasted at: snippets are defined only at the top level.
function expand(tokens: readonly Token[], x: Expansion, stack: readonly Source[], depth: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    const startsLine = token.startsLine || tokens[i - 1]?.kind === 'open';
    if (token.kind === 'word' && startsLine && depth === 0 && isSnippetDefinition(tokens, i)) {
      i = defineSnippet(tokens, i, x);
      continue;
    }
    if (token.kind === 'word' && startsLine && token.text === 'import') {
      const end = endOfLine(tokens, i);
      if (tokens[end]?.kind === 'open') throw new ConfigError('import takes no block', token.file, token.line);
      out.push(...paste(token, tokens.slice(i + 1, end), x, stack, depth));
      i = end;
      continue;
    }
    if (token.kind === 'open') depth++;
    if (token.kind === 'close') depth--;
    out.push(token);
    i++;
  }
  return out;
}

function isSnippetDefinition(tokens: readonly Token[], i: number): boolean {
  const next = tokens[i + 1];
  return /^\(.+\)$/.test(tokens[i]!.text) && next?.kind === 'open' && !next.startsLine;
}

/** Records the snippet whose name is at `i`; returns the index after its closing brace. */
function defineSnippet(tokens: readonly Token[], i: number, x: Expansion): number {
  const at = tokens[i]!;
  const name = at.text.slice(1, -1);
  const earlier = x.snippets.get(name);
  if (earlier) {
    throw new ConfigError(`snippet ${at.text} is already defined at ${earlier.at.file}:${earlier.at.line}`, at.file, at.line);
  }
  let end = i + 2;
  for (let depth = 1; depth > 0; end++) {
    const kind = tokens[end]!.kind;
    if (kind === 'open') depth++;
    if (kind === 'close') depth--;
  }
  x.snippets.set(name, { body: tokens.slice(i + 2, end - 1), at });
  return end;
}

function endOfLine(tokens: readonly Token[], i: number): number {
  let end = i + 1;
  while (tokens[end]?.kind === 'word' && !tokens[end]!.startsLine) end++;
  return end;
}

function paste(at: Token, args: readonly Token[], x: Expansion, stack: readonly Source[], depth: number): Token[] {
  const fail = (message: string) => new ConfigError(message, at.file, at.line);
  if (args.length !== 1) throw fail(`import takes one argument (a snippet name or a file pattern), got ${args.length}`);
  const arg = args[0]!.text;
  const snippet = x.snippets.get(arg);
  if (snippet) return pasteSource({ id: `(${arg})`, name: `(${arg})` }, snippet.body, at, x, stack, depth);

  const pattern = isAbsolute(arg) ? arg : join(dirname(at.file), arg);
  const isGlob = /[*?]/.test(pattern);
  const files = isGlob ? glob(pattern) : [pattern];
  const out: Token[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if (!isGlob && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw fail(`import ${arg}: no snippet of that name and no file ${file}`);
      }
      throw fail(`import ${arg}: cannot read ${file}: ${fsReason(err)}`);
    }
    out.push(...pasteSource({ id: resolve(file), name: file }, tokenize(text, file, x.env), at, x, stack, depth));
  }
  return out;
}

function pasteSource(
  source: Source, tokens: readonly Token[], at: Token, x: Expansion, stack: readonly Source[], depth: number,
): Token[] {
  if (stack.some((s) => s.id === source.id)) {
    const cycle = [...stack, source].map((s) => s.name).join(' -> ');
    throw new ConfigError(`import cycle: ${cycle}`, at.file, at.line);
  }
  // The pasted text takes the place of the import line, so its first token begins a line.
  const lines = tokens.map((t, i) => (i === 0 ? { ...t, startsLine: true } : t));
  return expand(lines, x, [...stack, source], depth);
}

/** Files matching `pattern` (`*` and `?` within one path segment), in lexical order. */
function glob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  let paths = [absolute ? '/' : ''];
  for (const segment of pattern.split('/').filter((s) => s !== '')) {
    if (!/[*?]/.test(segment)) {
      paths = paths.map((p) => join(p, segment));
      continue;
    }
    const matcher = segmentMatcher(segment);
    paths = paths.flatMap((dir) => listDir(dir === '' ? '.' : dir).filter((e) => matcher.test(e)).map((e) => join(dir, e)));
  }
  return paths.filter(isFile);
}

function segmentMatcher(segment: string): RegExp {
  const source = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort(); // Node promises no order; CoreDNS imports in lexical order
  } catch {
    // A directory that does not exist simply has no matches: an empty glob is not an error.
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
