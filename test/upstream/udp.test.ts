// One query over UDP against the scripted upstream: answers, forged answers ignored and counted,
// timeouts, and a fresh source port per query.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { endpoint } from '../../src/upstream/endpoint.js';
import { UpstreamError } from '../../src/upstream/failure.js';
import { countOf, upstreamMetrics } from '../../src/upstream/metrics.js';
import { exchangeUdp } from '../../src/upstream/udp.js';
import { FORGED_ADDRESS, ScriptedUpstream } from '../support/upstream.js';
import { addresses, aQuery, aRecord } from './support.js';

let upstream: ScriptedUpstream;
let to: ReturnType<typeof endpoint>;
before(async () => {
  upstream = await ScriptedUpstream.start();
  to = endpoint(upstream.host, upstream.port);
  upstream.script('www.example.com', { answers: [aRecord('192.0.2.1')] });
  upstream.script('silent.example.com', { silent: true });
});
after(() => upstream.stop());

test('the answer of the upstream comes back; the question keeps its letter case on the way', async () => {
  const answer = await exchangeUdp(to, aQuery('WwW.Example.COM'), 1000);
  assert.deepEqual(addresses(answer), ['192.0.2.1']);
  assert.equal(upstream.received.at(-1)!.name, 'WwW.Example.COM');
});

for (const how of ['id', 'question', 'source'] as const) {
  test(`a forged answer with another ${how === 'source' ? 'source port' : how} is ignored, counted, and the genuine one taken`, async () => {
    const name = `forged-${how}.example.com`;
    upstream.script(name, { answers: [aRecord('192.0.2.2')], forge: { how } });
    const before = countOf(upstreamMetrics().ignoredAnswers, to.label, how);
    const answer = await exchangeUdp(to, aQuery(name), 1000);
    assert.deepEqual(addresses(answer), ['192.0.2.2']);
    assert.ok(!addresses(answer).includes(FORGED_ADDRESS));
    assert.equal(countOf(upstreamMetrics().ignoredAnswers, to.label, how), before + 1);
  });
}

test('only a forged answer: the query times out rather than take it', async () => {
  upstream.script('only-forged.example.com', { answers: [aRecord('192.0.2.3')], forge: { how: 'id', only: true } });
  const started = Date.now();
  await assert.rejects(exchangeUdp(to, aQuery('only-forged.example.com'), 300), (err: unknown) => err instanceof UpstreamError && err.kind === 'timeout');
  assert.ok(Date.now() - started >= 290);
});

test('no answer: an UpstreamError of kind timeout after the read timeout', async () => {
  const started = Date.now();
  await assert.rejects(exchangeUdp(to, aQuery('silent.example.com'), 200), (err: unknown) => err instanceof UpstreamError && err.kind === 'timeout');
  const took = Date.now() - started;
  assert.ok(took >= 190 && took < 1000, `took ${took} ms`);
});

test('every query leaves from a port of its own', async () => {
  const first = upstream.received.length;
  for (let i = 0; i < 5; i++) await exchangeUdp(to, aQuery('www.example.com'), 1000);
  const ports = new Set(upstream.received.slice(first).map((r) => r.from));
  assert.equal(ports.size, 5);
});
