// Backoff between failed attempts: doubling from the initial delay to the cap, jittered to [d/2, 3d/2), reset by health.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, DEFAULT_BACKOFF } from '../../../src/kube/api/backoff.js';

test('the base doubles from 0.5 s to the 30 s cap', () => {
  const middle = new Backoff(DEFAULT_BACKOFF, () => 0.5);
  const delays = Array.from({ length: 9 }, () => middle.next());
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('jitter spreads each delay over [d/2, 3d/2)', () => {
  const cases = [
    { random: 0, first: 250, second: 500 },
    { random: 0.999, first: 749, second: 1499 },
  ];
  for (const c of cases) {
    const b = new Backoff({ initialMs: 500, maxMs: 1000 }, () => c.random);
    assert.deepEqual([b.next(), b.next()], [c.first, c.second], `random ${c.random}`);
  }
});

test('reset starts again from the initial delay', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 10_000 }, () => 0.5);
  b.next();
  b.next();
  assert.equal(b.next(), 400);
  b.reset();
  assert.equal(b.next(), 100);
});
