// The `errors` stanza: Corefile snippets and the options they give, or the exact start-up error,
// naming file and line (the cases of CoreDNS's errors/setup_test.go among them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { setup } from '../../../plugins/errors/index.js';
import { parseOptions } from '../../../plugins/errors/options.js';
import { setupContext } from '../../support/setup-context.js';
import { directives, FILE } from './harness.js';

interface Rule {
  periodMs: number;
  source: string;
  flags: string;
  level: string;
  showFirst: boolean;
}

function options(stanza: string): { stacktrace: boolean; consolidate: Rule[] } {
  const o = parseOptions(directives(stanza)[0]!);
  return {
    stacktrace: o.stacktrace,
    consolidate: o.consolidate.map((r) => ({ periodMs: r.periodMs, source: r.source, flags: r.pattern.flags, level: r.level, showFirst: r.showFirst })),
  };
}

const rule = (periodMs: number, source: string, level = 'error', showFirst = false, flags = ''): Rule => ({ periodMs, source, flags, level, showFirst });

const valid: { stanza: string; stacktrace?: boolean; consolidate?: Rule[] }[] = [
  { stanza: 'errors' },
  { stanza: 'errors stdout' },
  { stanza: 'errors {\n stacktrace\n}', stacktrace: true },
  { stanza: 'errors {\n panicRecoveryStacktrace\n}', stacktrace: true },
  { stanza: 'errors {\n consolidate 1m ^exact$\n}', consolidate: [rule(60_000, '^exact$')] },
  { stanza: 'errors {\n consolidate 1m error\n}', consolidate: [rule(60_000, 'error')] },
  { stanza: 'errors {\n consolidate 1m "format error"\n}', consolidate: [rule(60_000, 'format error')] },
  { stanza: 'errors {\n consolidate 1m error1\n consolidate 5s error2\n}', consolidate: [rule(60_000, 'error1'), rule(5000, 'error2')] },
  { stanza: 'errors stdout {\n consolidate 5m ".* i/o timeout$" warning\n}', consolidate: [rule(300_000, '.* i/o timeout$', 'warning')] },
  { stanza: 'errors {\n consolidate 1m .* warn\n}', consolidate: [rule(60_000, '.*', 'warning')] },
  { stanza: 'errors {\n consolidate 1m .* info\n}', consolidate: [rule(60_000, '.*', 'info')] },
  { stanza: 'errors {\n consolidate 1m .* debug\n}', consolidate: [rule(60_000, '.*', 'debug')] },
  { stanza: 'errors {\n consolidate 30s .* error show_first\n}', consolidate: [rule(30_000, '.*', 'error', true)] },
  { stanza: 'errors {\n consolidate 30s .* show_first\n}', consolidate: [rule(30_000, '.*', 'error', true)] },
  { stanza: 'errors {\n consolidate 1m30s "(?i)^Server"\n}', consolidate: [rule(90_000, '(?i)^Server', 'error', false, 'i')] },
  { stanza: 'errors {\n consolidate 1m back\\\\zone\n}', consolidate: [rule(60_000, 'back\\\\zone')] },
  { stanza: 'errors {\n stacktrace\n consolidate 1m a\n}', stacktrace: true, consolidate: [rule(60_000, 'a')] },
];

for (const c of valid) {
  test(`setup: ${JSON.stringify(c.stanza)}`, () => {
    assert.deepEqual(options(c.stanza), { stacktrace: c.stacktrace ?? false, consolidate: c.consolidate ?? [] });
  });
}

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'errors errors.txt', error: '2: errors: invalid log file: errors.txt (only stdout)' },
  { stanza: 'errors visible', error: '2: errors: invalid log file: visible (only stdout)' },
  { stanza: 'errors a b', error: '2: errors takes at most one argument, stdout' },
  { stanza: 'errors {\n log visible\n}', error: "3: errors: unknown option 'log' (stacktrace, consolidate)" },
  { stanza: 'errors {\n stacktrace full\n}', error: '3: stacktrace takes no arguments' },
  { stanza: 'errors {\n consolidate\n}', error: '3: errors: consolidate takes DURATION REGEXP [LEVEL] [show_first]' },
  { stanza: 'errors {\n consolidate 1m\n}', error: '3: errors: consolidate takes DURATION REGEXP [LEVEL] [show_first]' },
  { stanza: 'errors {\n consolidate 1m .* error show_first extra\n}', error: '3: errors: consolidate takes DURATION REGEXP [LEVEL] [show_first]' },
  { stanza: 'errors {\n consolidate 1m .* extra\n}', error: '3: errors: unknown log level argument in consolidate: extra (warning, error, info, debug)' },
  { stanza: 'errors {\n consolidate abc .*\n}', error: "3: errors: consolidate: invalid duration 'abc'" },
  { stanza: 'errors {\n consolidate 1 .*\n}', error: "3: errors: consolidate: invalid duration '1'" },
  { stanza: 'errors {\n consolidate 1m ())\n}', error: "3: errors: consolidate: invalid REGEXP '())': Invalid regular expression: /())/: Unmatched ')'" },
  { stanza: 'errors {\n consolidate 1m timeout\\z\n}', error: "3: errors: consolidate: REGEXP 'timeout\\z' uses \\z, which JavaScript does not have (^ and $ anchor the message)" },
  { stanza: 'errors {\n consolidate 1m \\Aserver\n}', error: "3: errors: consolidate: REGEXP '\\Aserver' uses \\A, which JavaScript does not have (^ and $ anchor the message)" },
  { stanza: `errors {\n consolidate 1m ${'a'.repeat(10_001)}\n}`, error: '3: errors: consolidate: REGEXP longer than 10000 characters' },
];

for (const c of invalid) {
  test(`setup refuses ${JSON.stringify(c.stanza.slice(0, 60))}`, () => {
    assert.throws(
      () => setup(directives(c.stanza)[0]!, setupContext()),
      (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`,
    );
  });
}

test('a leading Go flag group becomes the flags of the pattern', () => {
  const [r] = parseOptions(directives('errors {\n consolidate 1m "(?is)^server.failure"\n}')[0]!).consolidate;
  assert.equal(r!.pattern.test('SERVER\nFAILURE'), true);
});

test('a REGEXP of 10000 characters is accepted', () => {
  assert.equal(options(`errors {\n consolidate 1m ${'a'.repeat(10_000)}\n}`).consolidate.length, 1);
});

test('errors twice in one server block fails start-up at the second line', () => {
  const [first, second] = directives('errors\nerrors {\n stacktrace\n}');
  const ctx = setupContext();
  setup(first!, ctx);
  assert.throws(
    () => setup(second!, ctx),
    (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:3: errors: this plugin can only be used once per server block`,
  );
});

test('another server block (another setup context) has an errors of its own', () => {
  const [first, second] = directives('errors\nerrors');
  assert.equal(setup(first!, setupContext())?.name, 'errors');
  assert.equal(setup(second!, setupContext())?.name, 'errors');
});
