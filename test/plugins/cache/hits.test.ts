// Answers kept and given back: hit and miss, TTLs capped and counted down, lifetime, letter case,
// names outside the cache's zones, and the stored records never changed by a hit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RCODE } from '../../../src/dns/types.js';
import { answer, ask, makeCache, rr, sections, serve, upstream } from './harness.js';

test('the second question is answered from the cache, the first one is not', async () => {
  const c = makeCache();
  const up = upstream(() => answer('www.example.org. 300 IN A 192.0.2.1'));
  const first = await serve(c, ask('www.example.org'), up.next);
  const second = await serve(c, ask('www.example.org'), up.next);
  assert.deepEqual(up.asked, ['www.example.org A']);
  assert.deepEqual(sections(second), sections(first));
  assert.deepEqual(sections(second).answer, ['www.example.org. 300 IN A 192.0.2.1']);
});

test('a reply that came as a promise is kept like any other', async () => {
  const c = makeCache();
  const up = upstream(async () => answer('www.example.org. 300 IN A 192.0.2.1'));
  await serve(c, ask('www.example.org'), up.next);
  const hit = c.plugin.serve(ask('www.example.org'), up.next);
  assert.ok(!(hit instanceof Promise), 'a hit is answered synchronously');
  assert.deepEqual(up.asked, ['www.example.org A']);
});

test('TTLs count down by whole seconds elapsed, and the entry is gone when they reach 0', async () => {
  const c = makeCache();
  const up = upstream(() => answer('www.example.org. 300 IN A 192.0.2.1'));
  const ttlAfter = async (seconds: number) => {
    c.clock.advance(seconds);
    return (await serve(c, ask('www.example.org'), up.next)).answers[0]!.ttl;
  };
  assert.equal(await ttlAfter(0), 300);
  assert.equal(await ttlAfter(10), 290);
  assert.equal(await ttlAfter(0.5), 290);
  assert.equal(await ttlAfter(0.5), 289);
  assert.equal(await ttlAfter(288), 1);
  assert.deepEqual(up.asked, ['www.example.org A']);
  assert.equal(await ttlAfter(1), 300, 'expired: asked again, kept again');
  assert.deepEqual(up.asked, ['www.example.org A', 'www.example.org A']);
});

// Lifetime: a hit one second before it, a miss at it.
const lifetimes: { why: string; stanza: string; records: string[]; lifetime: number }[] = [
  { why: 'the record TTL', stanza: 'cache', records: ['a.example.org. 60 IN A 192.0.2.1'], lifetime: 60 },
  { why: 'capped at 3600 by default', stanza: 'cache', records: ['a.example.org. 86400 IN A 192.0.2.1'], lifetime: 3600 },
  { why: 'capped by cache TTL', stanza: 'cache 30', records: ['a.example.org. 300 IN A 192.0.2.1'], lifetime: 30 },
  { why: 'raised to MINTTL 5 by default', stanza: 'cache', records: ['a.example.org. 1 IN A 192.0.2.1'], lifetime: 5 },
  { why: 'raised to a MINTTL given', stanza: 'cache {\n success 100 600 20\n}', records: ['a.example.org. 2 IN A 192.0.2.1'], lifetime: 20 },
  { why: 'TTL wins over a larger MINTTL', stanza: 'cache 3', records: ['a.example.org. 1 IN A 192.0.2.1'], lifetime: 3 },
  {
    why: 'the smallest TTL of all sections',
    stanza: 'cache',
    records: ['a.example.org. 300 IN CNAME b.example.org.', 'b.example.org. 40 IN A 192.0.2.1'],
    lifetime: 40,
  },
];

for (const l of lifetimes) {
  test(`lifetime: ${l.why} (${l.lifetime} s)`, async () => {
    const c = makeCache(l.stanza);
    const up = upstream(() => answer(...l.records));
    const first = await serve(c, ask('a.example.org'), up.next);
    assert.deepEqual(first.answers.map((r) => r.ttl), l.records.map(() => l.lifetime), 'the first reply carries the capped TTL');
    c.clock.advance(l.lifetime - 1);
    const last = await serve(c, ask('a.example.org'), up.next);
    assert.deepEqual(last.answers.map((r) => r.ttl), l.records.map(() => 1));
    assert.equal(up.asked.length, 1, 'still cached one second before the end');
    c.clock.advance(1);
    await serve(c, ask('a.example.org'), up.next);
    assert.equal(up.asked.length, 2, 'expired at the end');
  });
}

test('a MINTTL of 0 lets TTL-0 answers through uncached', async () => {
  const c = makeCache('cache {\n success 100 600 0\n}');
  const up = upstream(() => answer('a.example.org. 0 IN A 192.0.2.1'));
  await serve(c, ask('a.example.org'), up.next);
  await serve(c, ask('a.example.org'), up.next);
  assert.equal(up.asked.length, 2);
});

test('keepttl: hits carry the TTL the entry was stored with, and it still expires', async () => {
  const c = makeCache('cache {\n keepttl\n}');
  const up = upstream(() => answer('a.example.org. 60 IN A 192.0.2.1'));
  await serve(c, ask('a.example.org'), up.next);
  c.clock.advance(59);
  assert.equal((await serve(c, ask('a.example.org'), up.next)).answers[0]!.ttl, 60);
  c.clock.advance(1);
  await serve(c, ask('a.example.org'), up.next);
  assert.equal(up.asked.length, 2);
});

test('a hit does not change the records the next plugin gave (the index keeps them)', async () => {
  const c = makeCache();
  const records = [rr('a.example.org. 300 IN CNAME b.example.org.'), rr('b.example.org. 40 IN A 192.0.2.1')];
  const original = structuredClone(records);
  const up = upstream(() => ({ ...answer(), answers: records }));
  await serve(c, ask('a.example.org'), up.next);
  c.clock.advance(10);
  await serve(c, ask('a.example.org'), up.next);
  assert.deepEqual(records, original);
});

test('flags come back as the next plugin set them', async () => {
  const c = makeCache();
  const up = upstream(() => ({ ...answer('a.example.org. 60 IN A 192.0.2.1'), authoritative: true, recursionAvailable: true }));
  await serve(c, ask('a.example.org'), up.next);
  const hit = await serve(c, ask('a.example.org'), up.next);
  assert.deepEqual([hit.rcode, hit.authoritative, hit.recursionAvailable, hit.truncated], [RCODE.NOERROR, true, true, false]);
  assert.equal(up.asked.length, 1);
});

test('a hit spells the names taken from the question as the asker spells them', async () => {
  const c = makeCache('cache', 'cluster.local');
  const up = upstream((q) => ({
    ...answer(`${q.name}. 5 IN CNAME target.example.org.`, 'target.example.org. 5 IN A 192.0.2.1'),
    authority: [rr(`${q.name.slice(-'cluster.local'.length)}. 5 IN NS ns.dns.cluster.local.`)],
  }));
  await serve(c, ask('web.default.svc.cluster.local'), up.next);
  const hit = await serve(c, ask('WeB.Default.SVC.Cluster.LOCAL'), up.next);
  assert.deepEqual(up.asked, ['web.default.svc.cluster.local A']);
  assert.deepEqual(sections(hit), {
    answer: ['WeB.Default.SVC.Cluster.LOCAL. 5 IN CNAME target.example.org.', 'target.example.org. 5 IN A 192.0.2.1'],
    authority: ['Cluster.LOCAL. 5 IN NS ns.dns.cluster.local.'],
    additional: [],
  });
});

test('names outside the cache zones, and zone transfers, are passed on and not kept', async () => {
  const c = makeCache('cache example.org');
  const up = upstream(() => answer('x.example.net. 300 IN A 192.0.2.1'));
  for (let i = 0; i < 2; i++) {
    await serve(c, ask('x.example.net'), up.next);
    await serve(c, ask('example.org', 'AXFR'), up.next);
  }
  assert.deepEqual(up.asked, ['x.example.net A', 'example.org AXFR', 'x.example.net A', 'example.org AXFR']);
});

test('the reply to a name outside the cache zones is the next plugin\'s own', async () => {
  const c = makeCache('cache example.org');
  const given = answer('x.example.net. 300 IN A 192.0.2.1');
  assert.equal(await serve(c, ask('x.example.net'), () => given), given);
});
