// What is kept besides answers, and for how long: denials by RFC 2308 (the SOA's TTL and
// MINIMUM), SERVFAIL briefly, truncated replies and other rcodes never.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import { answer, ask, denial, makeCache, sections, serve, soa, started, upstream } from './harness.js';

/** Seconds `r` stays cached: the first second at which the next plugin is asked again (bounded). */
async function lifetime(stanza: string, r: Reply, limit = 4000): Promise<number | undefined> {
  const c = makeCache(stanza);
  const up = upstream(() => r);
  await serve(c, ask('gone.example.org'), up.next);
  for (let seconds = 0; seconds <= limit; seconds++) {
    await serve(c, ask('gone.example.org'), up.next);
    if (up.asked.length > 1) return seconds;
    c.clock.advance(1);
  }
  return undefined;
}

const cases: { why: string; stanza?: string; reply: Reply; lifetime: number }[] = [
  { why: 'NXDOMAIN: SOA MINIMUM below its TTL', reply: denial(RCODE.NXDOMAIN, soa(300, 60)), lifetime: 60 },
  { why: 'NXDOMAIN: SOA TTL below its MINIMUM', reply: denial(RCODE.NXDOMAIN, soa(30, 600)), lifetime: 30 },
  { why: 'NODATA: from the SOA too', reply: denial(RCODE.NOERROR, soa(300, 45)), lifetime: 45 },
  { why: 'NXDOMAIN without SOA: 5 s', reply: denial(RCODE.NXDOMAIN), lifetime: 5 },
  { why: 'denials capped at 1800 by default', reply: denial(RCODE.NXDOMAIN, soa(86400, 86400)), lifetime: 1800 },
  { why: 'denials capped by cache TTL', stanza: 'cache 20', reply: denial(RCODE.NXDOMAIN, soa(300, 300)), lifetime: 20 },
  { why: 'denial TTL of its own', stanza: 'cache 20 {\n denial 100 90\n}', reply: denial(RCODE.NXDOMAIN, soa(300, 300)), lifetime: 90 },
  { why: 'denial MINTTL', stanza: 'cache {\n denial 100 600 30\n}', reply: denial(RCODE.NXDOMAIN, soa(10, 10)), lifetime: 30 },
  { why: 'SERVFAIL: 5 s', reply: reply(RCODE.SERVFAIL), lifetime: 5 },
  { why: 'SERVFAIL: servfail 2s', stanza: 'cache {\n servfail 2s\n}', reply: reply(RCODE.SERVFAIL), lifetime: 2 },
  { why: 'SERVFAIL: not capped by cache TTL', stanza: 'cache 1 {\n servfail 4s\n}', reply: reply(RCODE.SERVFAIL), lifetime: 4 },
];

for (const c of cases) {
  test(`kept: ${c.why} (${c.lifetime} s)`, async () => {
    assert.equal(await lifetime(c.stanza ?? 'cache', c.reply), c.lifetime);
  });
}

const uncached: { why: string; stanza?: string; reply: Reply }[] = [
  { why: 'SERVFAIL with servfail 0', stanza: 'cache {\n servfail 0\n}', reply: reply(RCODE.SERVFAIL) },
  { why: 'REFUSED', reply: reply(RCODE.REFUSED) },
  { why: 'FORMERR', reply: reply(RCODE.FORMERR) },
  { why: 'NOTIMP', reply: reply(RCODE.NOTIMP) },
  { why: 'a truncated answer', reply: { ...answer('gone.example.org. 300 IN A 192.0.2.1'), truncated: true } },
  { why: 'a truncated denial', reply: { ...denial(RCODE.NXDOMAIN, soa(300, 300)), truncated: true } },
];

for (const c of uncached) {
  test(`not kept: ${c.why}`, async () => {
    assert.equal(await lifetime(c.stanza ?? 'cache', c.reply), 0);
  });
}

test('a denial carries its capped TTL in the SOA, counted down on hits', async () => {
  const c = makeCache();
  const up = upstream(() => denial(RCODE.NXDOMAIN, soa(300, 60)));
  assert.deepEqual(sections(await serve(c, ask('gone.example.org'), up.next)).authority, [soa(60, 60)]);
  c.clock.advance(15);
  const hit = await serve(c, ask('gone.example.org'), up.next);
  assert.equal(hit.rcode, RCODE.NXDOMAIN);
  assert.deepEqual(sections(hit).authority, [soa(45, 60)]);
});

test('an answer that follows a denial of the same question replaces it', async () => {
  const c = makeCache();
  const metrics = await started(c);
  try {
    let exists = false;
    const up = upstream(() => (exists ? answer('new.example.org. 300 IN A 192.0.2.1') : denial(RCODE.NXDOMAIN, soa(5, 5))));
    await serve(c, ask('new.example.org'), up.next);
    assert.deepEqual(metrics.entries, { success: 0, denial: 1 });
    exists = true;
    c.clock.advance(5);
    const fresh = await serve(c, ask('new.example.org'), up.next);
    assert.equal(fresh.rcode, RCODE.NOERROR);
    assert.deepEqual(metrics.entries, { success: 1, denial: 0 });
  } finally {
    await c.plugin.stop!();
  }
});
