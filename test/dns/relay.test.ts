// Relaying a whole upstream message to a client (src/dns/relay.ts through encodeReply): what is
// copied, what is the client's, what is ours, how EDNS is negotiated, and what is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authoritative, reply } from '../../src/dns/reply.js';
import { relayedReply } from '../../src/dns/relay.js';
import { RCODE, type Edns, type Reply, type RR } from '../../src/dns/types.js';
import { decodeMessage, encodeQuery, encodeReply, type ReplyContext } from '../../src/dns/wire.js';
import { relayed, upstreamMessage } from './relayed.js';

const NAME = 'www.example.com';
const A: RR = { name: NAME, type: 'A', ttl: 60, data: '192.0.2.1' };
const SOA: RR = {
  name: 'example.com', type: 'SOA', ttl: 60,
  data: { mname: 'ns.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 30 },
};
const EDNS: Edns = { udpSize: 4096, version: 0, do: true };

/** The client's side: its ID, flags and question bytes (in the client's letter case). */
function client(edns?: Edns, name = 'WwW.ExAmPlE.cOm', flags: { rd?: boolean; cd?: boolean } = {}): ReplyContext {
  return { id: 0x4242, opcode: 0, rd: flags.rd ?? true, cd: flags.cd ?? false, edns, questionWire: encodeQuery({ id: 0, name, type: 'A' }).subarray(12) };
}

/** What forward hands on: AA cleared, RA set. */
function forwarded(r: Reply, edns?: { do: boolean }): Reply {
  return { ...relayed(NAME, 'A', r, edns), authoritative: false, recursionAvailable: true };
}

test('the client gets its ID and question bytes; the records, rcode and TC come from the message; AA and RA from the reply', () => {
  const wire = encodeReply(client(), forwarded(authoritative(RCODE.NOERROR, [A])), 512);
  const m = decodeMessage(wire);
  assert.equal(m.id, 0x4242);
  assert.deepEqual(m.questions, [{ name: 'WwW.ExAmPlE.cOm', type: 'A', class: 1 }]);
  assert.deepEqual(wire.subarray(12, 12 + client().questionWire.length), client().questionWire);
  assert.deepEqual({ qr: m.qr, aa: m.aa, ra: m.ra, tc: m.tc, rcode: m.rcode }, { qr: true, aa: false, ra: true, tc: false, rcode: RCODE.NOERROR });
  // The owner is a pointer to the question, so it reads in the client's letter case.
  assert.deepEqual(m.answers, [{ name: 'WwW.ExAmPlE.cOm', type: 'A', class: 1, ttl: 60, data: '192.0.2.1' }]);
});

test('RD and CD are the client’s; AD is the message’s', () => {
  const message = upstreamMessage(NAME, 'A', authoritative(RCODE.NOERROR, [A]));
  message.writeUInt16BE(message.readUInt16BE(2) | 0x20 | 0x10, 2);
  const r = { ...relayedReply(message, { authoritative: false, recursionAvailable: true })! };
  const wire = encodeReply(client(undefined, undefined, { rd: false, cd: false }), r, 512);
  const flags = wire.readUInt16BE(2);
  assert.deepEqual({ rd: !!(flags & 0x100), cd: !!(flags & 0x10), ad: !!(flags & 0x20) }, { rd: false, cd: false, ad: true });
  const withCd = encodeReply(client(undefined, undefined, { cd: true }), r, 512);
  assert.equal(!!(withCd.readUInt16BE(2) & 0x10), true);
});

const ednsCases: { why: string; clientEdns: Edns | undefined; upstreamOpt: boolean; opt: Edns | undefined }[] = [
  { why: 'no EDNS from the client: the upstream’s OPT is stripped', clientEdns: undefined, upstreamOpt: true, opt: undefined },
  { why: 'no EDNS anywhere', clientEdns: undefined, upstreamOpt: false, opt: undefined },
  { why: 'EDNS from the client: one OPT, ours (1232, the client’s DO)', clientEdns: EDNS, upstreamOpt: true, opt: { udpSize: 1232, version: 0, do: true } },
  { why: 'EDNS from the client, none from the upstream: ours is added', clientEdns: { ...EDNS, do: false }, upstreamOpt: false, opt: { udpSize: 1232, version: 0, do: false } },
];

for (const c of ednsCases) {
  test(c.why, () => {
    const r = forwarded(authoritative(RCODE.NOERROR, [A], [], [{ ...A, name: 'glue.example.com' }]), c.upstreamOpt ? { do: false } : undefined);
    const m = decodeMessage(encodeReply(client(c.clientEdns), r, 4096));
    assert.deepEqual(m.edns && { udpSize: m.edns.udpSize, version: m.edns.version, do: m.edns.do }, c.opt);
    // Compressed against the question, the owner reads in the client's letter case.
    assert.deepEqual(m.additional.map((rr) => rr.name), ['glue.ExAmPlE.cOm'], 'other additional records stay');
  });
}

test('a message over the client’s limit becomes header, question (and OPT) with TC set', () => {
  const many = Array.from({ length: 60 }, (_, i) => ({ ...A, data: `192.0.2.${i}` }));
  const r = forwarded(authoritative(RCODE.NOERROR, many), { do: false });
  for (const edns of [undefined, { ...EDNS, udpSize: 600 }]) {
    const wire = encodeReply(client(edns), r, edns ? 600 : 512);
    const m = decodeMessage(wire);
    assert.deepEqual([m.tc, m.answers.length, m.authority.length, m.additional.length, m.edns !== undefined], [true, 0, 0, 0, edns !== undefined]);
    assert.deepEqual(m.questions, [{ name: 'WwW.ExAmPlE.cOm', type: 'A', class: 1 }]);
    const whole = decodeMessage(encodeReply(client(edns), r, 65535));
    assert.deepEqual([whole.tc, whole.answers.length], [false, 60]);
  }
});

test('TC set by the upstream stays set; a negative answer keeps its SOA', () => {
  const truncated = { ...authoritative(RCODE.NOERROR, [A]), truncated: true };
  assert.equal(decodeMessage(encodeReply(client(), forwarded(truncated), 512)).tc, true);
  const m = decodeMessage(encodeReply(client(), forwarded(authoritative(RCODE.NXDOMAIN, [], [SOA])), 512));
  assert.equal(m.rcode, RCODE.NXDOMAIN);
  assert.deepEqual(m.authority.map((rr) => rr.type), ['SOA']);
});

test('an extended rcode travels in our OPT; a client without EDNS gets SERVFAIL instead', () => {
  const badvers = forwarded(reply(RCODE.BADVERS), { do: false });
  assert.equal(badvers.rcode, RCODE.BADVERS);
  assert.equal(decodeMessage(encodeReply(client(EDNS), badvers, 4096)).rcode, RCODE.BADVERS);
  assert.equal(decodeMessage(encodeReply(client(), badvers, 512)).rcode, RCODE.SERVFAIL);
});

test('records after the OPT record are dropped with it, so every kept pointer stays valid', () => {
  const message = upstreamMessage(NAME, 'A', authoritative(RCODE.NOERROR, [A], [], [{ ...A, name: 'before.example.com' }]), { do: false });
  // One more additional record after the OPT: owner is a pointer to the question name.
  const after = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 99]);
  const withTrailer = Buffer.concat([message, after]);
  withTrailer.writeUInt16BE(withTrailer.readUInt16BE(10) + 1, 10);
  const r = relayedReply(withTrailer, { authoritative: false, recursionAvailable: true })!;
  const m = decodeMessage(encodeReply(client(), r, 512));
  assert.deepEqual(m.additional.map((rr) => rr.name.toLowerCase()), ['before.example.com']);
  assert.equal(m.edns, undefined);
});

const refusals: { why: string; message: () => Buffer; context?: ReplyContext }[] = [
  { why: 'another question of the same length', message: () => upstreamMessage('www.example.org', 'A', authoritative(RCODE.NOERROR, [])) },
  { why: 'a question of another length', message: () => upstreamMessage('example.com', 'A', authoritative(RCODE.NOERROR, [])) },
  { why: 'another type', message: () => upstreamMessage(NAME, 'AAAA', authoritative(RCODE.NOERROR, [])) },
  { why: 'a message cut short', message: () => upstreamMessage(NAME, 'A', authoritative(RCODE.NOERROR, [A])).subarray(0, 40) },
  { why: 'a query, not a response', message: () => encodeQuery({ id: 1, name: NAME, type: 'A' }) },
];

for (const c of refusals) {
  test(`${c.why}: not relayed, SERVFAIL`, () => {
    const r: Reply = { ...reply(RCODE.NOERROR), recursionAvailable: true, relayed: { message: c.message(), answerCount: 0 } };
    const m = decodeMessage(encodeReply(client(), r, 512));
    assert.deepEqual([m.id, m.rcode, m.answers.length, m.ra], [0x4242, RCODE.SERVFAIL, 0, true]);
    assert.deepEqual(m.questions, [{ name: 'WwW.ExAmPlE.cOm', type: 'A', class: 1 }]);
  });
}

test('relayedReply reads rcode, TC and the answer count from the message, and refuses malformed ones', () => {
  const r = relayedReply(upstreamMessage(NAME, 'A', { ...authoritative(RCODE.NXDOMAIN, [A, A], [SOA]), truncated: true }), {
    authoritative: false,
    recursionAvailable: true,
  })!;
  assert.deepEqual(
    { rcode: r.rcode, truncated: r.truncated, aa: r.authoritative, ra: r.recursionAvailable, answerCount: r.relayed!.answerCount, records: r.answers.length },
    { rcode: RCODE.NXDOMAIN, truncated: true, aa: false, ra: true, answerCount: 2, records: 0 },
  );
  assert.equal(relayedReply(upstreamMessage(NAME, 'A', authoritative(RCODE.NOERROR, [A])).subarray(0, 30), { authoritative: false, recursionAvailable: true }), undefined);
});
