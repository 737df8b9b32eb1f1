// TTLs of relayed messages: found once (every record but OPT, the smallest, RFC 2308's negative
// TTL from the authority SOA) and written into copies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../src/dns/reply.js';
import { ttlLayout, withTtl } from '../../src/dns/ttl.js';
import { RCODE, type RR } from '../../src/dns/types.js';
import { decodeMessage } from '../../src/dns/wire.js';
import { upstreamMessage } from './relayed.js';

const soa = (ttl: number, minimum: number): RR => ({
  name: 'example.org',
  ttl,
  type: 'SOA',
  data: { mname: 'ns.example.org', rname: 'hostmaster.example.org', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum },
});
const a = (ttl: number, name = 'www.example.org'): RR => ({ name, ttl, type: 'A', data: '192.0.2.1' });

const layouts: { why: string; rcode?: number; answers?: RR[]; authority?: RR[]; additional?: RR[]; want: { records: number; minimum?: number; negative?: number } }[] = [
  {
    why: 'a CNAME chain: every record, the smallest TTL',
    answers: [{ name: 'www.example.org', ttl: 300, type: 'CNAME', data: 'web.example.org' }, a(60, 'web.example.org')],
    want: { records: 2, minimum: 60 },
  },
  { why: 'all three sections', answers: [a(300)], authority: [{ name: 'example.org', ttl: 200, type: 'NS', data: 'ns.example.org' }], additional: [a(100, 'ns.example.org')], want: { records: 3, minimum: 100 } },
  { why: 'NXDOMAIN: SOA MINIMUM below its TTL', rcode: RCODE.NXDOMAIN, authority: [soa(300, 30)], want: { records: 1, minimum: 300, negative: 30 } },
  { why: 'NODATA: SOA TTL below its MINIMUM', authority: [soa(10, 30)], want: { records: 1, minimum: 10, negative: 10 } },
  { why: 'an SOA in the answer is no negative TTL', answers: [soa(300, 30)], want: { records: 1, minimum: 300 } },
  { why: 'no records at all', rcode: RCODE.SERVFAIL, want: { records: 0 } },
  { why: 'a TTL with the top bit set reads as 0 (RFC 2181)', answers: [a(0x80000000), a(50)], want: { records: 2, minimum: 0 } },
];

for (const c of layouts) {
  for (const edns of [undefined, { do: true }]) {
    test(`ttlLayout: ${c.why}${edns ? ', OPT left out' : ''}`, () => {
      const message = upstreamMessage('www.example.org', 'A', reply(c.rcode ?? RCODE.NOERROR, c.answers, c.authority, c.additional), edns);
      const layout = ttlLayout(message);
      assert.deepEqual({ records: layout.offsets.length, minimum: layout.minimum, negative: layout.negative }, { minimum: undefined, negative: undefined, ...c.want });
    });
  }
}

test('withTtl: a copy where every record but OPT has the TTL, names and EDNS intact', () => {
  const r = reply(RCODE.NOERROR, [{ name: 'www.example.org', ttl: 300, type: 'CNAME', data: 'web.example.org' }, a(60, 'web.example.org')], [soa(100, 5)], [a(20, 'ns.example.org')]);
  const message = upstreamMessage('www.example.org', 'A', r, { do: true });
  const original = Buffer.from(message);
  const copy = withTtl(message, ttlLayout(message).offsets, 1234);
  assert.deepEqual(message, original, 'the original is untouched');
  const before = decodeMessage(message);
  const after = decodeMessage(copy);
  const allRecords = (m: typeof before) => [...m.answers, ...m.authority, ...m.additional];
  assert.deepEqual(allRecords(after).map((rr) => rr.ttl), [1234, 1234, 1234, 1234]);
  assert.deepEqual(allRecords(after).map((rr) => ({ ...rr, ttl: 0 })), allRecords(before).map((rr) => ({ ...rr, ttl: 0 })));
  assert.deepEqual(after.edns, before.edns);
  assert.equal(copy.length, message.length);
});

test('ttlLayout: a message cut short is refused, naming where', () => {
  const message = upstreamMessage('www.example.org', 'A', reply(RCODE.NOERROR, [a(60)]));
  assert.throws(() => ttlLayout(message.subarray(0, message.length - 2)), /offset \d+/);
  assert.throws(() => ttlLayout(message.subarray(0, 8)), /shorter than its 12-byte header/);
});
