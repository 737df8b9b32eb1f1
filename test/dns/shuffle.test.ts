// Address order in relayed messages: each owner's A and AAAA addresses trade places among
// themselves; nothing else moves, so the message still decodes to the same records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../src/dns/reply.js';
import { permutation, shuffleAddresses } from '../../src/dns/shuffle.js';
import { RCODE, type RR } from '../../src/dns/types.js';
import { decodeMessage } from '../../src/dns/wire.js';
import { zoneText } from '../support/dns-client.js';
import { upstreamMessage } from './relayed.js';

const rr = (name: string, type: 'A' | 'AAAA' | 'CNAME', data: string): RR => ({ name, ttl: 60, type, data });
const answerText = (message: Buffer) => decodeMessage(message).answers.map(zoneText);

const chain = [
  rr('www.example.org', 'CNAME', 'web.example.org'),
  rr('web.example.org', 'A', '192.0.2.1'),
  rr('web.example.org', 'A', '192.0.2.2'),
  rr('web.example.org', 'A', '192.0.2.3'),
  rr('web.example.org', 'A', '192.0.2.4'),
];

test('shuffleAddresses: the addresses take the places of a fixed permutation, the CNAME stays first', () => {
  const random = () => 0.3;
  const message = upstreamMessage('www.example.org', 'A', reply(RCODE.NOERROR, chain), { do: false });
  const before = answerText(message);
  const after = answerText(shuffleAddresses(message, random));
  const order = permutation(4, random);
  assert.deepEqual(after, [before[0], ...order.map((i) => before[1 + i])]);
});

test('shuffleAddresses: over many replies every address comes first, and the rest is untouched', () => {
  const message = upstreamMessage('www.example.org', 'A', reply(RCODE.NOERROR, chain, [], [rr('ns.example.org', 'A', '192.0.2.53'), rr('ns.example.org', 'A', '192.0.2.54')]), { do: true });
  const before = decodeMessage(message);
  const firsts = new Set<unknown>();
  for (let i = 0; i < 200; i++) {
    const copy = shuffleAddresses(message);
    assert.equal(copy.length, message.length);
    const after = decodeMessage(copy);
    assert.deepEqual(after.answers[0], before.answers[0]);
    assert.deepEqual([...after.answers].map(zoneText).sort(), [...before.answers].map(zoneText).sort());
    assert.deepEqual([after.authority, after.additional, after.edns], [before.authority, before.additional, before.edns]);
    firsts.add(after.answers[1]!.data);
  }
  assert.deepEqual([...firsts].sort(), ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']);
});

test('shuffleAddresses: addresses never change owner or type', () => {
  const records = [
    rr('a.example.org', 'A', '192.0.2.1'),
    rr('b.example.org', 'A', '192.0.2.11'),
    rr('A.Example.ORG', 'A', '192.0.2.2'),
    rr('a.example.org', 'AAAA', '2001:db8::1'),
    rr('b.example.org', 'A', '192.0.2.12'),
    rr('a.example.org', 'AAAA', '2001:db8::2'),
  ];
  const message = upstreamMessage('a.example.org', 'ANY', reply(RCODE.NOERROR, records));
  const pairs = (m: Buffer) => decodeMessage(m).answers.map((r) => `${r.name.toLowerCase()} ${r.type} ${String(r.data)}`);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const after = pairs(shuffleAddresses(message));
    assert.deepEqual([...after].sort(), [...pairs(message)].sort());
    assert.deepEqual(after.map((p) => p.split(' ').slice(0, 2).join(' ')), pairs(message).map((p) => p.split(' ').slice(0, 2).join(' ')));
    seen.add(after.join('|'));
  }
  assert.equal(seen.size, 8, 'each of the three sets of two is shuffled, including across letter case');
});

const unchanged: { why: string; records: RR[] }[] = [
  { why: 'one address', records: [rr('www.example.org', 'CNAME', 'web.example.org'), rr('web.example.org', 'A', '192.0.2.1')] },
  { why: 'one address of each type', records: [rr('www.example.org', 'A', '192.0.2.1'), rr('www.example.org', 'AAAA', '2001:db8::1')] },
  { why: 'one address per owner', records: [rr('a.example.org', 'A', '192.0.2.1'), rr('b.example.org', 'A', '192.0.2.2')] },
  { why: 'no answer', records: [] },
];

for (const c of unchanged) {
  test(`shuffleAddresses: ${c.why} gives the message itself back`, () => {
    const message = upstreamMessage('www.example.org', 'A', reply(RCODE.NOERROR, c.records));
    assert.equal(shuffleAddresses(message), message);
  });
}

test('permutation: every order of 0..n-1 and nothing else', () => {
  for (let n = 0; n <= 6; n++) {
    assert.deepEqual([...permutation(n, Math.random)].sort(), Array.from({ length: n }, (_, i) => i));
  }
  const orders = new Set<string>();
  for (let i = 0; i < 600; i++) orders.add(permutation(3, Math.random).join(''));
  assert.equal(orders.size, 6);
});
