// Which queries log writes a line for, as CoreDNS's log/setup.go and log.go decide it: names at or
// below NAMES, the classes of `class`, `minDuration` for slow replies of other classes, and every
// `log` line of a server block adding rules to one logger where the first matching name decides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import { memoryLogger } from '../../../src/log.js';
import type { Plugin } from '../../../src/plugin.js';
import { setup } from '../../../plugins/log/index.js';
import { setupContext } from '../../support/setup-context.js';
import { directives, question } from '../errors/harness.js';

const WIRE = Buffer.from([0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]);
const ANSWER: Reply = reply(RCODE.NOERROR, [{ name: 'a.example', ttl: 5, type: 'A', data: '192.0.2.1' }]);
const NODATA: Reply = reply(RCODE.NOERROR);
const NXDOMAIN: Reply = reply(RCODE.NXDOMAIN);
const SERVFAIL: Reply = reply(RCODE.SERVFAIL);
const REFUSED: Reply = reply(RCODE.REFUSED);

/** Every `log` line of `. { STANZA }` set up in one server block; the one plugin they make and its lines. */
function logger(stanza: string): { plugin: Plugin; lines: string[]; made: number } {
  const log = memoryLogger();
  const ctx = setupContext({ log });
  const plugins = directives(stanza).map((d) => setup(d, ctx)).filter((p) => p !== undefined);
  return { plugin: plugins[0]!, lines: log.lines, made: plugins.length };
}

/** The names (and rcodes) of the queries that got a line, in the format "{name} {rcode}". */
function logged(stanza: string, queries: [string, Reply, number?][]): string[] {
  const { plugin, lines } = logger(stanza);
  for (const [q, r, seconds] of queries) plugin.observe!(question(q), r, WIRE, seconds ?? 0.001);
  return lines.map((l) => l.replace(/^\[INFO\] /, ''));
}

const ALL: [string, Reply][] = [
  ['a.example. A', ANSWER],
  ['b.example. A', NODATA],
  ['c.example. A', NXDOMAIN],
  ['d.example. A', SERVFAIL],
  ['e.example. A', REFUSED],
];

test('log: every query, in the common format', () => {
  const lines = logged('log', ALL);
  assert.equal(lines.length, 5);
  assert.match(lines[0]!, /^10\.244\.9\.9:5353 - 1 "A IN a\.example\. udp 0 false 512" NOERROR qr,rd,ra 12 0\.001s$/);
});

test('log NAME: only names at or below it, letter case ignored', () => {
  const lines = logged('log Example.ORG. "{name}"', [
    ['example.org. A', ANSWER],
    ['www.EXAMPLE.org. A', ANSWER],
    ['notexample.org. A', ANSWER],
    ['org. A', ANSWER],
  ]);
  assert.deepEqual(lines, ['example.org.', 'www.example.org.']);
});

test('log NAMES... FORMAT: every name with the format', () => {
  const lines = logged('log a.example c.example "{name} {rcode}"', ALL);
  assert.deepEqual(lines, ['a.example. NOERROR', 'c.example. NXDOMAIN']);
});

const classes: { block: string; want: string[] }[] = [
  { block: 'class success', want: ['a.example.'] },
  { block: 'class denial', want: ['b.example.', 'c.example.'] },
  { block: 'class error', want: ['d.example.', 'e.example.'] },
  { block: 'class denial error', want: ['b.example.', 'c.example.', 'd.example.', 'e.example.'] },
  { block: 'class denial\n class success', want: ['a.example.', 'b.example.', 'c.example.'] },
  { block: 'class error all', want: ['a.example.', 'b.example.', 'c.example.', 'd.example.', 'e.example.'] },
  { block: 'class all\n class error', want: ['a.example.', 'b.example.', 'c.example.', 'd.example.', 'e.example.'] },
];

for (const c of classes) {
  test(`log { ${c.block.replace(/\n /g, '; ')} }`, () => {
    assert.deepEqual(logged(`log . "{name}" {\n ${c.block}\n}`, ALL), c.want);
  });
}

test('minDuration: a reply of another class is logged when it took longer than DURATION', () => {
  const lines = logged('log . "{name}" {\n class error\n minDuration 250ms\n}', [
    ['fast.example. A', ANSWER, 0.1],
    ['exact.example. A', ANSWER, 0.25],
    ['slow.example. A', ANSWER, 0.3],
    ['failed.example. A', SERVFAIL, 0.001],
  ]);
  assert.deepEqual(lines, ['slow.example.', 'failed.example.']);
});

test('minDuration without a value is 100ms', () => {
  const lines = logged('log . "{name}" {\n class error\n minDuration\n}', [
    ['fast.example. A', ANSWER, 0.09],
    ['slow.example. A', ANSWER, 0.11],
  ]);
  assert.deepEqual(lines, ['slow.example.']);
});

test('minDuration without class: everything is logged anyway', () => {
  assert.equal(logged('log {\n minDuration 1s\n}', ALL).length, 5);
});

test('several log lines make one plugin and one line per query at most', () => {
  const { made } = logger('log\nlog example.org');
  assert.equal(made, 1);
  const lines = logged('log . "first {name}"\nlog . "second {name}"\nlog a.example "third {name}"', [['a.example. A', ANSWER]]);
  assert.deepEqual(lines, ['first a.example.']);
});

test('the first rule whose name matches decides, even when its classes refuse the query', () => {
  const lines = logged('log . "{name} {rcode}" {\n class error\n}\nlog a.example "{name} {rcode}"', [
    ['a.example. A', ANSWER],
    ['a.example. A', SERVFAIL],
    ['b.example. A', NXDOMAIN],
  ]);
  assert.deepEqual(lines, ['a.example. SERVFAIL']);
});

test('rules are tried in the order written: a narrower name first keeps its own format', () => {
  const lines = logged('log a.example "narrow {name}"\nlog . "wide {name}"', [
    ['www.a.example. A', ANSWER],
    ['b.example. A', ANSWER],
  ]);
  assert.deepEqual(lines, ['narrow www.a.example.', 'wide b.example.']);
});
