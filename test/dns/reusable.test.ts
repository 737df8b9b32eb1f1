// A reusable reply is encoded once per EDNS form and copied after that: every copy must be byte for
// byte what encodeReply makes for that request, whatever its ID, opcode, RD, CD and EDNS; replies
// that could be truncated for some client, and copies of a reusable reply, are encoded afresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authoritative } from '../../src/dns/reply.js';
import { RCODE, type RR } from '../../src/dns/types.js';
import { encodeReply, encodeReusing, reusable, type ReplyContext } from '../../src/dns/wire.js';
import { labels, question } from './raw.js';

const q = question(labels('web', 'default', 'svc', 'cluster', 'local'));
const owner = 'web.default.svc.cluster.local';

function context(over: Partial<ReplyContext> = {}): ReplyContext {
  return { id: 0x4242, opcode: 0, rd: true, cd: false, edns: undefined, questionWire: q, ...over };
}

const addresses = (n: number): RR[] => Array.from({ length: n }, (_, i) => ({ name: owner, type: 'A', ttl: 5, data: `10.0.${i >> 8}.${i & 255}` }));

const requests: Partial<ReplyContext>[] = [
  {},
  { id: 1, rd: false },
  { id: 0xffff, cd: true },
  { id: 7, opcode: 2, rd: false, cd: true },
  { id: 9, edns: { udpSize: 1232, version: 0, do: false } },
  { id: 10, edns: { udpSize: 4096, version: 0, do: true }, cd: true },
  { id: 11, edns: { udpSize: 512, version: 0, do: true }, rd: false },
  { id: 12 },
];

test('every request gets the bytes encodeReply would make, before and after the reply is kept', () => {
  const r = reusable(authoritative(RCODE.NOERROR, addresses(3)));
  for (let round = 0; round < 2; round++) {
    for (const over of requests) {
      const ctx = context(over);
      assert.deepEqual(encodeReusing(ctx, r, 512), encodeReply(ctx, r, 512), JSON.stringify(over));
      assert.deepEqual(encodeReusing(ctx, r, 65535), encodeReply(ctx, r, 65535), `${JSON.stringify(over)} over TCP`);
    }
  }
});

test('a kept reply is copied, not shared: changing one answer leaves the next untouched', () => {
  const r = reusable(authoritative(RCODE.NXDOMAIN, []));
  // The first answer is the one whose bytes are kept; the socket owns what it was given.
  encodeReusing(context(), r, 512).fill(0);
  encodeReusing(context({ id: 1 }), r, 512).fill(0);
  assert.deepEqual(encodeReusing(context({ id: 2 }), r, 512), encodeReply(context({ id: 2 }), r, 512));
});

test('a reply over 512 bytes is encoded for each request, truncated where the limit says so', () => {
  // 40 A records: ~700 bytes, over UDP's 512 without EDNS.
  const r = reusable(authoritative(RCODE.NOERROR, addresses(40)));
  const small = context();
  const big = context({ edns: { udpSize: 4096, version: 0, do: false } });
  for (let round = 0; round < 2; round++) {
    const cut = encodeReusing(small, r, 512);
    assert.ok(cut.length <= 512);
    assert.equal(cut[2]! & 0x02, 0x02, 'TC for the small limit');
    assert.deepEqual(cut, encodeReply(small, r, 512));
    const whole = encodeReusing(big, r, 1232);
    assert.equal(whole[2]! & 0x02, 0, 'no TC for the large limit');
    assert.deepEqual(whole, encodeReply(big, r, 1232));
  }
});

test('a spread copy of a reusable reply (the cache re-stamping TTLs) is encoded from its own records', () => {
  const r = reusable(authoritative(RCODE.NOERROR, addresses(1)));
  encodeReusing(context(), r, 512);
  encodeReusing(context(), r, 512);
  const restamped = { ...r, answers: r.answers.map((rr) => ({ ...rr, ttl: 1 })) };
  assert.deepEqual(encodeReusing(context(), restamped, 512), encodeReply(context(), restamped, 512));
  assert.notDeepEqual(encodeReusing(context(), restamped, 512), encodeReusing(context(), r, 512));
});
