import assert from 'node:assert/strict';
import { test } from 'node:test';
import packet from 'dns-packet';
import { authoritative, reply } from '../../src/dns/reply.js';
import { RCODE, type Reply, type RR } from '../../src/dns/types.js';
import { decodeMessage, encodeReply, parseRequest, type ReplyContext } from '../../src/dns/wire.js';
import { labels, message, opt, question } from './raw.js';

const q = question(labels('web', 'default', 'svc', 'cluster', 'local'));

function context(over: Partial<ReplyContext> = {}): ReplyContext {
  return { id: 0x4242, opcode: 0, rd: true, cd: false, edns: undefined, questionWire: q, ...over };
}

const flagCases: { name: string; ctx: Partial<ReplyContext>; reply: Partial<Reply> }[] = [
  { name: 'plain NOERROR', ctx: {}, reply: {} },
  { name: 'AA and RA set', ctx: {}, reply: { authoritative: true, recursionAvailable: true } },
  { name: 'RD clear, CD set', ctx: { rd: false, cd: true }, reply: {} },
  { name: 'TC asked for by the plugin', ctx: {}, reply: { truncated: true } },
  { name: 'opcode echoed on NOTIMP', ctx: { opcode: 5 }, reply: { rcode: RCODE.NOTIMP } },
  { name: 'FORMERR without a question', ctx: { questionWire: Buffer.alloc(0) }, reply: { rcode: RCODE.FORMERR } },
  { name: 'SERVFAIL', ctx: {}, reply: { rcode: RCODE.SERVFAIL } },
  { name: 'NXDOMAIN', ctx: { id: 0 }, reply: { rcode: RCODE.NXDOMAIN, authoritative: true } },
  { name: 'REFUSED', ctx: { id: 0xffff }, reply: { rcode: RCODE.REFUSED } },
];

for (const c of flagCases) {
  test(`encodeReply header: ${c.name}`, () => {
    const ctx = context(c.ctx);
    const r = { ...reply(RCODE.NOERROR), ...c.reply };
    const wire = encodeReply(ctx, r, 512);
    const ours = decodeMessage(wire);
    assert.deepEqual(
      { id: ours.id, qr: ours.qr, opcode: ours.opcode, aa: ours.aa, tc: ours.tc, rd: ours.rd, ra: ours.ra, cd: ours.cd, rcode: ours.rcode },
      { id: ctx.id, qr: true, opcode: ctx.opcode, aa: r.authoritative, tc: r.truncated, rd: ctx.rd, ra: r.recursionAvailable, cd: ctx.cd, rcode: r.rcode },
    );
    const theirs = packet.decode(wire);
    assert.equal(theirs.flag_qr, true);
    assert.equal(theirs.flag_aa, r.authoritative);
    assert.equal(theirs.flag_tc, r.truncated);
    assert.equal(theirs.flag_rd, ctx.rd);
    assert.equal(theirs.flag_ra, r.recursionAvailable);
    assert.equal(theirs.flag_cd, ctx.cd);
    assert.equal((theirs.flags ?? 0) & 0xf, r.rcode);
    assert.equal(theirs.questions?.length, ctx.questionWire.length > 0 ? 1 : 0);
  });
}

test('encodeReply puts BADVERS into the OPT: header rcode 0, extended rcode 1', () => {
  const parsed = parseRequest(message({ ar: 1 }, q, opt({ version: 1 })));
  assert.equal(parsed.kind, 'reject');
  if (parsed.kind !== 'reject') return;
  const wire = encodeReply(parsed.context, reply(parsed.rcode), 512);
  assert.equal(wire[3] & 0xf, 0);
  const record = packet.decode(wire).additionals?.[0] as { type: string; extendedRcode: number; ednsVersion: number };
  assert.deepEqual([record.type, record.extendedRcode, record.ednsVersion], ['OPT', 1, 0]);
  assert.equal(decodeMessage(wire).rcode, RCODE.BADVERS);
});

test('encodeReply refuses an extended rcode when there is no OPT to carry it', () => {
  assert.throws(() => encodeReply(context(), reply(RCODE.BADVERS), 512), /rcode 16 cannot be sent without EDNS/);
});

test('encodeReply echoes the question byte for byte, letter case and all', () => {
  const mixed = question(labels('WeB', 'DeFault', 'SVC', 'cluster', 'LOCAL'), 28, 1);
  const wire = encodeReply(context({ questionWire: mixed }), reply(RCODE.NOERROR), 512);
  assert.deepEqual(wire.subarray(12, 12 + mixed.length), mixed);
  assert.equal(wire.length, 12 + mixed.length);
  assert.deepEqual(decodeMessage(wire).questions, [{ name: 'WeB.DeFault.SVC.cluster.LOCAL', type: 'AAAA', class: 1 }]);
});

test('encodeReply rejects a questionWire that is not exactly one question', () => {
  for (const bad of [q.subarray(0, q.length - 1), Buffer.concat([q, Buffer.from([0])]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]) {
    assert.throws(() => encodeReply(context({ questionWire: bad }), reply(RCODE.NOERROR), 512), /questionWire/);
  }
});

const owner = 'web.default.svc.cluster.local';
const soa = { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 12345, refresh: 7200, retry: 1800, expire: 86400, minimum: 5 };
const roundTrips: { rr: RR; theirs?: unknown }[] = [
  { rr: { name: owner, type: 'A', ttl: 5, data: '10.96.0.10' } },
  { rr: { name: owner, type: 'AAAA', ttl: 5, data: 'fd00:10:96::a' } },
  { rr: { name: owner, type: 'CNAME', ttl: 30, data: 'other.default.svc.cluster.local' } },
  { rr: { name: '10.0.96.10.in-addr.arpa', type: 'PTR', ttl: 5, data: owner } },
  { rr: { name: 'cluster.local', type: 'NS', ttl: 5, data: 'ns.dns.cluster.local' } },
  { rr: { name: `_http._tcp.${owner}`, type: 'SRV', ttl: 5, data: { priority: 0, weight: 100, port: 8080, target: owner } } },
  { rr: { name: 'cluster.local', type: 'SOA', ttl: 5, data: soa } },
  { rr: { name: 'dns-version.cluster.local', type: 'TXT', ttl: 0, data: ['1.1.0', ''] }, theirs: [Buffer.from('1.1.0'), Buffer.alloc(0)] },
  { rr: { name: '', type: 'NS', ttl: 3600, data: 'a.root-servers.net' }, theirs: 'a.root-servers.net' },
];

for (const { rr, theirs } of roundTrips) {
  test(`encodeReply ${rr.type} reads back the same through decodeMessage and dns-packet`, () => {
    const wire = encodeReply(context(), authoritative(RCODE.NOERROR, [rr]), 512);
    const [ours] = decodeMessage(wire).answers;
    assert.deepEqual(ours, { name: rr.name, type: rr.type, class: 1, ttl: rr.ttl, data: rr.data });
    const [answer] = packet.decode(wire).answers ?? [];
    assert.equal(answer?.name, rr.name === '' ? '.' : rr.name);
    assert.equal(answer?.type, rr.type);
    assert.equal((answer as { class: string }).class, 'IN');
    assert.deepEqual((answer as { data: unknown }).data, theirs ?? rr.data);
  });
}

const ipv6: [string, string][] = [
  ['::', '::'],
  ['::1', '::1'],
  ['1::', '1::'],
  ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
];

for (const [text, canonical] of ipv6) {
  test(`encodeReply AAAA "${text}" is ${canonical}`, () => {
    const wire = encodeReply(context(), reply(RCODE.NOERROR, [{ name: owner, type: 'AAAA', ttl: 5, data: text }]), 512);
    const theirs = packet.encode({ answers: [{ name: 'x', type: 'AAAA', ttl: 5, data: text }] });
    assert.deepEqual(wire.subarray(-16), theirs.subarray(-16));
    assert.equal(decodeMessage(wire).answers[0]?.data, canonical);
  });
}

const badRecords: { why: string; rr: RR; error: RegExp }[] = [
  ...['10.0.0', '10.0.0.0.1', '10.0.0.256', '10..0.1', '10.0.0.1 ', 'a.b.c.d', '1000.0.0.1', ''].map((data) => ({
    why: `A "${data}"`, rr: { name: owner, type: 'A' as const, ttl: 5, data }, error: /invalid IPv4 address/,
  })),
  ...[':', ':::', '1:2', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', '1:', ':1', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%eth0', '1.2.3.4'].map((data) => ({
    why: `AAAA "${data}"`, rr: { name: owner, type: 'AAAA' as const, ttl: 5, data }, error: /invalid IPv6 address/,
  })),
  { why: 'a 64-byte label', rr: { name: `${'x'.repeat(64)}.cluster.local`, type: 'A', ttl: 5, data: '10.0.0.1' }, error: /label longer than 63/ },
  { why: 'a 256-byte name', rr: { name: Array(5).fill('y'.repeat(50)).join('.'), type: 'A', ttl: 5, data: '10.0.0.1' }, error: /longer than 255/ },
  { why: 'an empty label in CNAME data', rr: { name: owner, type: 'CNAME', ttl: 5, data: 'a..cluster.local' }, error: /empty label/ },
  { why: 'a negative TTL', rr: { name: owner, type: 'A', ttl: -1, data: '10.0.0.1' }, error: /ttl|range/i },
  { why: 'an SRV port over 65535', rr: { name: owner, type: 'SRV', ttl: 5, data: { priority: 0, weight: 0, port: 70000, target: owner } }, error: /range/ },
  { why: 'a type we do not encode', rr: { name: owner, type: 'MX', ttl: 5, data: 'x' } as unknown as RR, error: /cannot encode MX records/ },
];

for (const c of badRecords) {
  test(`encodeReply throws for ${c.why}`, () => {
    assert.throws(() => encodeReply(context(), reply(RCODE.NOERROR, [c.rr]), 512), c.error);
  });
}

test('encodeReply accepts names of exactly 63-byte labels and 255 bytes', () => {
  const name = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
  const wire = encodeReply(context({ questionWire: Buffer.alloc(0) }), reply(RCODE.NOERROR, [{ name, type: 'A', ttl: 1, data: '1.2.3.4' }]), 512);
  assert.equal(wire.length, 12 + 255 + 10 + 4);
  assert.equal(decodeMessage(wire).answers[0]?.name, name);
});

test('encodeReply splits a TXT string into character-strings of at most 255 bytes', () => {
  const long = 'x'.repeat(600);
  const wire = encodeReply(context(), reply(RCODE.NOERROR, [{ name: owner, type: 'TXT', ttl: 5, data: [long, 'é'] }]), 65535);
  const data = (packet.decode(wire).answers?.[0] as { data: Buffer[] }).data;
  assert.deepEqual(data.map((b) => b.length), [255, 255, 90, 2]);
  assert.equal(Buffer.concat(data.slice(0, 3)).toString(), long);
  assert.deepEqual(decodeMessage(wire).answers[0]?.data, ['x'.repeat(255), 'x'.repeat(255), 'x'.repeat(90), 'é']);
});

test('encodeReply writes an empty TXT as one empty character-string', () => {
  const wire = encodeReply(context(), reply(RCODE.NOERROR, [{ name: owner, type: 'TXT', ttl: 5, data: [] }]), 512);
  assert.deepEqual(decodeMessage(wire).answers[0]?.data, ['']);
});

test('encodeReply throws for TXT rdata over 65535 bytes', () => {
  const rr: RR = { name: owner, type: 'TXT', ttl: 5, data: ['z'.repeat(65400)] };
  assert.throws(() => encodeReply(context(), reply(RCODE.NOERROR, [rr]), 65535), /over 65535 bytes/);
});

test('encodeReply reuses its scratch space without leaking one reply into the next', () => {
  const big = encodeReply(context(), reply(RCODE.NOERROR, [{ name: owner, type: 'TXT', ttl: 5, data: ['q'.repeat(2000)] }]), 65535);
  const small = encodeReply(context(), reply(RCODE.NOERROR, [{ name: owner, type: 'A', ttl: 5, data: '10.0.0.1' }]), 512);
  assert.equal(decodeMessage(big).answers[0]?.type, 'TXT');
  assert.equal(small.length, 12 + q.length + 2 + 10 + 4);
  assert.deepEqual(decodeMessage(small).answers, [{ name: owner, type: 'A', class: 1, ttl: 5, data: '10.0.0.1' }]);
});
