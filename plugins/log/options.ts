// The `log` stanza, as CoreDNS's log/setup.go reads it: `log [NAMES...] [FORMAT] { class CLASSES...;
// minDuration [DURATION] }`, one rule per name, all sharing the stanza's format and block.
import type { Directive } from '../../src/config/corefile.js';
import { parseDuration } from '../../src/config/duration.js';
import type { ResponseClass } from '../../src/dns/classify.js';
import type { Logger } from '../../src/log.js';
import { compileFormat, type Formatter } from './format.js';

export interface Rule {
  /** Lower-case, no trailing dot; '' is the root. */
  readonly name: string;
  /** Undefined: every class (`all`, the default). */
  readonly classes: ReadonlySet<ResponseClass> | undefined;
  /** A reply of another class is logged anyway when it took longer than this; 0 = never. */
  readonly minSeconds: number;
  readonly format: Formatter;
}

const CLASSES = new Set<string>(['all', 'success', 'denial', 'error']);
/** What `minDuration` without a value means in CoreDNS. */
const DEFAULT_MIN_MS = 100;

export function parseRules(directive: Directive, log: Logger): Rule[] {
  const args = [...directive.args];
  // CoreDNS reads a FORMAT only after at least one name; a lone argument is always a name.
  const format = compileFormat(args.length > 1 && args[args.length - 1]!.includes('{') ? args.pop()! : '{common}');
  if (args.length === 1 && args[0]!.includes('{')) {
    log.warn(`${directive.file}:${directive.line}: log: '${args[0]}' is read as a name, as CoreDNS does; write 'log . ${args[0]}' for a format`);
  }
  const names = args.length === 0 ? [''] : args.map((n) => n.toLowerCase().replace(/\.$/, ''));
  let classes: Set<ResponseClass> | undefined = new Set();
  let minSeconds = 0;
  for (const line of directive.block ?? []) {
    switch (line.name) {
      case 'class':
        if (line.args.length === 0) throw line.error('log: class needs at least one of all, success, denial, error');
        for (const c of line.args) {
          if (!CLASSES.has(c)) throw line.error(`log: unknown class '${c}' (all, success, denial, error)`);
          if (c === 'all') classes = undefined;
          else classes?.add(c as ResponseClass);
        }
        break;
      case 'minDuration':
        minSeconds = minDuration(line) / 1000;
        break;
      default:
        throw line.error(`log: unknown option '${line.name}' (class, minDuration)`);
    }
  }
  if (classes?.size === 0) classes = undefined;
  return names.map((name) => ({ name, classes, minSeconds, format }));
}

function minDuration(line: Directive): number {
  if (line.args.length > 1) throw line.error('log: minDuration takes at most one duration');
  if (line.args.length === 0) return DEFAULT_MIN_MS;
  const ms = parseDuration(line.args[0]!);
  if (ms === undefined) throw line.error(`log: illegal duration found: '${line.args[0]}'`);
  return ms;
}
