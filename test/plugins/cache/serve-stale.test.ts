// serve_stale [DURATION] [immediate|verify]: expired entries answer (with TTL 0) for up to
// DURATION past expiry, either at once while a refresh runs (immediate) or only after a fresh
// answer could not be had (verify).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply, servfail } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import { answer, ask, denial, makeCache, serve, soa, started, upstream } from './harness.js';

const NAME = 'stale.example.org';
const settle = () => new Promise((resolve) => setImmediate(resolve));
const OLD = answer(`${NAME}. 60 IN A 192.0.2.1`);
const NEW = answer(`${NAME}. 60 IN A 192.0.2.2`);
/** OLD as served stale. */
const STALE = `${RCODE.NOERROR} 0 192.0.2.1`;

/** A cache holding OLD, expired `secondsPastExpiry` ago, before a next plugin that now answers by `later`. */
async function expired(stanza: string, later: () => Reply | Promise<Reply>, secondsPastExpiry = 10) {
  const c = makeCache(stanza);
  let first = true;
  const up = upstream(() => (first ? OLD : later()));
  await serve(c, ask(NAME), up.next);
  first = false;
  c.clock.advance(60 + secondsPastExpiry);
  return { c, up };
}

const show = (r: Reply) => `${r.rcode} ${r.answers.map((a) => `${a.ttl} ${a.data}`).join(', ')}`;

test('immediate: the expired answer comes at once with TTL 0, and a refresh replaces it', async () => {
  const { c, up } = await expired('cache {\n serve_stale\n}', () => NEW);
  const metrics = await started(c);
  try {
    assert.equal(show(await serve(c, ask(NAME), up.next)), STALE);
    assert.equal(up.asked.length, 2, 'refreshed in the background');
    await settle();
    c.clock.advance(1);
    assert.equal(show(await serve(c, ask(NAME), up.next)), `${RCODE.NOERROR} 59 192.0.2.2`);
    const z = metrics.zones['.']!;
    assert.deepEqual([z.requests, z.hits.success, z.misses, z.servedStale], [3, 2, 1, 1]);
  } finally {
    await c.plugin.stop!();
  }
});

test('immediate: while the source fails, the expired answer keeps coming', async () => {
  const { c, up } = await expired('cache {\n serve_stale 1h immediate\n}', servfail);
  for (let i = 0; i < 3; i++) {
    assert.equal(show(await serve(c, ask(NAME), up.next)), STALE);
    await settle();
    c.clock.advance(60);
  }
  assert.equal(up.asked.length, 4);
});

const windows: { stanza: string; past: number; stale: boolean }[] = [
  { stanza: 'cache {\n serve_stale\n}', past: 3599, stale: true },
  { stanza: 'cache {\n serve_stale\n}', past: 3600, stale: false },
  { stanza: 'cache {\n serve_stale 30s\n}', past: 29, stale: true },
  { stanza: 'cache {\n serve_stale 30s\n}', past: 30, stale: false },
  { stanza: 'cache {\n serve_stale 30s verify\n}', past: 30, stale: false },
  { stanza: 'cache', past: 0, stale: false },
];

for (const w of windows) {
  test(`${JSON.stringify(w.stanza)}: ${w.past} s past expiry is ${w.stale ? '' : 'not '}served stale`, async () => {
    const { c, up } = await expired(w.stanza, servfail, w.past);
    const r = await serve(c, ask(NAME), up.next);
    assert.equal(show(r), w.stale ? STALE : `${RCODE.SERVFAIL} `);
  });
}

test('a kept SERVFAIL is never served stale', async () => {
  const c = makeCache('cache {\n serve_stale\n}');
  let failing = true;
  const up = upstream(() => (failing ? servfail() : NEW));
  await serve(c, ask(NAME), up.next);
  failing = false;
  c.clock.advance(6);
  assert.equal(show(await serve(c, ask(NAME), up.next)), `${RCODE.NOERROR} 60 192.0.2.2`);
});

const verified: { why: string; later: () => Reply | Promise<Reply>; want: string; kept: boolean }[] = [
  { why: 'a fresh answer wins', later: () => NEW, want: `${RCODE.NOERROR} 60 192.0.2.2`, kept: true },
  { why: 'a fresh denial wins', later: () => denial(RCODE.NXDOMAIN, soa(60, 60)), want: `${RCODE.NXDOMAIN} `, kept: true },
  { why: 'a fresh answer by promise wins', later: async () => NEW, want: `${RCODE.NOERROR} 60 192.0.2.2`, kept: true },
  { why: 'SERVFAIL loses', later: servfail, want: STALE, kept: false },
  { why: 'REFUSED loses', later: () => reply(RCODE.REFUSED), want: STALE, kept: false },
  { why: 'a plugin that throws loses', later: () => { throw new Error('no route'); }, want: STALE, kept: false },
  { why: 'a rejected promise loses', later: () => Promise.reject(new Error('timeout')), want: STALE, kept: false },
];

for (const v of verified) {
  test(`verify: ${v.why}`, async () => {
    const { c, up } = await expired('cache {\n serve_stale 1h verify\n}', v.later);
    const metrics = await started(c);
    try {
      assert.equal(show(await serve(c, ask(NAME), up.next)), v.want);
      assert.equal(up.asked.length, 2, 'asked before answering');
      await serve(c, ask(NAME), up.next);
      assert.equal(up.asked.length, v.kept ? 2 : 3, v.kept ? 'the fresh reply was kept' : 'still expired: asked again');
      assert.equal(metrics.zones['.']!.servedStale, v.kept ? 0 : 2);
    } finally {
      await c.plugin.stop!();
    }
  });
}
