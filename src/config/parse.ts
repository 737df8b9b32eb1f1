// Corefile parser: server blocks with their keys, and directives with arguments and nested
// blocks (the model in corefile.ts). Design decision: the parser knows no directive names; it
// checks only syntax and server keys, and each plugin's setup validates its own directive.
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { reverseZonesOfCidr } from '../dns/names.js';
import { ConfigError } from '../errors.js';
import type { Corefile, Directive, ServerBlock, ServerKey } from './corefile.js';
import { expandImports, fsReason } from './imports.js';
import { tokenize, type Env, type Token } from './lexer.js';

export function parseCorefile(text: string, file: string, env: Env = process.env): Corefile {
  const tokens = expandImports(tokenize(text, file, env), file, env);
  const blocks = serverBlocks(readLines(tokens, { i: 0 }));
  if (blocks.length === 0) throw new ConfigError('no server blocks', file, 1);
  return { file, blocks };
}

export function loadCorefile(path: string, env: Env = process.env): Corefile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${fsReason(err)}`, path);
  }
  return parseCorefile(text, path, env);
}

class ParsedDirective implements Directive {
  constructor(
    readonly name: string,
    readonly args: readonly string[],
    readonly block: readonly Directive[] | undefined,
    readonly file: string,
    readonly line: number,
  ) {}

  error(message: string): ConfigError {
    return new ConfigError(message, this.file, this.line);
  }

  expectNoArgs(): void {
    if (this.args.length > 0) throw this.error(`${this.name} takes no arguments`);
  }

  expectNoBlock(): void {
    if (this.block !== undefined) throw this.error(`${this.name} takes no block`);
  }
}

/** One line of words with the block it opens, before it is known to be keys or a directive. */
interface Line {
  readonly words: readonly Token[];
  readonly block: readonly Line[] | undefined;
}

// The lexer guarantees well-formed braces, so every nested call ends at its own '}'.
function readLines(tokens: readonly Token[], at: { i: number }): Line[] {
  const lines: Line[] = [];
  for (let t = tokens[at.i]; t !== undefined && t.kind !== 'close'; t = tokens[at.i]) {
    const words = [t];
    at.i++;
    while (tokens[at.i]?.kind === 'word' && !tokens[at.i]!.startsLine) words.push(tokens[at.i++]!);
    let block: Line[] | undefined;
    if (tokens[at.i]?.kind === 'open') {
      at.i++;
      block = readLines(tokens, at);
      at.i++;
    }
    lines.push({ words, block });
  }
  return lines;
}

function serverBlocks(lines: readonly Line[]): ServerBlock[] {
  const blocks: ServerBlock[] = [];
  const seen = new Map<string, Token>();
  let words: Token[] = [];
  for (const line of lines) {
    words.push(...line.words);
    if (line.block !== undefined) {
      blocks.push(serverBlock(words, line.block, seen));
      words = [];
    } else if (!line.words.at(-1)!.text.endsWith(',')) {
      const first = words[0]!;
      throw new ConfigError(
        blocks.length === 0
          ? "expected '{' after the server block keys (a trailing ',' continues them on the next line)"
          : `${first.text}: directive outside a server block`,
        first.file, first.line);
    }
  }
  const dangling = words[0];
  if (dangling) throw new ConfigError("expected '{' after the server block keys", dangling.file, dangling.line);
  return blocks;
}

/** `seen` maps each zone and port already served to the key that claimed it, as CoreDNS refuses a second. */
function serverBlock(words: readonly Token[], block: readonly Line[], seen: Map<string, Token>): ServerBlock {
  const keys: ServerKey[] = [];
  for (const word of words) {
    for (const text of word.text.split(',').filter((t) => t !== '')) {
      const key = parseKey(text, word);
      const shown = `${key.zone || '.'}${key.port === undefined ? '' : `:${key.port}`}`;
      const earlier = seen.get(shown);
      if (earlier) {
        throw new ConfigError(`server key ${shown} is already defined at ${earlier.file}:${earlier.line}`, word.file, word.line);
      }
      seen.set(shown, word);
      keys.push(key);
    }
  }
  const first = words[0]!;
  if (keys.length === 0) throw new ConfigError('server block has no keys', first.file, first.line);
  return { keys, directives: block.map(directive), file: first.file, line: first.line };
}

function directive(line: Line): Directive {
  const [name, ...args] = line.words;
  return new ParsedDirective(name!.text, args.map((a) => a.text), line.block?.map(directive), name!.file, name!.line);
}

/** `[dns://]ZONE[:PORT]`, where ZONE may be a CIDR network that stands for its reverse zone. */
function parseKey(text: string, at: Token): ServerKey {
  const fail = (why: string) => new ConfigError(`invalid key ${JSON.stringify(text)}: ${why}`, at.file, at.line);
  let rest = text;
  const scheme = /^([a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'dns') throw fail(`transport ${scheme[1]}:// is not supported, only dns://`);
    rest = rest.slice(scheme[0].length);
  }
  // The port follows the last ':' unless that ':' is inside an IPv6 network, before its '/'.
  const colon = rest.lastIndexOf(':');
  let port: number | undefined;
  if (colon >= 0 && colon > rest.indexOf('/')) {
    const digits = rest.slice(colon + 1);
    port = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
    if (!(port >= 1 && port <= 65535)) throw fail('the port must be a number from 1 to 65535');
    rest = rest.slice(0, colon);
  }
  const zone = rest.includes('/') ? reverseZone(rest, fail) : forwardZone(rest, fail);
  return { zone, port };
}

function forwardZone(host: string, fail: (why: string) => ConfigError): string {
  if (host === '') throw fail('no zone (the root zone is ".")');
  const zone = host.toLowerCase().replace(/\.$/, '');
  if (zone === '') return '';
  if (zone.length > 253) throw fail('the zone is longer than 253 characters');
  for (const label of zone.split('.')) {
    if (label === '') throw fail('the zone has an empty label');
    if (label.length > 63) throw fail(`label ${label} is longer than 63 characters`);
    if (!/^[a-z0-9_-]+$/.test(label)) throw fail(`label ${label} may hold only letters, digits, '-' and '_'`);
  }
  return zone;
}

// Only networks on a label boundary (octets for IPv4, nibbles for IPv6) have one reverse zone.
function reverseZone(cidr: string, fail: (why: string) => ConfigError): string {
  const [address = '', prefix = ''] = cidr.toLowerCase().split('/');
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  const v4 = isIPv4(address);
  if (!v4 && !(isIPv6(address) && !address.includes('%'))) throw fail(`${address} is not an IP address`);
  const [max, step] = v4 ? [32, 8] : [128, 4];
  if (!(bits <= max)) throw fail(`the prefix length must be 0 to ${max}`);
  if (bits % step !== 0) {
    throw fail(`an IPv${v4 ? 4 : 6} reverse zone needs a prefix length that is a multiple of ${step}`);
  }
  return reverseZonesOfCidr(`${address}/${bits}`)![0]!;
}
