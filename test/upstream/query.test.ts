// Upstream queries and the recognition of their answers: the anti-spoofing rules of
// src/upstream/query.ts, one case per way an answer can fail to match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeMessage } from '../../src/dns/wire.js';
import { QTYPE } from '../../src/dns/types.js';
import { mismatch, queryMessage, questionWire, randomId, UPSTREAM_UDP_SIZE } from '../../src/upstream/query.js';

const ID = 0x1234;
const QUESTION = questionWire('www.Example.com', QTYPE.A);

/** A response to our query with `change` applied to its bytes. */
function answer(change: (m: Buffer) => void = () => undefined, question = QUESTION): Buffer {
  const m = Buffer.alloc(12 + question.length);
  m.writeUInt16BE(ID, 0);
  m.writeUInt16BE(0x8180, 2);
  m.writeUInt16BE(1, 4);
  question.copy(m, 12);
  change(m);
  return m;
}

/** `ours` is the question we asked, QUESTION unless given. */
const cases: { why: string; message: Buffer; expected: ReturnType<typeof mismatch>; ours?: Buffer }[] = [
  { why: 'the answer itself', message: answer(), expected: undefined },
  { why: 'the name in other letter case (0x20)', message: answer(undefined, questionWire('WWW.EXAMPLE.COM', QTYPE.A)), expected: undefined },
  { why: 'another ID', message: answer((m) => m.writeUInt16BE(ID + 1, 0)), expected: 'id' },
  { why: 'a query, not a response (QR clear)', message: answer((m) => m.writeUInt16BE(0x0100, 2)), expected: 'question' },
  { why: 'another opcode', message: answer((m) => m.writeUInt16BE(0x8180 | (2 << 11), 2)), expected: 'question' },
  { why: 'no question', message: answer((m) => m.writeUInt16BE(0, 4)), expected: 'question' },
  { why: 'another name', message: answer(undefined, questionWire('www.example.org', QTYPE.A)), expected: 'question' },
  { why: 'a longer name with our name as prefix', message: answer(undefined, questionWire('www.example.com.evil', QTYPE.A)), expected: 'question' },
  { why: 'another type', message: answer(undefined, questionWire('www.Example.com', QTYPE.AAAA)), expected: 'question' },
  // 0x41 (HTTPS) and 0x61 differ only by the "case" bit: a type is not a letter.
  { why: 'type 97 against type 65', message: answer(undefined, questionWire('a', 97)), expected: 'question', ours: questionWire('a', QTYPE.HTTPS) },
  { why: 'another class', message: answer(undefined, questionWire('www.Example.com', QTYPE.A, 3)), expected: 'question' },
  { why: 'cut inside the question', message: answer().subarray(0, 20), expected: 'question' },
  { why: 'shorter than a header', message: Buffer.alloc(5), expected: 'id' },
];

for (const c of cases) {
  test(`an answer with ${c.why} is ${c.expected === undefined ? 'accepted' : `ignored (${c.expected})`}`, () => {
    assert.equal(mismatch(c.message, ID, c.ours ?? QUESTION), c.expected);
  });
}

test('the upstream query carries the question bytes, RD and CD as given, and an OPT of 1232 bytes with DO as given', () => {
  for (const flags of [
    { rd: true, cd: false, dnssecOk: false },
    { rd: false, cd: true, dnssecOk: true },
  ]) {
    const wire = queryMessage(ID, { question: QUESTION, ...flags });
    const m = decodeMessage(wire);
    assert.deepEqual(
      { id: m.id, qr: m.qr, rd: m.rd, cd: m.cd, questions: m.questions, edns: m.edns },
      {
        id: ID,
        qr: false,
        rd: flags.rd,
        cd: flags.cd,
        questions: [{ name: 'www.Example.com', type: 'A', class: 1 }],
        edns: { udpSize: UPSTREAM_UDP_SIZE, version: 0, do: flags.dnssecOk, extendedRcode: 0 },
      },
    );
    assert.deepEqual(wire.subarray(12, 12 + QUESTION.length), QUESTION);
  }
});

test('query IDs are not predictable from one another: 4096 draws take over 3500 distinct values', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 4096; i++) seen.add(randomId());
  // 4096 uniform draws from 65536 values give about 3970 distinct ones; a counter or a short cycle would not.
  assert.ok(seen.size > 3500, `only ${seen.size} distinct IDs`);
});
