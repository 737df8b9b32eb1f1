// The cache in the real server: in front of kubernetes (an answer is replaced as soon as the
// cluster changes, not when its TTL runs out), in front of forward to a scripted upstream (what
// the upstream sees, expiry, denials) and, in kubeadm's Corefile shape, in front of unbound.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cacheMetrics } from '../../plugins/cache/index.js';
import { rcodeName } from '../../src/dns/classify.js';
import type { RR } from '../../src/dns/types.js';
import { zoneText } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';
import { startUnbound, unboundSkipReason, type Unbound } from '../support/unbound.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { editObjects, eventually, fixtureFiles } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hits so far of the one running cache, both types. */
function hits(): number {
  const [metrics] = cacheMetrics();
  assert.ok(metrics && cacheMetrics().length === 1, 'one cache runs');
  return Object.values(metrics.zones).reduce((sum, z) => sum + z.hits.success + z.hits.denial, 0);
}

describe('cache in front of kubernetes', () => {
  let server: TestServer;
  before(async () => {
    const corefile = '. {\n  cache 30\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    objects cluster\n    ttl 30\n  }\n}\n';
    server = await startServer(corefile, fixtureFiles());
  });
  after(() => server.stop());

  const address = async (name: string) => (await server.query(name, 'A')).answers.map((rr) => rr.data).join(' ');

  test('a cached answer is replaced as soon as the YAML changes, not after its 30 s TTL', async () => {
    const name = 'svc1.testns.svc.cluster.local';
    assert.equal(await address(name), '10.0.0.1');
    const before = hits();
    assert.equal(await address(name), '10.0.0.1');
    assert.equal(hits(), before + 1, 'the second answer came from the cache');
    editObjects(server, 'testns-clusterip.yaml', (objects) =>
      objects.map((o) => (o.kind === 'Service' && o.metadata.name === 'svc1' ? { ...o, spec: { ...o.spec, clusterIP: '10.0.0.99', clusterIPs: ['10.0.0.99'] } } : o)),
    );
    await eventually('the new ClusterIP', async () => (await address(name)) === '10.0.0.99', 5000);
    assert.equal(await address(name), '10.0.0.99', 'and it stays');
  });

  test('a name that appears is answered at once, though its NXDOMAIN was cached', async () => {
    const name = 'svc-new.testns.svc.cluster.local';
    assert.equal(rcodeName((await server.query(name, 'A')).rcode), 'NXDOMAIN');
    editObjects(server, 'testns-clusterip.yaml', (objects) => [
      ...objects,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc-new', namespace: 'testns' }, spec: { clusterIP: '10.0.0.13' } },
    ]);
    await eventually('svc-new', async () => (await address(name)) === '10.0.0.13', 5000);
  });

  test('a hit spells the answer as the question does', async () => {
    await server.query('svc2.testns.svc.cluster.local', 'A');
    const before = hits();
    const m = await server.query('SvC2.TeStNs.svc.cluster.local', 'A');
    assert.equal(hits(), before + 1);
    assert.deepEqual(m.questions[0]!.name, 'SvC2.TeStNs.svc.cluster.local');
    assert.deepEqual(m.answers.map((rr) => rr.name), ['SvC2.TeStNs.svc.cluster.local']);
  });
});

describe('cache in front of forward', () => {
  let upstream: ScriptedUpstream;
  let server: TestServer;
  let short: TestServer;
  const a = (ttl: number, data: string) => ({ name: '', ttl, type: 'A', data }) as RR;
  before(async () => {
    upstream = await ScriptedUpstream.start();
    upstream.script('www.example.test', { answers: [a(300, '192.0.2.1')] });
    upstream.script('case.example.test', { answers: [a(300, '192.0.2.2')] });
    upstream.script('short.example.test', { answers: [a(300, '192.0.2.3')] });
    upstream.script('do.example.test', { answers: [a(300, '192.0.2.4')] });
    server = await startServer(`. {\n  cache 30\n  forward . ${upstream.address}\n}\n`);
    short = await startServer(`. {\n  cache 1\n  forward . ${upstream.address}\n}\n`);
  });
  after(async () => {
    await server.stop();
    await short.stop();
    await upstream.stop();
  });

  test('the second question never reaches the upstream, and gets the TTL capped and the client’s ID', async () => {
    const first = await server.query('www.example.test', 'A', { id: 101 });
    const second = await server.query('www.example.test', 'A', { id: 202, transport: 'tcp' });
    assert.equal(upstream.count('www.example.test'), 1);
    assert.deepEqual(first.answers.map(zoneText), ['www.example.test. 30 IN A 192.0.2.1']);
    assert.equal(second.id, 202);
    assert.deepEqual(second.answers.map((rr) => `${rr.name} ${rr.data}`), ['www.example.test 192.0.2.1']);
    assert.ok(second.answers[0]!.ttl <= 30);
  });

  test('a hit echoes the question as asked', async () => {
    await server.query('case.example.test', 'A');
    const m = await server.query('CaSe.Example.TEST', 'A');
    assert.equal(upstream.count('case.example.test'), 1);
    assert.equal(m.questions[0]!.name, 'CaSe.Example.TEST');
    assert.equal(m.answers[0]!.data, '192.0.2.2');
  });

  test('an NXDOMAIN is kept too', async () => {
    for (let i = 0; i < 3; i++) assert.equal(rcodeName((await server.query('nope.example.test', 'A')).rcode), 'NXDOMAIN');
    assert.equal(upstream.count('nope.example.test'), 1);
  });

  test('DO set and DO clear are kept apart', async () => {
    await server.query('do.example.test', 'A', { edns: { udpSize: 1232, do: false } });
    await server.query('do.example.test', 'A', { edns: { udpSize: 1232, do: true } });
    await server.query('do.example.test', 'A', { edns: { udpSize: 1232, do: true } });
    assert.equal(upstream.count('do.example.test'), 2);
  });

  test('an expired entry is asked for again (cache 1)', async () => {
    await short.query('short.example.test', 'A');
    await short.query('short.example.test', 'A');
    assert.equal(upstream.count('short.example.test'), 1);
    await sleep(1100);
    const m = await short.query('short.example.test', 'A');
    assert.equal(upstream.count('short.example.test'), 2);
    assert.equal(m.answers[0]!.ttl, 1);
  });
});

describe('kubeadm’s Corefile shape (loadbalance, cache 30, forward) with unbound', { skip: unboundSkipReason() }, () => {
  let unbound: Unbound;
  let server: TestServer;
  const ADDRESSES = ['192.0.2.11', '192.0.2.12', '192.0.2.13'];
  before(async () => {
    unbound = await startUnbound({
      zones: {
        'example.test': [
          'example.test. 3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 604800 20',
          ...ADDRESSES.map((ip) => `web.example.test. 300 IN A ${ip}`),
        ],
      },
    });
    server = await startServer(`. {\n  errors\n  loadbalance\n  cache 30\n  forward . ${unbound.upstream}\n}\n`);
  });
  after(async () => {
    await server?.stop();
    await unbound?.stop();
  });

  test('answers from the cache come in every order', async () => {
    const firsts = new Set<unknown>();
    for (let i = 0; i < 60; i++) {
      const m = await server.query('web.example.test', 'A');
      assert.deepEqual(m.answers.map((rr) => rr.data).sort(), ADDRESSES);
      firsts.add(m.answers[0]!.data);
    }
    assert.deepEqual([...firsts].sort(), ADDRESSES);
    assert.ok(hits() >= 59, 'all but the first from the cache');
  });

  test('a denial lives by the SOA (RFC 2308) and counts down from the cache', async () => {
    const first = await server.query('nope.example.test', 'A');
    assert.equal(rcodeName(first.rcode), 'NXDOMAIN');
    assert.deepEqual(first.authority.map((rr) => [rr.type, rr.ttl]), [['SOA', 20]]);
    await sleep(1050);
    const second = await server.query('nope.example.test', 'A');
    assert.deepEqual(second.authority.map((rr) => [rr.type, rr.ttl]), [['SOA', 19]]);
  });
});
