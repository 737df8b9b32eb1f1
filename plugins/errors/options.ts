// The `errors` stanza, as CoreDNS's errors/setup.go reads it: `errors [stdout] { stacktrace;
// consolidate DURATION REGEXP [LEVEL] [show_first] }`, refused with file and line otherwise.
import type { Directive } from '../../src/config/corefile.js';
import { parseDuration } from '../../src/config/duration.js';
import type { ConsolidateRule, Level } from './consolidate.js';

export interface ErrorsOptions {
  /** Log the stack of an exception a plugin throws, besides the server's one-line panic report. */
  stacktrace: boolean;
  consolidate: ConsolidateRule[];
}

/** CoreDNS's limit, which keeps a pathological pattern out of every failed query's path. */
const MAX_REGEXP_LENGTH = 10_000;

/** `warn` is what earlier CoreDNS releases accepted; current ones spell it `warning`. */
const LEVELS: Record<string, Level> = { warning: 'warning', warn: 'warning', error: 'error', info: 'info', debug: 'debug' };

/** Go's RE2 sets flags with a leading group, which JavaScript writes after the pattern instead. */
const LEADING_FLAGS = /^\(\?([ims]+)\)/;
/** RE2 escapes JavaScript would read as plain letters, silently matching something else. */
const RE2_ONLY_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\([AzQ])/;

export function parseOptions(directive: Directive): ErrorsOptions {
  if (directive.args.length > 1) throw directive.error('errors takes at most one argument, stdout');
  const file = directive.args[0];
  if (file !== undefined && file !== 'stdout') throw directive.error(`errors: invalid log file: ${file} (only stdout)`);
  const options: ErrorsOptions = { stacktrace: false, consolidate: [] };
  for (const line of directive.block ?? []) {
    switch (line.name) {
      case 'stacktrace':
      // The name an earlier CoreDNS release gave the option.
      case 'panicRecoveryStacktrace':
        line.expectNoArgs();
        options.stacktrace = true;
        break;
      case 'consolidate':
        options.consolidate.push(consolidateRule(line));
        break;
      default:
        throw line.error(`errors: unknown option '${line.name}' (stacktrace, consolidate)`);
    }
  }
  return options;
}

function consolidateRule(line: Directive): ConsolidateRule {
  const args = [...line.args];
  const showFirst = args.length > 2 && args[args.length - 1] === 'show_first';
  if (showFirst) args.pop();
  if (args.length < 2 || args.length > 3) throw line.error('errors: consolidate takes DURATION REGEXP [LEVEL] [show_first]');
  const [durationText, source, levelText] = args as [string, string, string | undefined];
  const periodMs = parseDuration(durationText);
  if (periodMs === undefined) throw line.error(`errors: consolidate: invalid duration '${durationText}'`);
  if (source.length > MAX_REGEXP_LENGTH) throw line.error(`errors: consolidate: REGEXP longer than ${MAX_REGEXP_LENGTH} characters`);
  const level = levelText === undefined ? 'error' : LEVELS[levelText];
  if (!level) throw line.error(`errors: unknown log level argument in consolidate: ${levelText} (warning, error, info, debug)`);
  return { periodMs, source, pattern: compilePattern(line, source), level, showFirst };
}

function compilePattern(line: Directive, source: string): RegExp {
  const re2 = RE2_ONLY_ESCAPE.exec(source);
  if (re2) throw line.error(`errors: consolidate: REGEXP '${source}' uses \\${re2[1]}, which JavaScript does not have (^ and $ anchor the message)`);
  const flags = LEADING_FLAGS.exec(source);
  try {
    return flags ? new RegExp(source.slice(flags[0].length), flags[1]) : new RegExp(source);
  } catch (err) {
    throw line.error(`errors: consolidate: invalid REGEXP '${source}': ${(err as Error).message}`);
  }
}
