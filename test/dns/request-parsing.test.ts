import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequest, type Parsed } from '../../src/dns/wire.js';
import { RCODE } from '../../src/dns/types.js';
import { labels, message, opt, pointer, question, record, u16 } from './raw.js';

const www = labels('www', 'Example', 'COM');
const wwwQuestion = question(www);

interface Case {
  name: string;
  bytes: Buffer;
  expect:
    | { kind: 'drop' }
    | { kind: 'reject'; rcode: number; questionWire: Buffer; edns?: { udpSize: number; version: number; do: boolean } };
}

const cases: Case[] = [
  { name: 'empty datagram', bytes: Buffer.alloc(0), expect: { kind: 'drop' } },
  { name: '11 bytes, one short of a header', bytes: message({}).subarray(0, 11), expect: { kind: 'drop' } },
  { name: 'a response (QR=1), so replies never ping-pong', bytes: message({ qr: true }, wwwQuestion), expect: { kind: 'drop' } },
  { name: 'a response with a bad opcode is still dropped', bytes: message({ qr: true, opcode: 5 }, wwwQuestion), expect: { kind: 'drop' } },

  { name: 'IQUERY echoes the question', bytes: message({ opcode: 1 }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.NOTIMP, questionWire: wwwQuestion } },
  { name: 'UPDATE echoes the question', bytes: message({ opcode: 5 }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.NOTIMP, questionWire: wwwQuestion } },
  { name: 'NOTIFY without a question', bytes: message({ opcode: 4, qd: 0 }), expect: { kind: 'reject', rcode: RCODE.NOTIMP, questionWire: Buffer.alloc(0) } },
  { name: 'STATUS with an unreadable question', bytes: message({ opcode: 2 }, Buffer.from([5, 0x61])), expect: { kind: 'reject', rcode: RCODE.NOTIMP, questionWire: Buffer.alloc(0) } },

  { name: 'no question', bytes: message({ qd: 0 }), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'two questions', bytes: message({ qd: 2 }, wwwQuestion, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'an answer record in a query', bytes: message({ an: 1 }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },
  { name: 'an authority record in a query', bytes: message({ ns: 1 }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },
  { name: 'three additional records', bytes: message({ ar: 3 }, wwwQuestion, opt(), opt(), opt()), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },
  { name: 'the Z bit set', bytes: message({ z: true }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },

  { name: 'question name cut short', bytes: message({}, Buffer.from([3, 0x77, 0x77])), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'question without its class', bytes: message({}, www, u16(1)), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'label length 64 (label type 01)', bytes: message({}, question(Buffer.concat([Buffer.from([64]), Buffer.alloc(64, 0x61), Buffer.from([0])]))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'label type 10', bytes: message({}, question(Buffer.from([0x80, 0]))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'name of 256 bytes', bytes: message({}, question(labels('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'pointer to itself (a loop)', bytes: message({}, question(pointer(12))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'pointer back to an earlier label of the same name (a loop)', bytes: message({}, question(Buffer.concat([Buffer.from([1, 0x61]), pointer(12)]))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'forward pointer', bytes: message({}, question(pointer(20)), labels('a')), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'pointer into the header', bytes: message({}, question(pointer(4))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'pointer cut in half', bytes: message({}, Buffer.from([0xc0])), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },

  { name: 'additional record missing', bytes: message({ ar: 1 }, wwwQuestion), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'additional record cut inside its fixed fields', bytes: message({ ar: 1 }, wwwQuestion, opt().subarray(0, 6)), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'additional rdata longer than the message', bytes: message({ ar: 1 }, wwwQuestion, opt({ rdata: Buffer.alloc(8) }).subarray(0, 15)), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'additional owner with a forward pointer', bytes: message({ ar: 1 }, wwwQuestion, record(pointer(200), 250, Buffer.alloc(4))), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: Buffer.alloc(0) } },
  { name: 'two OPT records', bytes: message({ ar: 2 }, wwwQuestion, opt(), opt()), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },
  { name: 'OPT owned by a name other than the root', bytes: message({ ar: 1 }, wwwQuestion, opt({ owner: labels('x') })), expect: { kind: 'reject', rcode: RCODE.FORMERR, questionWire: wwwQuestion } },
  {
    name: 'EDNS version 1 (BADVERS keeps the OPT facts)',
    bytes: message({ ar: 1 }, wwwQuestion, opt({ version: 1, udpSize: 4096, do: true })),
    expect: { kind: 'reject', rcode: RCODE.BADVERS, questionWire: wwwQuestion, edns: { udpSize: 4096, version: 1, do: true } },
  },
];

for (const c of cases) {
  test(`parseRequest: ${c.name} → ${c.expect.kind === 'drop' ? 'drop' : `rcode ${c.expect.rcode}`}`, () => {
    const parsed = parseRequest(c.bytes);
    assert.equal(parsed.kind, c.expect.kind);
    if (parsed.kind === 'drop') {
      assert.ok(parsed.reason.length > 0);
      return;
    }
    assert.equal(parsed.kind, 'reject');
    const expect = c.expect as Extract<Case['expect'], { kind: 'reject' }>;
    assert.equal(parsed.rcode, expect.rcode);
    assert.deepEqual(parsed.context.questionWire, expect.questionWire);
    assert.deepEqual(parsed.context.edns, expect.edns);
    // The header facts a reply echoes survive every rejection.
    assert.equal(parsed.context.id, c.bytes.readUInt16BE(0));
    assert.equal(parsed.context.opcode, (c.bytes[2] >> 3) & 0xf);
    assert.equal(parsed.context.rd, (c.bytes[2] & 1) === 1);
  });
}

function request(parsed: Parsed) {
  assert.equal(parsed.kind, 'request', JSON.stringify(parsed));
  return (parsed as Extract<Parsed, { kind: 'request' }>).request;
}

test('parseRequest reads id, flags, name with its letter case, type and class', () => {
  const bytes = message({ id: 0xbeef, rd: false, cd: true }, question(www, 33, 3));
  const r = request(parseRequest(bytes));
  assert.deepEqual(
    { id: r.id, opcode: r.opcode, rd: r.rd, cd: r.cd, name: r.name, qtype: r.qtype, qclass: r.qclass, edns: r.edns },
    { id: 0xbeef, opcode: 0, rd: false, cd: true, name: 'www.Example.COM', qtype: 33, qclass: 3, edns: undefined },
  );
});

test('parseRequest keeps the question bytes exactly as received, in a copy of its own', () => {
  const bytes = message({}, wwwQuestion);
  const r = request(parseRequest(bytes));
  assert.deepEqual(r.questionWire, wwwQuestion);
  bytes.fill(0);
  assert.deepEqual(r.questionWire, wwwQuestion);
});

test('parseRequest names the root ""', () => {
  assert.equal(request(parseRequest(message({}, question(labels(), 2)))).name, '');
});

test('parseRequest accepts a name of exactly 255 bytes', () => {
  const name = labels('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61));
  assert.equal(name.length, 255);
  assert.equal(request(parseRequest(message({}, question(name)))).name, ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.'));
});

test('parseRequest escapes label bytes that could pass for a boundary or are not printable', () => {
  const odd = Buffer.from([0x61, 0x2e, 0x62, 0x20, 0x5c, 0xff, 0x00, 0x7e]);
  const r = request(parseRequest(message({}, question(labels(odd, 'svc')))));
  assert.equal(r.name, 'a\\.b\\032\\\\\\255\\000~.svc');
});

test('parseRequest reads the OPT record and skips other additional records (TSIG with a compressed owner)', () => {
  const tsig = record(pointer(12), 250, Buffer.alloc(20, 7), 0, 255);
  const r = request(parseRequest(message({ ar: 2 }, wwwQuestion, tsig, opt({ udpSize: 1400, do: true }))));
  assert.deepEqual(r.edns, { udpSize: 1400, version: 0, do: true });
  assert.equal(r.name, 'www.Example.COM');
});

test('parseRequest takes an OPT with options and no DO bit', () => {
  const cookie = Buffer.concat([u16(10, 8), Buffer.alloc(8, 1)]);
  const r = request(parseRequest(message({ ar: 1 }, wwwQuestion, opt({ udpSize: 512, rdata: cookie }))));
  assert.deepEqual(r.edns, { udpSize: 512, version: 0, do: false });
});
