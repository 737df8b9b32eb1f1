// Relayed replies (a forwarder's whole upstream message): kept as bytes, given back as a copy with
// every TTL written in, the kept message itself never changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import { decodeMessage } from '../../../src/dns/wire.js';
import { relayed } from '../../dns/relayed.js';
import { ask, makeCache, rr, serve, soa, upstream } from './harness.js';

const NAME = 'www.example.org';
const chain = reply(RCODE.NOERROR, [rr(`${NAME}. 300 IN CNAME web.example.org.`), rr('web.example.org. 120 IN A 192.0.2.1')]);

/** Every TTL in a relayed reply's message, OPT aside. */
function ttls(r: Reply): number[] {
  const m = decodeMessage(r.relayed!.message);
  return [...m.answers, ...m.authority, ...m.additional].map((x) => x.ttl);
}

test('a relayed answer is kept whole and comes back with its TTLs counted down', async () => {
  const c = makeCache();
  const given = relayed(NAME, 'A', chain, { do: true });
  const kept = Buffer.from(given.relayed!.message);
  const up = upstream(() => given);
  const first = await serve(c, ask(NAME), up.next);
  assert.deepEqual(ttls(first), [120, 120], 'the first reply carries the entry TTL');
  c.clock.advance(20);
  const hit = await serve(c, ask(NAME), up.next);
  assert.deepEqual(up.asked, [`${NAME} A`]);
  assert.deepEqual(ttls(hit), [100, 100]);
  assert.equal(hit.relayed!.answerCount, 2);
  assert.deepEqual([hit.rcode, hit.answers, hit.authority, hit.additional], [RCODE.NOERROR, [], [], []]);
  assert.deepEqual(decodeMessage(hit.relayed!.message).edns, decodeMessage(kept).edns, 'the OPT record is untouched');
  assert.deepEqual(given.relayed!.message, kept, 'the message the next plugin gave is unchanged');
  assert.notEqual(hit.relayed!.message, first.relayed!.message);
});

test('a relayed denial lives by its SOA', async () => {
  const c = makeCache();
  const up = upstream(() => relayed(NAME, 'A', reply(RCODE.NXDOMAIN, [], [rr(soa(300, 60))])));
  await serve(c, ask(NAME), up.next);
  c.clock.advance(59);
  const hit = await serve(c, ask(NAME), up.next);
  assert.deepEqual([hit.rcode, ttls(hit)], [RCODE.NXDOMAIN, [1]]);
  c.clock.advance(1);
  await serve(c, ask(NAME), up.next);
  assert.equal(up.asked.length, 2);
});

const passed: { why: string; reply: () => Reply }[] = [
  { why: 'truncated', reply: () => ({ ...relayed(NAME, 'A', chain), truncated: true }) },
  {
    why: 'malformed',
    reply: () => {
      const r = relayed(NAME, 'A', chain);
      return { ...r, relayed: { ...r.relayed!, message: r.relayed!.message.subarray(0, r.relayed!.message.length - 3) } };
    },
  },
];

for (const p of passed) {
  test(`a ${p.why} relayed reply is handed on as it came and not kept`, async () => {
    const c = makeCache();
    const given = p.reply();
    const up = upstream(() => given);
    assert.equal(await serve(c, ask(NAME), up.next), given);
    await serve(c, ask(NAME), up.next);
    assert.equal(up.asked.length, 2);
  });
}
