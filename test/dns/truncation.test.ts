import assert from 'node:assert/strict';
import { test } from 'node:test';
import packet from 'dns-packet';
import { reply } from '../../src/dns/reply.js';
import { RCODE, type Edns, type RR } from '../../src/dns/types.js';
import { decodeMessage, encodeReply, udpLimit, type ReplyContext } from '../../src/dns/wire.js';
import { labels, question } from './raw.js';

const svc = 'web.default.svc.cluster.local';
const A_COST = 2 + 10 + 4; // pointer to the question name, fixed fields, address

function context(edns?: Edns): ReplyContext {
  return { id: 7, opcode: 0, rd: true, cd: false, edns, questionWire: question(labels(...svc.split('.'))) };
}

function aRecords(n: number, name = svc): RR[] {
  return Array.from({ length: n }, (_, i) => ({ name, type: 'A' as const, ttl: 5, data: `10.2.${i >> 8}.${i & 0xff}` }));
}

const soa: RR = {
  name: 'cluster.local', type: 'SOA', ttl: 5,
  data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 },
};

function counts(wire: Buffer): number[] {
  return [wire.readUInt16BE(6), wire.readUInt16BE(8), wire.readUInt16BE(10)];
}

const limits: { name: string; edns: Edns | undefined }[] = [
  { name: 'at 512 without EDNS', edns: undefined },
  { name: 'at the advertised 1232 with EDNS', edns: { udpSize: 1232, version: 0, do: false } },
  { name: 'at the advertised 4000 with EDNS', edns: { udpSize: 4000, version: 0, do: true } },
];

for (const { name, edns } of limits) {
  test(`answers that do not fit are cut whole, with TC set, ${name}`, () => {
    const limit = udpLimit(edns);
    const empty = encodeReply(context(edns), reply(RCODE.NOERROR), limit).length;
    const fit = Math.floor((limit - empty) / A_COST);
    const answers = aRecords(fit + 5);
    const wire = encodeReply(context(edns), reply(RCODE.NOERROR, answers, [soa], aRecords(2, 'glue.cluster.local')), limit);
    assert.ok(wire.length <= limit);
    assert.equal(wire.length, empty + fit * A_COST);
    const decoded = decodeMessage(wire);
    assert.equal(decoded.tc, true);
    assert.deepEqual(decoded.answers.map((a) => a.data), answers.slice(0, fit).map((a) => a.data));
    assert.deepEqual([decoded.authority, decoded.additional], [[], []]);
    assert.equal(decoded.edns?.udpSize, edns === undefined ? undefined : 1232);
    assert.equal(packet.decode(wire).answers?.length, fit);
  });

  test(`additional records are dropped first, without TC, ${name}`, () => {
    const limit = udpLimit(edns);
    const empty = encodeReply(context(edns), reply(RCODE.NOERROR), limit).length;
    const fit = Math.floor((limit - empty) / A_COST);
    const glue = aRecords(fit, 'glue.cluster.local');
    const wire = encodeReply(context(edns), reply(RCODE.NOERROR, aRecords(3), [soa], glue), limit);
    assert.ok(wire.length <= limit);
    const decoded = decodeMessage(wire);
    assert.equal(decoded.tc, false);
    assert.deepEqual([decoded.answers.length, decoded.authority.length, decoded.additional.length], [3, 1, 0]);
    assert.deepEqual(counts(wire), [3, 1, edns === undefined ? 0 : 1]);
  });
}

test('additional records go together, even when some of them would fit', () => {
  const limit = 512;
  const empty = encodeReply(context(), reply(RCODE.NOERROR), limit).length;
  const room = Math.floor((limit - empty) / A_COST);
  const wire = encodeReply(context(), reply(RCODE.NOERROR, [], [], aRecords(room + 1)), limit);
  assert.deepEqual(counts(wire), [0, 0, 0]);
  assert.equal(decodeMessage(wire).tc, false);
});

test('authority that does not fit is dropped with TC set, every answer kept', () => {
  const limit = 512;
  const empty = encodeReply(context(), reply(RCODE.NOERROR), limit).length;
  const fit = Math.floor((limit - empty) / A_COST);
  const wire = encodeReply(context(), reply(RCODE.NOERROR, aRecords(fit), [soa]), limit);
  assert.deepEqual(counts(wire), [fit, 0, 0]);
  assert.equal(decodeMessage(wire).tc, true);
});

test('a record that does not fit whole is left out even when later ones would fit', () => {
  const big: RR = { name: svc, type: 'TXT', ttl: 5, data: ['b'.repeat(600)] };
  const wire = encodeReply(context(), reply(RCODE.NOERROR, [...aRecords(1), big, ...aRecords(1)]), 512);
  assert.deepEqual(counts(wire), [1, 0, 0]);
  assert.equal(decodeMessage(wire).tc, true);
});

test('a truncated reply is a prefix of the full one, so its compression pointers stay valid', () => {
  const records = [...aRecords(20), ...aRecords(20, 'api.default.svc.cluster.local')];
  const full = encodeReply(context(), reply(RCODE.NOERROR, records), 65535);
  const cut = encodeReply(context(), reply(RCODE.NOERROR, records), 512);
  assert.ok(cut.length < full.length);
  assert.deepEqual(cut.subarray(12), full.subarray(12, cut.length));
});

test('over TCP (limit 65535) a large reply is sent whole', () => {
  const records = aRecords(2000);
  const wire = encodeReply(context({ udpSize: 512, version: 0, do: false }), reply(RCODE.NOERROR, records, [soa]), 65535);
  const decoded = decodeMessage(wire);
  assert.equal(decoded.tc, false);
  assert.deepEqual([decoded.answers.length, decoded.authority.length], [2000, 1]);
});
