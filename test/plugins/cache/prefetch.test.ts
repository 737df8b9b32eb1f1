// prefetch AMOUNT [DURATION [PERCENTAGE%]]: an entry hit AMOUNT times without a gap longer than
// DURATION is refreshed in the background once less than PERCENTAGE of its TTL is left.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servfail } from '../../../src/dns/reply.js';
import type { Reply } from '../../../src/dns/types.js';
import { answer, ask, makeCache, serve, started, upstream, type TestCache } from './harness.js';

const NAME = 'popular.example.org';
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A cache over a next plugin that answers with TTL 100 and counts its answers in the address. */
function popular(stanza: string) {
  const c = makeCache(stanza);
  let served = 0;
  const up = upstream(() => answer(`${NAME}. 100 IN A 192.0.2.${++served}`));
  const at = async (second: number) => {
    c.clock.now = start + second * 1000;
    const r = await serve(c, ask(NAME), up.next);
    await settle();
    return `${r.answers[0]!.ttl} ${r.answers[0]!.data}`;
  };
  const start = c.clock.now;
  return { c, up, at };
}

test('a popular entry is refreshed once less than PERCENTAGE of its TTL is left', async () => {
  const { c, up, at } = popular('cache {\n prefetch 2 1m 50%\n}');
  const metrics = await started(c);
  try {
    assert.equal(await at(0), '100 192.0.2.1');
    assert.equal(await at(10), '90 192.0.2.1', 'one hit: not popular yet');
    assert.equal(await at(49), '51 192.0.2.1', 'two hits, but more than half the TTL left');
    assert.equal(up.asked.length, 1);
    assert.equal(await at(55), '45 192.0.2.1', 'the hit that triggers the refresh gets the old entry');
    assert.equal(up.asked.length, 2);
    assert.equal(await at(60), '95 192.0.2.2', 'the refreshed entry, stored at 55 s');
    assert.equal(metrics.zones['.']!.prefetch, 1);
  } finally {
    await c.plugin.stop!();
  }
});

test('a gap longer than DURATION starts the count again', async () => {
  const { up, at } = popular('cache {\n prefetch 2 10s 50%\n}');
  await at(0);
  await at(55);
  await at(70);
  assert.equal(up.asked.length, 1, 'hits 15 s apart are not popular');
  await at(75);
  assert.equal(up.asked.length, 2, 'hits 5 s apart are');
});

test('popularity carries over to the refreshed entry', async () => {
  const { up, at } = popular('cache {\n prefetch 2 1m 50%\n}');
  await at(0);
  await at(49);
  await at(55);
  assert.equal(up.asked.length, 2, 'refreshed at 55 s');
  assert.equal(await at(110), '45 192.0.2.2');
  assert.equal(up.asked.length, 3, 'one hit on the new entry was enough');
});

test('by default: 10% of the TTL, and at the latest with one second left', async () => {
  const c = makeCache('cache {\n prefetch 1\n}');
  const up = upstream(() => answer(`${NAME}. 5 IN A 192.0.2.1`));
  await serve(c, ask(NAME), up.next);
  c.clock.advance(3);
  await serve(c, ask(NAME), up.next);
  assert.equal(up.asked.length, 1, 'two seconds left');
  c.clock.advance(1);
  await serve(c, ask(NAME), up.next);
  assert.equal(up.asked.length, 2, 'one second left');
});

test('one refresh at a time per entry', async () => {
  const c = makeCache('cache {\n prefetch 1 1m 90%\n}');
  const refreshes: ((r: Reply) => void)[] = [];
  const up = upstream(() =>
    up.asked.length === 1 ? answer(`${NAME}. 100 IN A 192.0.2.1`) : new Promise<Reply>((resolve) => refreshes.push(resolve)),
  );
  await serve(c, ask(NAME), up.next);
  c.clock.advance(50);
  for (let i = 0; i < 5; i++) await serve(c, ask(NAME), up.next);
  assert.equal(refreshes.length, 1);
  refreshes[0]!(answer(`${NAME}. 100 IN A 192.0.2.2`));
  await settle();
  assert.equal((await serve(c, ask(NAME), up.next)).answers[0]!.data, '192.0.2.2');
});

const failures: { why: string; answer: () => Reply | Promise<Reply> }[] = [
  { why: 'SERVFAIL', answer: () => servfail() },
  { why: 'a plugin that throws', answer: () => { throw new Error('upstream exploded'); } },
  { why: 'a rejected promise', answer: () => Promise.reject(new Error('upstream timed out')) },
];

for (const f of failures) {
  test(`a refresh that fails (${f.why}) leaves the entry as it was`, async () => {
    const c: TestCache = makeCache('cache {\n prefetch 1 1m 50%\n}');
    let fail = false;
    const up = upstream(() => (fail ? f.answer() : answer(`${NAME}. 100 IN A 192.0.2.1`)));
    await serve(c, ask(NAME), up.next);
    fail = true;
    c.clock.advance(60);
    assert.equal((await serve(c, ask(NAME), up.next)).answers[0]!.ttl, 40);
    await settle();
    c.clock.advance(1);
    const after = await serve(c, ask(NAME), up.next);
    assert.deepEqual([after.answers[0]!.ttl, after.answers[0]!.data], [39, '192.0.2.1']);
    assert.equal(up.asked.length, 3, 'each hit tried again');
  });
}
