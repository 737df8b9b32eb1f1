// consolidate: lines matching a pattern are counted during the period their first one starts and
// reported in one summary line (CoreDNS's words, Go's duration notation), first matching rule wins,
// show_first, and stop() ending every period with its summary and leaving no timer behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Consolidator, type ConsolidateRule, type Level } from '../../../plugins/errors/consolidate.js';
import { activeTimers } from './harness.js';

function rule(periodMs: number, source: string, level: Level = 'error', showFirst = false): ConsolidateRule {
  return { periodMs, source, pattern: new RegExp(source), level, showFirst };
}

function consolidator(...rules: ConsolidateRule[]): { c: Consolidator; emitted: string[] } {
  const emitted: string[] = [];
  return { c: new Consolidator(rules, (level, text) => emitted.push(`${level}: ${text}`)), emitted };
}

test('matching lines are counted, and one summary ends the period that the first started', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { c, emitted } = consolidator(rule(30_000, '^server'));
  assert.equal(c.take('server failure', 'line 1'), true);
  t.mock.timers.tick(10_000);
  assert.equal(c.take('server failure', 'line 2'), true);
  assert.equal(c.take('server failure', 'line 3'), true);
  t.mock.timers.tick(19_999);
  assert.deepEqual(emitted, []);
  t.mock.timers.tick(1);
  assert.deepEqual(emitted, ["error: 3 errors like '^server' occurred in last 30s"]);
});

test('the next match after a summary starts a new period', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { c, emitted } = consolidator(rule(5 * 60_000, 'timeout$', 'warning'));
  c.take('i/o timeout', 'a');
  t.mock.timers.tick(5 * 60_000);
  c.take('i/o timeout', 'b');
  t.mock.timers.tick(5 * 60_000 - 1);
  assert.equal(emitted.length, 1);
  t.mock.timers.tick(1);
  assert.deepEqual(emitted, ["warning: 1 errors like 'timeout$' occurred in last 5m0s", "warning: 1 errors like 'timeout$' occurred in last 5m0s"]);
});

test('a line no pattern matches is left to the caller', () => {
  const { c, emitted } = consolidator(rule(1000, '^timeout'));
  assert.equal(c.take('server failure', 'line'), false);
  assert.deepEqual(emitted, []);
});

test('a line matching several patterns counts under the first only', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { c, emitted } = consolidator(rule(60_000, 'failure$', 'info'), rule(5000, '^server', 'error'));
  c.take('server failure', 'line');
  c.take('server error', 'line');
  t.mock.timers.tick(60_000);
  assert.deepEqual(emitted, ["error: 1 errors like '^server' occurred in last 5s", "info: 1 errors like 'failure$' occurred in last 1m0s"]);
});

test('show_first logs the first line at once, and a summary only when more came', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { c, emitted } = consolidator(rule(30_000, 'failure', 'warning', true));
  c.take('server failure', '2 a.example. A: server failure');
  assert.deepEqual(emitted, ['warning: 2 a.example. A: server failure']);
  t.mock.timers.tick(30_000);
  assert.deepEqual(emitted, ['warning: 2 a.example. A: server failure'], 'a lone line needs no summary');
  c.take('server failure', '2 b.example. A: server failure');
  c.take('server failure', '2 c.example. A: server failure');
  c.take('server failure', '2 d.example. A: server failure');
  t.mock.timers.tick(30_000);
  assert.deepEqual(emitted.slice(1), ['warning: 2 b.example. A: server failure', "warning: 3 errors like 'failure' occurred in last 30s"]);
});

test('stop() prints the summaries due, clears their timers, and later lines are left to the caller', () => {
  const before = activeTimers();
  const { c, emitted } = consolidator(rule(3_600_000, 'failure'), rule(1000, 'timeout'), rule(1000, 'refused'));
  c.take('server failure', 'a');
  c.take('server failure', 'b');
  c.take('i/o timeout', 'c');
  assert.equal(activeTimers(), before + 2);
  c.stop();
  assert.equal(activeTimers(), before);
  assert.deepEqual(emitted, ["error: 2 errors like 'failure' occurred in last 1h0m0s", "error: 1 errors like 'timeout' occurred in last 1s"]);
  assert.equal(c.take('server failure', 'd'), false);
  assert.equal(activeTimers(), before);
});
