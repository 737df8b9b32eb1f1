// The `log` stanza: what CoreDNS's log/setup.go accepts (names, a FORMAT only after a name, `class`,
// `minDuration`) and the exact start-up error, naming file and line, for what it refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { memoryLogger } from '../../../src/log.js';
import { parseRules } from '../../../plugins/log/options.js';
import { directives, FILE } from '../errors/harness.js';

function rules(stanza: string) {
  const log = memoryLogger();
  const parsed = parseRules(directives(stanza)[0]!, log).map((r) => ({
    name: r.name,
    classes: r.classes && [...r.classes].sort(),
    minSeconds: r.minSeconds,
  }));
  return { parsed, warnings: log.lines };
}

const ALL = { classes: undefined, minSeconds: 0 };

const valid: { stanza: string; want: { name: string; classes?: string[]; minSeconds: number }[] }[] = [
  { stanza: 'log', want: [{ name: '', ...ALL }] },
  { stanza: 'log .', want: [{ name: '', ...ALL }] },
  { stanza: 'log Example.ORG.', want: [{ name: 'example.org', ...ALL }] },
  { stanza: 'log example.org cluster.local', want: [{ name: 'example.org', ...ALL }, { name: 'cluster.local', ...ALL }] },
  { stanza: 'log example.org {combined}', want: [{ name: 'example.org', ...ALL }] },
  { stanza: 'log . {\n class denial error\n}', want: [{ name: '', classes: ['denial', 'error'], minSeconds: 0 }] },
  { stanza: 'log a b {\n class success\n}', want: [{ name: 'a', classes: ['success'], minSeconds: 0 }, { name: 'b', classes: ['success'], minSeconds: 0 }] },
  { stanza: 'log {\n class all success\n}', want: [{ name: '', ...ALL }] },
  { stanza: 'log {\n minDuration\n}', want: [{ name: '', classes: undefined, minSeconds: 0.1 }] },
  { stanza: 'log {\n class error\n minDuration 1.5s\n}', want: [{ name: '', classes: ['error'], minSeconds: 1.5 }] },
];

for (const c of valid) {
  test(`setup: ${JSON.stringify(c.stanza)}`, () => {
    const { parsed, warnings } = rules(c.stanza);
    assert.deepEqual(parsed, c.want);
    assert.deepEqual(warnings, []);
  });
}

test('a lone argument is a name even when it looks like a format, as in CoreDNS, with a warning', () => {
  const { parsed, warnings } = rules('log {combined}');
  assert.deepEqual(parsed, [{ name: '{combined}', ...ALL }]);
  assert.deepEqual(warnings, [`[WARNING] ${FILE}:2: log: '{combined}' is read as a name, as CoreDNS does; write 'log . {combined}' for a format`]);
});

test('a last argument without a brace is one more name', () => {
  assert.deepEqual(rules('log a.example common').parsed.map((r) => r.name), ['a.example', 'common']);
});

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'log {\n class\n}', error: '3: log: class needs at least one of all, success, denial, error' },
  { stanza: 'log {\n class denial nope\n}', error: "3: log: unknown class 'nope' (all, success, denial, error)" },
  { stanza: 'log {\n minDuration 1s 2s\n}', error: '3: log: minDuration takes at most one duration' },
  { stanza: 'log {\n minDuration soon\n}', error: "3: log: illegal duration found: 'soon'" },
  { stanza: 'log {\n minDuration 100\n}', error: "3: log: illegal duration found: '100'" },
  { stanza: 'log . {\n format {common}\n}', error: "3: log: unknown option 'format' (class, minDuration)" },
];

for (const c of invalid) {
  test(`setup refuses ${JSON.stringify(c.stanza)}`, () => {
    assert.throws(
      () => rules(c.stanza),
      (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`,
    );
  });
}
