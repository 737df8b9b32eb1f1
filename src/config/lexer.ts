// Corefile lexer: one file's text becomes words and braces that remember their file and line,
// with {$ENV} substituted. Design decision: brace structure is checked here, so every token
// stream that leaves this module is well-formed (balanced; `{` follows a word on its line; after `}`
// comes a new line or another `}`), and import can paste streams together without re-checking.
import { ConfigError } from '../errors.js';

export type Env = Record<string, string | undefined>;

export interface Token {
  readonly kind: 'word' | 'open' | 'close';
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** True for the first token on a line: a server block's keys or a directive begin here. */
  readonly startsLine: boolean;
}

export function tokenize(text: string, file: string, env: Env): Token[] {
  return checkBraces(substituteEnv(scan(text, file), env));
}

const SPACE = /\s/;

function scan(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let startsLine = true;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      startsLine = true;
      i++;
      continue;
    }
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = line;
    let value = '';
    let kind: Token['kind'] = 'word';
    if (ch === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new ConfigError('unterminated quoted string', file, start);
        const c = text[i]!;
        i++;
        if (c === '"') break;
        // Only \" is an escape (as in CoreDNS), so Windows paths and regexps keep their backslashes.
        if (c === '\\' && text[i] === '"') {
          value += '"';
          i++;
          continue;
        }
        if (c === '\n') line++;
        value += c;
      }
    } else {
      while (i < text.length && !SPACE.test(text[i]!) && text[i] !== '#') value += text[i++];
      if (value === '{') kind = 'open';
      else if (value === '}') kind = 'close';
    }
    tokens.push({ kind, text: value, file, line: start, startsLine });
    startsLine = false;
  }
  return tokens;
}

const ENV_REFERENCE = /\{\$([^}]*)\}|\{%([^}]*?)%\}/g;

// A word that only named an unset variable disappears, as in CoreDNS; if it began a line, the
// next token now does.
function substituteEnv(tokens: Token[], env: Env): Token[] {
  const out: Token[] = [];
  let carryLineStart = false;
  for (const token of tokens) {
    const text = token.kind === 'word'
      ? token.text.replace(ENV_REFERENCE, (_, unix?: string, windows?: string) => env[unix ?? windows ?? ''] ?? '')
      : token.text;
    if (text === '' && token.text !== '') {
      carryLineStart ||= token.startsLine;
      continue;
    }
    out.push({ ...token, text, startsLine: token.startsLine || carryLineStart });
    carryLineStart = false;
  }
  return out;
}

function checkBraces(tokens: Token[]): Token[] {
  const open: Token[] = [];
  tokens.forEach((token, i) => {
    if (token.kind === 'open') {
      if (token.startsLine || tokens[i - 1]!.kind !== 'word') {
        throw new ConfigError(
          open.length === 0
            ? "server block has no keys before '{' (keys and '{' go on one line)"
            : "unexpected '{' (a block opens at the end of its directive's line)",
          token.file, token.line);
      }
      open.push(token);
    } else if (token.kind === 'close') {
      if (open.pop() === undefined) throw new ConfigError("'}' has no matching '{'", token.file, token.line);
      const next = tokens[i + 1];
      if (next !== undefined && !next.startsLine && next.kind !== 'close') {
        throw new ConfigError(`unexpected ${show(next)} after '}'`, next.file, next.line);
      }
    }
  });
  const unclosed = open.pop();
  if (unclosed !== undefined) throw new ConfigError("'{' has no matching '}'", unclosed.file, unclosed.line);
  return tokens;
}

function show(token: Token): string {
  return token.kind === 'word' ? JSON.stringify(token.text) : `'${token.text}'`;
}
