import assert from 'node:assert/strict';
import { test } from 'node:test';
import packet from 'dns-packet';
import { decodeMessage, encodeQuery } from '../../src/dns/wire.js';
import { labels, message, opt, pointer, question, record, u16 } from './raw.js';

test('encodeQuery builds what dns-packet reads as the same query', () => {
  const wire = encodeQuery({ id: 4321, name: 'Web.default.svc.cluster.local', type: 'SRV', edns: { udpSize: 1400, do: true } });
  const d = packet.decode(wire);
  assert.deepEqual(
    [d.id, d.type, ((d.flags ?? 0) >> 11) & 0xf, d.flag_rd, d.flag_cd, d.questions],
    [4321, 'query', 0, true, false, [{ name: 'Web.default.svc.cluster.local', type: 'SRV', class: 'IN' }]],
  );
  const o = d.additionals?.[0] as { name: string; type: string; udpPayloadSize: number; ednsVersion: number; flag_do: boolean };
  assert.deepEqual([o.name, o.type, o.udpPayloadSize, o.ednsVersion, o.flag_do], ['.', 'OPT', 1400, 0, true]);
});

const queryCases: { name: string; spec: Parameters<typeof encodeQuery>[0]; header: number[]; qtype: number; qclass: number; arcount: number }[] = [
  { name: 'RD by default', spec: { id: 1, name: 'a', type: 'A' }, header: [0x01, 0x00], qtype: 1, qclass: 1, arcount: 0 },
  { name: 'RD off, CD on', spec: { id: 1, name: 'a', type: 'A', rd: false, cd: true }, header: [0x00, 0x10], qtype: 1, qclass: 1, arcount: 0 },
  { name: 'opcode NOTIFY', spec: { id: 1, name: 'a', type: 'SOA', opcode: 4 }, header: [0x21, 0x00], qtype: 6, qclass: 1, arcount: 0 },
  { name: 'HTTPS by mnemonic', spec: { id: 1, name: 'a', type: 'HTTPS' }, header: [0x01, 0x00], qtype: 65, qclass: 1, arcount: 0 },
  { name: 'an RFC 3597 type name', spec: { id: 1, name: 'a', type: 'TYPE999' }, header: [0x01, 0x00], qtype: 999, qclass: 1, arcount: 0 },
  { name: 'a numeric type and class CH', spec: { id: 1, name: 'a', type: 16, qclass: 3 }, header: [0x01, 0x00], qtype: 16, qclass: 3, arcount: 0 },
  { name: 'EDNS', spec: { id: 1, name: 'a', type: 'A', edns: { udpSize: 512 } }, header: [0x01, 0x00], qtype: 1, qclass: 1, arcount: 1 },
];

for (const c of queryCases) {
  test(`encodeQuery: ${c.name}`, () => {
    const wire = encodeQuery(c.spec);
    assert.deepEqual([...wire.subarray(2, 4)], c.header);
    assert.deepEqual(wire.subarray(12, 12 + 7), question(labels('a'), c.qtype, c.qclass));
    assert.equal(wire.readUInt16BE(10), c.arcount);
    assert.equal(wire.length, 12 + 7 + c.arcount * 11);
  });
}

test('encodeQuery refuses an unknown type name and an opcode outside 0-15', () => {
  assert.throws(() => encodeQuery({ id: 1, name: 'a', type: 'BOGUS' }), /unknown RR type "BOGUS"/);
  assert.throws(() => encodeQuery({ id: 1, name: 'a', type: 'A', opcode: 16 }), /opcode 16/);
});

test('decodeMessage reads a dns-packet reply: header, sections, and rdata of types we leave to dns-packet', () => {
  const wire = packet.encode({
    id: 77,
    type: 'response',
    flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | 3,
    questions: [{ name: 'example.org', type: 'MX', class: 'IN' }],
    answers: [
      { name: 'example.org', type: 'MX', ttl: 300, data: { preference: 10, exchange: 'mail.example.org' } },
      { name: 'example.org', type: 'CAA', ttl: 300, data: { flags: 0, tag: 'issue', value: 'ca.example' } },
    ],
    authorities: [{ name: 'example.org', type: 'NS', ttl: 60, data: 'ns1.example.org' }],
    additionals: [{ name: 'ns1.example.org', type: 'A', ttl: 60, data: '192.0.2.53' }],
  });
  const d = decodeMessage(wire);
  assert.deepEqual(
    [d.id, d.qr, d.opcode, d.aa, d.tc, d.rd, d.ra, d.cd, d.rcode, d.edns],
    [77, true, 0, true, false, true, false, false, 3, undefined],
  );
  assert.deepEqual(d.questions, [{ name: 'example.org', type: 'MX', class: 1 }]);
  assert.deepEqual(d.answers[0], { name: 'example.org', type: 'MX', class: 1, ttl: 300, data: { preference: 10, exchange: 'mail.example.org' } });
  assert.deepEqual((d.answers[1]?.data as { tag: string }).tag, 'issue');
  assert.deepEqual(d.authority, [{ name: 'example.org', type: 'NS', class: 1, ttl: 60, data: 'ns1.example.org' }]);
  assert.deepEqual(d.additional, [{ name: 'ns1.example.org', type: 'A', class: 1, ttl: 60, data: '192.0.2.53' }]);
});

test('decodeMessage names types dns-packet does not know and hands their rdata over as bytes', () => {
  const svcb = Buffer.from([0, 1, 0, 0, 1, 0, 3, 2, 0x68, 0x32]);
  const wire = message({ qr: true, an: 1 }, question(labels('svc'), 65), record(pointer(12), 65, svcb));
  const d = decodeMessage(wire);
  assert.deepEqual(d.questions, [{ name: 'svc', type: 'HTTPS', class: 1 }]);
  assert.equal(d.answers[0]?.type, 'HTTPS');
  assert.deepEqual(d.answers[0]?.data, svcb);
});

test('decodeMessage folds the OPT extended rcode into rcode and keeps OPT out of additional', () => {
  const wire = message({ qr: true, ar: 1 }, question(labels('x')), opt({ extendedRcode: 1, udpSize: 4096, do: true }));
  const d = decodeMessage(wire);
  assert.equal(d.rcode, 16);
  assert.deepEqual(d.edns, { udpSize: 4096, version: 0, do: true, extendedRcode: 1 });
  assert.deepEqual(d.additional, []);
});

const q = question(labels('a', 'b'));
const malformed: { name: string; bytes: Buffer; error: RegExp }[] = [
  { name: 'shorter than a header', bytes: Buffer.alloc(5), error: /5 bytes is shorter than its 12-byte header/ },
  { name: 'question count beyond the data', bytes: message({ qd: 2 }, q), error: /malformed question name at offset 21/ },
  { name: 'question without type and class', bytes: message({}, labels('a')), error: /question at offset 15 runs past the end/ },
  { name: 'pointer loop', bytes: message({}, question(pointer(12))), error: /malformed question name at offset 12/ },
  { name: 'record header cut short', bytes: message({ an: 1 }, q, pointer(12), u16(1, 1)), error: /record header at offset 23 runs past the end/ },
  { name: 'rdata past the end', bytes: message({ an: 1 }, q, record(pointer(12), 1, Buffer.alloc(4)).subarray(0, 14)), error: /A rdata at offset 33 runs past the end/ },
  { name: 'A rdata of 5 bytes', bytes: message({ an: 1 }, q, record(pointer(12), 1, Buffer.alloc(5))), error: /A rdata ending at offset 38 has the wrong length/ },
  { name: 'AAAA rdata of 4 bytes', bytes: message({ an: 1 }, q, record(pointer(12), 28, Buffer.alloc(4))), error: /AAAA rdata .* wrong length/ },
  { name: 'CNAME rdata longer than its name', bytes: message({ an: 1 }, q, record(pointer(12), 5, Buffer.concat([labels('c'), Buffer.alloc(1)]))), error: /CNAME rdata .* wrong length/ },
  { name: 'CNAME name running out of its rdata', bytes: message({ an: 1 }, q, record(pointer(12), 5, labels('ccc').subarray(0, 3)), labels('x')), error: /malformed name in CNAME rdata at offset 33/ },
  { name: 'SRV without a target', bytes: message({ an: 1 }, q, record(pointer(12), 33, u16(0, 0, 80))), error: /malformed name in SRV rdata/ },
  { name: 'SOA missing its numbers', bytes: message({ an: 1 }, q, record(pointer(12), 6, Buffer.concat([pointer(12), pointer(12)]))), error: /SOA rdata .* wrong length/ },
  { name: 'TXT string past its rdata', bytes: message({ an: 1 }, q, record(pointer(12), 16, Buffer.from([5, 0x61]))), error: /TXT rdata at offset 33 has a string running past its end/ },
  { name: 'MX rdata dns-packet cannot read', bytes: message({ an: 1 }, q, record(pointer(12), 15, Buffer.from([0, 10, 0xc0]))), error: /malformed MX rdata at offset 33/ },
  { name: 'two OPT records', bytes: message({ ar: 2 }, q, opt(), opt()), error: /second OPT record at offset 32/ },
];

for (const c of malformed) {
  test(`decodeMessage throws a clear Error: ${c.name}`, () => {
    assert.throws(() => decodeMessage(c.bytes), (e: unknown) => e instanceof Error && c.error.test(e.message));
  });
}
