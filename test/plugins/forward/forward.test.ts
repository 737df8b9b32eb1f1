// The forward handler against scripted upstreams: what is forwarded and what goes to the next
// plugin, over which transport, TC retried over TCP, fail-over, SERVFAIL when nothing answers,
// max_concurrent, `next RCODE`, and an excluded (looping) upstream.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RCODE } from '../../../src/dns/types.js';
import { forwardersOf } from '../../../src/upstream/forwarders.js';
import { upstreamMetrics } from '../../../src/upstream/metrics.js';
import type { Forward } from '../../../plugins/forward/forward.js';
import { setup } from '../../../plugins/forward/index.js';
import { ScriptedUpstream } from '../../support/upstream.js';
import { closedPort, decoded, forwards, makeQuery, recordingNext, stanza } from './harness.js';

let one: ScriptedUpstream;
let two: ScriptedUpstream;
let refusing: number;

const A = (data: string) => ({ name: '', type: 'A' as const, ttl: 60, data });
const MANY = Array.from({ length: 100 }, (_, i) => A(`192.0.2.${i}`));

before(async () => {
  one = await ScriptedUpstream.start();
  two = await ScriptedUpstream.start();
  refusing = await closedPort();
  for (const u of [one, two]) {
    u.script('www.example.com', { answers: [A(u === one ? '192.0.2.1' : '192.0.2.2')] });
    u.script('big.example.com', { answers: MANY });
    u.script('slow.example.com', { answers: [A('192.0.2.3')], delayMs: 200 });
    u.script('broken.example.com', { rcode: RCODE.SERVFAIL });
    u.script('tc-then-hangup.example.com', { answers: MANY, hangUp: 10 });
  }
  one.script('cut.example.com', { answers: [A('192.0.2.4')], cut: true });
  two.script('cut.example.com', { answers: [A('192.0.2.5')] });
});
after(async () => {
  await one.stop();
  await two.stop();
});

const addresses = (m: ReturnType<typeof decoded>) => m.answers.map((rr) => String(rr.data));

test('a name under FROM is forwarded and its answer relayed: AA cleared, RA set, the client’s question case kept', async () => {
  const [f] = forwards(`forward . ${one.address}`);
  const q = makeQuery('WwW.Example.COM', 'A', { edns: { udpSize: 1232, version: 0, do: true }, cd: true });
  const reply = await f!.serve(q, recordingNext());
  assert.ok(reply.relayed, 'the upstream message is relayed whole');
  const m = decoded(q, reply);
  assert.deepEqual({ aa: m.aa, ra: m.ra, rcode: m.rcode, answers: addresses(m) }, { aa: false, ra: true, rcode: RCODE.NOERROR, answers: ['192.0.2.1'] });
  assert.deepEqual(one.received.at(-1), { name: 'WwW.Example.COM', type: 'A', transport: 'udp', from: one.received.at(-1)!.from, rd: true, do: true });
});

const routing: { why: string; stanza: string; q: string; forwarded: boolean }[] = [
  { why: 'outside FROM', stanza: 'forward example.com ONE', q: 'www.example.org', forwarded: false },
  { why: 'FROM itself', stanza: 'forward example.com ONE', q: 'example.com', forwarded: true },
  { why: 'under FROM, letter case aside', stanza: 'forward example.com ONE', q: 'WWW.EXAMPLE.COM', forwarded: true },
  { why: 'a name that only ends like FROM', stanza: 'forward example.com ONE', q: 'www.notexample.com', forwarded: false },
  { why: 'an except name', stanza: 'forward . ONE {\n except internal.example.com\n}', q: 'internal.example.com', forwarded: false },
  { why: 'below an except name', stanza: 'forward . ONE {\n except internal.example.com\n}', q: 'db.internal.example.com', forwarded: false },
  { why: 'beside an except name', stanza: 'forward . ONE {\n except internal.example.com\n}', q: 'www.example.com', forwarded: true },
  { why: 'a reverse name under a CIDR FROM', stanza: 'forward 192.0.2.0/24 ONE', q: '7.2.0.192.in-addr.arpa', forwarded: true },
];

for (const c of routing) {
  test(`${c.why}: ${c.forwarded ? 'forwarded' : 'handed to the next plugin'}`, async () => {
    const [f] = forwards(c.stanza.replace('ONE', one.address));
    const next = recordingNext();
    const before = one.count(c.q);
    const reply = await f!.serve(makeQuery(c.q, 'A'), next);
    assert.equal(one.count(c.q) - before, c.forwarded ? 1 : 0);
    assert.deepEqual(next.seen, c.forwarded ? [] : [`${c.q} A`]);
    if (!c.forwarded) assert.equal(reply.rcode, 9, 'the next plugin’s reply comes back as is');
  });
}

const transports: { stanza: string; client: 'udp' | 'tcp'; upstream: 'udp' | 'tcp' }[] = [
  { stanza: '', client: 'udp', upstream: 'udp' },
  { stanza: '', client: 'tcp', upstream: 'tcp' },
  { stanza: 'force_tcp', client: 'udp', upstream: 'tcp' },
  { stanza: 'prefer_udp', client: 'tcp', upstream: 'udp' },
  { stanza: 'force_tcp\n prefer_udp', client: 'tcp', upstream: 'tcp' },
];

for (const c of transports) {
  test(`a ${c.client} client${c.stanza ? ` with ${c.stanza.replace('\n ', ' and ')}` : ''}: the upstream is asked over ${c.upstream}`, async () => {
    const [f] = forwards(`forward . ${one.address} {\n ${c.stanza}\n}`);
    await f!.serve(makeQuery('www.example.com', 'A', { transport: c.client }), recordingNext());
    assert.equal(one.received.at(-1)!.transport, c.upstream);
  });
}

test('a truncated UDP answer is asked again over TCP, and the whole answer relayed', async () => {
  const [f] = forwards(`forward . ${one.address}`);
  const q = makeQuery('big.example.com', 'A');
  const [udp, tcp] = [one.count('big.example.com', 'udp'), one.count('big.example.com', 'tcp')];
  const m = decoded(q, await f!.serve(q, recordingNext()));
  assert.deepEqual([one.count('big.example.com', 'udp') - udp, one.count('big.example.com', 'tcp') - tcp], [1, 1]);
  assert.deepEqual([m.tc, m.answers.length], [false, 100]);
});

test('when the TCP retry fails, the truncated answer is relayed as it is, TC set', async () => {
  const [f] = forwards(`forward . ${one.address}`);
  const q = makeQuery('tc-then-hangup.example.com', 'A');
  const m = decoded(q, await f!.serve(q, recordingNext()));
  // The upstream cut its UDP answer at 1232 bytes: what fitted, TC set.
  assert.deepEqual([m.tc, m.rcode], [true, RCODE.NOERROR]);
  assert.ok(m.answers.length > 0 && m.answers.length < 100, `${m.answers.length} answers`);
});

test('an upstream that fails is skipped for the next one; its SERVFAIL answer, though, is an answer', async () => {
  const [f] = forwards(`forward . 127.0.0.1:${refusing} ${two.address} {\n policy sequential\n force_tcp\n}`);
  const q = makeQuery('www.example.com', 'A');
  assert.deepEqual(addresses(decoded(q, await f!.serve(q, recordingNext()))), ['192.0.2.2']);
  const [g] = forwards(`forward . ${one.address} ${two.address} {\n policy sequential\n}`);
  const before = two.count('broken.example.com');
  const r = await g!.serve(makeQuery('broken.example.com', 'A'), recordingNext());
  assert.equal(r.rcode, RCODE.SERVFAIL);
  assert.equal(two.count('broken.example.com'), before, 'no fail-over on an answer');
});

test('an answer that matches but is no whole message counts as a failure: the next upstream is asked', async () => {
  const [f] = forwards(`forward . ${one.address} ${two.address} {\n policy sequential\n}`);
  const q = makeQuery('cut.example.com', 'A');
  assert.deepEqual(addresses(decoded(q, await f!.serve(q, recordingNext()))), ['192.0.2.5']);
  assert.equal(one.count('cut.example.com'), 1);
});

test('no upstream answers: SERVFAIL', async () => {
  const other = await closedPort();
  const [f] = forwards(`forward . 127.0.0.1:${refusing} 127.0.0.1:${other} {\n force_tcp\n}`);
  const r = await f!.serve(makeQuery('www.example.com', 'A'), recordingNext());
  assert.deepEqual([r.rcode, r.relayed], [RCODE.SERVFAIL, undefined]);
});

test('max_concurrent: a query beyond the bound is REFUSED and counted; once the others finish, queries pass again', async () => {
  const [f] = forwards(`forward . ${one.address} {\n max_concurrent 2\n}`);
  const rejects = upstreamMetrics().maxConcurrentRejects;
  const slow = [f!.serve(makeQuery('slow.example.com', 'A'), recordingNext()), f!.serve(makeQuery('slow.example.com', 'A'), recordingNext())];
  const third = await f!.serve(makeQuery('www.example.com', 'A'), recordingNext());
  assert.equal(third.rcode, RCODE.REFUSED);
  assert.equal(upstreamMetrics().maxConcurrentRejects - rejects, 1);
  for (const r of await Promise.all(slow)) assert.equal(r.rcode, RCODE.NOERROR);
  assert.equal((await f!.serve(makeQuery('www.example.com', 'A'), recordingNext())).rcode, RCODE.NOERROR);
});

test('next NXDOMAIN hands an NXDOMAIN to the next plugin when another forward follows, as CoreDNS', async () => {
  const [first, second] = forwards(`forward . ${one.address} {\n next NXDOMAIN\n}\nforward . ${two.address}`);
  const next = recordingNext();
  await first!.serve(makeQuery('unknown.example.com', 'A'), next);
  assert.deepEqual(next.seen, ['unknown.example.com A']);
  const answered = recordingNext();
  const r = await first!.serve(makeQuery('www.example.com', 'A'), answered);
  assert.deepEqual([answered.seen, r.rcode], [[], RCODE.NOERROR]);
  const last = recordingNext();
  assert.equal((await second!.serve(makeQuery('unknown.example.com', 'A'), last)).rcode, RCODE.NXDOMAIN);
});

test('next NXDOMAIN on the last forward: the NXDOMAIN is the answer', async () => {
  const [only] = forwards(`forward . ${one.address} {\n next NXDOMAIN\n}`);
  const next = recordingNext();
  const r = await only!.serve(makeQuery('unknown.example.com', 'A'), next);
  assert.deepEqual([next.seen, r.rcode], [[], RCODE.NXDOMAIN]);
});

test('the forwarders of a block are published in order; an excluded upstream is not asked, and none left means SERVFAIL', async () => {
  const { directives, ctx } = stanza(`forward . ${one.address} ${two.address} {\n policy sequential\n}\nforward consul.local ${two.address}`);
  const plugins = directives.map((d) => setup(d, ctx) as Forward);
  try {
    assert.deepEqual(forwardersOf(ctx), plugins);
    assert.deepEqual(forwardersOf(ctx).map((f) => f.zones), [[''], ['consul.local']]);
    const f = plugins[0]!;
    f.exclude(f.upstreams[0]!);
    const q = makeQuery('www.example.com', 'A');
    assert.deepEqual(addresses(decoded(q, await f.serve(q, recordingNext()))), ['192.0.2.2']);
    f.exclude(f.upstreams[1]!);
    const before = one.count('www.example.com') + two.count('www.example.com');
    assert.equal((await f.serve(q, recordingNext())).rcode, RCODE.SERVFAIL);
    assert.equal(one.count('www.example.com') + two.count('www.example.com'), before);
  } finally {
    for (const p of plugins) await p.stop();
  }
});
