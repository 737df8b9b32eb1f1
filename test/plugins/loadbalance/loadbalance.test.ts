// loadbalance [round_robin]: each owner's addresses in a random order on every reply, in record
// arrays and relayed messages; CNAMEs and every other record keep their places.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { reply, servfail } from '../../../src/dns/reply.js';
import { permutation } from '../../../src/dns/shuffle.js';
import { RCODE, type Reply, type RR } from '../../../src/dns/types.js';
import { decodeMessage } from '../../../src/dns/wire.js';
import { ConfigError } from '../../../src/errors.js';
import type { SetupContext } from '../../../src/plugin.js';
import { loadbalancePlugin, setup, shuffleReply } from '../../../plugins/loadbalance/index.js';
import { relayed } from '../../dns/relayed.js';
import { ask, rr, zoneText } from '../cache/harness.js';
import { setupContext } from '../../support/setup-context.js';

const FILE = '/etc/coredns/Corefile';

function directive(stanza: string) {
  const block = parseCorefile(`. {\n${stanza}\n}\n`, FILE).blocks[0]!;
  const ctx: SetupContext = setupContext();
  return { directive: block.directives[0]!, ctx };
}

for (const stanza of ['loadbalance', 'loadbalance round_robin']) {
  test(`setup: ${stanza}`, () => {
    const { directive: d, ctx } = directive(stanza);
    assert.equal(setup(d, ctx)?.name, 'loadbalance');
  });
}

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'loadbalance weighted db.example.org.weights', error: "2: loadbalance: the 'weighted' policy is not supported (only round_robin)" },
  { stanza: 'loadbalance random', error: "2: loadbalance: unknown policy 'random' (only round_robin)" },
  { stanza: 'loadbalance round_robin round_robin', error: '2: loadbalance takes at most one argument, the policy' },
  { stanza: 'loadbalance round_robin {\n limit_answers 2\n}', error: '2: loadbalance takes no block' },
];

for (const c of invalid) {
  test(`setup refuses ${JSON.stringify(c.stanza)}`, () => {
    const { directive: d, ctx } = directive(c.stanza);
    assert.throws(() => setup(d, ctx), (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`);
  });
}

const records = (...lines: string[]): RR[] => lines.map(rr);
const CHAIN = records(
  'www.example.org. 60 IN CNAME web.example.org.',
  'web.example.org. 60 IN A 192.0.2.1',
  'web.example.org. 60 IN A 192.0.2.2',
  'web.example.org. 60 IN A 192.0.2.3',
);

test('record arrays: the addresses take the places of a permutation, the CNAME stays first', () => {
  const random = () => 0.7;
  const order = permutation(3, random);
  const r = shuffleReply(reply(RCODE.NOERROR, CHAIN), random);
  assert.deepEqual(r.answers.map(zoneText), [zoneText(CHAIN[0]!), ...order.map((i) => zoneText(CHAIN[1 + i]!))]);
});

test('record arrays: over many replies every address comes first; the given array is never changed', async () => {
  const plugin = loadbalancePlugin();
  const given = reply(RCODE.NOERROR, [...CHAIN]);
  const firsts = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const r = await plugin.serve(ask('www.example.org'), () => given);
    assert.equal(r.answers[0], CHAIN[0]);
    assert.deepEqual(r.answers.map(zoneText).sort(), CHAIN.map(zoneText).sort());
    firsts.add((r.answers[1] as { data: string }).data);
  }
  assert.deepEqual([...firsts].sort(), ['192.0.2.1', '192.0.2.2', '192.0.2.3']);
  assert.deepEqual(given.answers, CHAIN);
});

test('record arrays: addresses stay with their owner and type', () => {
  const mixed = records(
    'a.example.org. 60 IN A 192.0.2.1',
    'b.example.org. 60 IN A 192.0.2.11',
    'A.EXAMPLE.org. 60 IN A 192.0.2.2',
    'a.example.org. 60 IN AAAA 2001:db8::1',
    'b.example.org. 60 IN A 192.0.2.12',
    'a.example.org. 60 IN AAAA 2001:db8::2',
    'a.example.org. 60 IN TXT "stays"',
  );
  const slots = (rrs: RR[]) => rrs.map((x) => `${x.name.toLowerCase()} ${x.type}`);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const r = shuffleReply(reply(RCODE.NOERROR, mixed), Math.random);
    assert.deepEqual(slots(r.answers), slots(mixed));
    assert.deepEqual(r.answers.map(zoneText).sort(), mixed.map(zoneText).sort());
    seen.add(r.answers.map(zoneText).join('|'));
  }
  assert.equal(seen.size, 8, 'three sets of two, each in both orders');
});

const untouched: { why: string; reply: () => Reply; qtype?: string }[] = [
  { why: 'one address', reply: () => reply(RCODE.NOERROR, CHAIN.slice(0, 2)) },
  { why: 'no answer', reply: () => reply(RCODE.NXDOMAIN) },
  { why: 'an rcode other than NOERROR', reply: () => ({ ...servfail(), answers: CHAIN }) },
  { why: 'a zone transfer', reply: () => reply(RCODE.NOERROR, CHAIN), qtype: 'AXFR' },
  { why: 'a relayed message with one address', reply: () => relayed('www.example.org', 'A', reply(RCODE.NOERROR, CHAIN.slice(0, 2))) },
  {
    why: 'a relayed message that cannot be read',
    reply: () => {
      const r = relayed('www.example.org', 'A', reply(RCODE.NOERROR, CHAIN));
      return { ...r, relayed: { ...r.relayed!, message: r.relayed!.message.subarray(0, 40) } };
    },
  },
];

for (const c of untouched) {
  test(`${c.why}: the reply is handed on as it came`, async () => {
    const given = c.reply();
    const r = await loadbalancePlugin(() => 0).serve(ask('www.example.org', c.qtype ?? 'A'), () => given);
    assert.equal(r, given);
  });
}

test('relayed messages: the addresses are shuffled in a copy', async () => {
  const plugin = loadbalancePlugin();
  const given = relayed('www.example.org', 'A', reply(RCODE.NOERROR, CHAIN), { do: true });
  const kept = Buffer.from(given.relayed!.message);
  const firsts = new Set<unknown>();
  for (let i = 0; i < 200; i++) {
    const r = await plugin.serve(ask('www.example.org'), async () => given);
    const m = decodeMessage(r.relayed!.message);
    assert.equal(m.answers[0]!.type, 'CNAME');
    firsts.add(m.answers[1]!.data);
    assert.equal(r.relayed!.answerCount, 4);
  }
  assert.deepEqual([...firsts].sort(), ['192.0.2.1', '192.0.2.2', '192.0.2.3']);
  assert.deepEqual(given.relayed!.message, kept);
});
