import assert from 'node:assert/strict';
import { test } from 'node:test';
import packet from 'dns-packet';
import { reply } from '../../src/dns/reply.js';
import { RCODE, type RR } from '../../src/dns/types.js';
import { decodeMessage, encodeReply, type ReplyContext } from '../../src/dns/wire.js';
import { labels, question } from './raw.js';

const HEADER = 12;
const FIXED = 10;
const POINTER = 2;

function context(questionWire: Buffer): ReplyContext {
  return { id: 1, opcode: 0, rd: true, cd: false, edns: undefined, questionWire };
}

/** Bytes of a name written out in full. */
function full(name: string): number {
  return name === '' ? 1 : Buffer.byteLength(name) + 2;
}

function encode(questionName: (string | Buffer)[], records: RR[], limit = 65535): Buffer {
  return encodeReply(context(question(labels(...questionName))), reply(RCODE.NOERROR, records), limit);
}

const svc = 'web.default.svc.cluster.local';
const svcLabels = svc.split('.');

function aRecords(n: number, name = svc): RR[] {
  return Array.from({ length: n }, (_, i) => ({ name, type: 'A' as const, ttl: 5, data: `10.1.${i >> 8}.${i & 0xff}` }));
}

test('20 A records for the question name cost 16 bytes each (2-byte pointer + 10 + 4)', () => {
  const bare = encode(svcLabels, []).length;
  for (let n = 1; n <= 20; n++) assert.equal(encode(svcLabels, aRecords(n)).length, bare + n * (POINTER + FIXED + 4));
  const decoded = decodeMessage(encode(svcLabels, aRecords(20)));
  assert.equal(decoded.answers.length, 20);
  assert.ok(decoded.answers.every((a) => a.name === svc));
});

test('without a question to point to, the first owner is written in full and the rest point to it', () => {
  const wire = encodeReply(context(Buffer.alloc(0)), reply(RCODE.NOERROR, aRecords(3)), 512);
  assert.equal(wire.length, HEADER + full(svc) + FIXED + 4 + 2 * (POINTER + FIXED + 4));
  assert.deepEqual(packet.decode(wire).answers?.map((a) => a.name), [svc, svc, svc]);
});

test('an owner sharing only a suffix writes its own labels and points for the rest', () => {
  const wire = encode(svcLabels, [{ name: 'api.default.svc.cluster.local', type: 'A', ttl: 5, data: '10.0.0.1' }]);
  assert.equal(wire.length, HEADER + full(svc) + 4 + (1 + 3) + POINTER + FIXED + 4);
  assert.equal(decodeMessage(wire).answers[0]?.name, 'api.default.svc.cluster.local');
});

const rdataNames: { type: string; rr: RR; rdata: number }[] = [
  { type: 'CNAME', rr: { name: svc, type: 'CNAME', ttl: 5, data: 'api.default.svc.cluster.local' }, rdata: 1 + 3 + POINTER },
  { type: 'NS', rr: { name: 'cluster.local', type: 'NS', ttl: 5, data: 'ns.dns.svc.cluster.local' }, rdata: 1 + 2 + 1 + 3 + POINTER },
  { type: 'PTR', rr: { name: 'cluster.local', type: 'PTR', ttl: 5, data: svc }, rdata: POINTER },
  {
    type: 'SOA',
    rr: { name: 'cluster.local', type: 'SOA', ttl: 5, data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } },
    rdata: 1 + 2 + 1 + 3 + POINTER + 1 + 10 + POINTER + 20,
  },
];

for (const c of rdataNames) {
  test(`names inside ${c.type} rdata are compressed`, () => {
    const wire = encode(svcLabels, [c.rr]);
    // Every owner here is the question name or one of its suffixes: one pointer.
    assert.equal(wire.length, HEADER + full(svc) + 4 + POINTER + FIXED + c.rdata);
    const [ours] = decodeMessage(wire).answers;
    assert.deepEqual(ours?.data, c.rr.data);
    assert.deepEqual((packet.decode(wire).answers?.[0] as { data: unknown }).data, c.rr.data);
  });
}

test('an SRV target is written in full (RFC 2782) yet later names may point into it', () => {
  const target = 'web-0.web.headless.svc.cluster.local';
  const records: RR[] = [
    { name: '_http._tcp.web.headless.svc.cluster.local', type: 'SRV', ttl: 5, data: { priority: 0, weight: 100, port: 80, target } },
    { name: target, type: 'A', ttl: 5, data: '10.244.1.5' },
  ];
  const q = ['_http', '_tcp', 'web', 'headless', 'svc', 'cluster', 'local'];
  const wire = encode(q, records);
  const srvRdata = 6 + full(target);
  const targetAt = wire.indexOf(labels(...target.split('.')));
  assert.ok(targetAt > 0, 'the target appears uncompressed');
  assert.equal(wire.length, HEADER + full(q.join('.')) + 4 + (POINTER + FIXED + srvRdata) + (POINTER + FIXED + 4));
  assert.equal(wire.readUInt16BE(wire.length - 4 - FIXED - POINTER), 0xc000 | targetAt);
  assert.deepEqual(decodeMessage(wire).answers.map((a) => a.name), [q.join('.'), target]);
});

test('compression is byte-exact: a name differing only in letter case is not folded into the question', () => {
  const wire = encode(['WEB', 'Default', 'svc', 'Cluster', 'local'], aRecords(1));
  // Only "local" matches byte for byte; every other label is written out.
  assert.equal(wire.length, HEADER + full(svc) + 4 + (full(svc) - full('local') + POINTER) + FIXED + 4);
  const decoded = decodeMessage(wire);
  assert.equal(decoded.questions[0]?.name, 'WEB.Default.svc.Cluster.local');
  assert.equal(decoded.answers[0]?.name, svc);
  assert.equal(packet.decode(wire).answers?.[0]?.name, svc);
});

test('a question label holding a dot is matched by the same name in text form', () => {
  const questionName = [Buffer.from('a.b'), 'svc', 'cluster', 'local'];
  const wire = encode(questionName, [{ name: 'a\\.b.svc.cluster.local', type: 'A', ttl: 5, data: '10.0.0.9' }]);
  assert.equal(wire.length, HEADER + labels(...questionName).length + 4 + POINTER + FIXED + 4);
  const decoded = decodeMessage(wire);
  assert.equal(decoded.questions[0]?.name, 'a\\.b.svc.cluster.local');
  assert.equal(decoded.answers[0]?.name, 'a\\.b.svc.cluster.local');
});

test('names first written past 16 KiB, beyond the reach of a pointer, are written again in full', () => {
  const records: RR[] = [];
  for (let i = 0; i < 700; i++) {
    const name = `pod-${i >> 1}.web.default.svc.cluster.local`;
    records.push({ name, type: 'TXT', ttl: 5, data: ['t'.repeat(40)] });
  }
  const wire = encode(svcLabels, records);
  assert.ok(wire.length > 0x4000 * 2);
  const decoded = decodeMessage(wire);
  assert.deepEqual(decoded.answers.map((a) => a.name), records.map((r) => r.name));
  assert.deepEqual(packet.decode(wire).answers?.map((a) => a.name), records.map((r) => r.name));
});

test('a message with more suffixes than the target table holds is still written correctly', () => {
  let seed = 12345;
  const label = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8).toString(36).slice(0, 2).padStart(2, '0');
  };
  // 80 two-letter labels a name, 70 names: about 5600 distinct suffixes within the first 16 KiB.
  const names = Array.from({ length: 70 }, () => [...Array.from({ length: 80 }, label), 'zone'].join('.'));
  const records: RR[] = [...names, names[0]!].map((name) => ({ name, type: 'A', ttl: 5, data: '10.0.0.1' }));
  const wire = encodeReply(context(Buffer.alloc(0)), reply(RCODE.NOERROR, records), 65535);
  assert.deepEqual(decodeMessage(wire).answers.map((a) => a.name), records.map((r) => r.name));
  // The first name was remembered before the table filled: its repeat is one pointer.
  assert.equal(wire.readUInt16BE(wire.length - 16), 0xc000 | 12);
});
