// End to end against a live (fake) Kubernetes API server: the real server, started from a
// Corefile whose kubernetes stanza names the fake's kubeconfig, serving the demo cluster of
// zones/cluster over DNS while the cluster changes, its watches break, its history expires and
// its API server goes away; and SERVFAIL, never NXDOMAIN, before the first sync.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { rcodeName } from '../../src/dns/classify.js';
import { readObjectFiles, startFakeApiServer, type ApiObject, type FakeApiServer } from '../support/fake-apiserver.js';
import { endpointSliceManifest, serviceManifest } from '../support/fake-apiserver/manifests.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { repoRoot, startServer, type TestServer } from '../support/server.js';
import { question, recordText } from './support.js';

const DEMO = readObjectFiles(path.join(repoRoot, 'zones/cluster'));

function corefile(api: FakeApiServer): string {
  return `. {\n  bind 127.0.0.1\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    kubeconfig ${api.kubeconfigPath}\n    pods verified\n  }\n}\n`;
}

interface Answer {
  rcode: string;
  answers: string[];
}

async function ask(server: TestServer, q: string): Promise<Answer> {
  const { name, type } = question(q);
  const m = await server.query(name, type);
  return { rcode: rcodeName(m.rcode), answers: m.answers.map(recordText).sort() };
}

/** Polls `q` until it answers `want`; resolves with how long that took (ms). */
async function answersWithin(server: TestServer, q: string, want: Answer, timeoutMs: number): Promise<number> {
  const began = Date.now();
  let last: Answer | undefined;
  while (Date.now() - began <= timeoutMs) {
    last = await ask(server, q);
    if (last.rcode === want.rcode && JSON.stringify(last.answers) === JSON.stringify([...want.answers].sort())) return Date.now() - began;
    await sleep(10);
  }
  assert.fail(`${q}: wanted ${JSON.stringify(want)} within ${timeoutMs} ms, last got ${JSON.stringify(last)}`);
}

const A = (name: string, ...ips: string[]): Answer => ({ rcode: 'NOERROR', answers: ips.map((ip) => `${name} 5 IN ${ip.includes(':') ? 'AAAA' : 'A'} ${ip}`) });
const NXDOMAIN: Answer = { rcode: 'NXDOMAIN', answers: [] };

/** Names that no change in these tests touches, with their answers. */
const STEADY: [string, Answer][] = [
  ['kubernetes.default.svc.cluster.local. A', A('kubernetes.default.svc.cluster.local.', '10.96.0.1')],
  ['frontend.shop.svc.cluster.local. AAAA', A('frontend.shop.svc.cluster.local.', 'fd00:10:96::100a')],
  ['web-0.web.shop.svc.cluster.local. A', A('web-0.web.shop.svc.cluster.local.', '10.244.1.20')],
  ['10-244-0-2.kube-system.pod.cluster.local. A', A('10-244-0-2.kube-system.pod.cluster.local.', '10.244.0.2')],
];

/** Asks the steady names over and over until stopped; returns every answer that was not the expected one. */
function keepAsking(server: TestServer): { stop: () => Promise<{ asked: number; wrong: string[] }> } {
  let running = true;
  let asked = 0;
  const wrong: string[] = [];
  const loop = (async () => {
    while (running) {
      for (const [q, want] of STEADY) {
        const got = await ask(server, q);
        asked++;
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${q} → ${JSON.stringify(got)}`);
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { asked, wrong };
    },
  };
}

function headless(namespace: string, name: string): ApiObject {
  return serviceManifest(namespace, name, 'None');
}

function slice(namespace: string, name: string, service: string, addresses: string[], ipv6 = false): ApiObject {
  return { ...endpointSliceManifest(namespace, name, service, addresses), ...(ipv6 ? { addressType: 'IPv6' } : {}) };
}

describe('serving a live API server', () => {
  let api: FakeApiServer;
  let server: TestServer;

  before(async () => {
    api = await startFakeApiServer({ bookmarkIntervalMs: 200 });
    api.load(DEMO);
    server = await startServer(corefile(api));
  });
  after(async () => {
    await server?.stop();
    await api?.stop();
  });

  test('the demo cluster answers as from its files, and the server is ready', async () => {
    assert.equal(server.app.ready(), true);
    const cases: [string, Answer][] = [
      ...STEADY,
      ['web.shop.svc.cluster.local. A', A('web.shop.svc.cluster.local.', '10.244.1.20', '10.244.2.21')],
      ['frontend.shop.svc.cluster.local. A', A('frontend.shop.svc.cluster.local.', '10.96.100.10')],
      ['10-244-2-52.api.shop.svc.cluster.local. A', A('10-244-2-52.api.shop.svc.cluster.local.', '10.244.2.52')],
      ['10.0.96.10.in-addr.arpa. PTR', { rcode: 'NOERROR', answers: ['10.0.96.10.in-addr.arpa. 5 IN PTR kube-dns.kube-system.svc.cluster.local.'] }],
      ['search.shop.svc.cluster.local. CNAME', { rcode: 'NOERROR', answers: ['search.shop.svc.cluster.local. 5 IN CNAME search.example.com.'] }],
      ['10-244-1-10.default.pod.cluster.local. A', NXDOMAIN],
      ['nope.shop.svc.cluster.local. A', NXDOMAIN],
    ];
    for (const [q, want] of cases) assert.deepEqual(await ask(server, q), want, q);
  });

  test('a created service resolves within 1 s', async () => {
    api.create(serviceManifest('shop', 'fresh', '10.96.100.99'));
    const took = await answersWithin(server, 'fresh.shop.svc.cluster.local. A', A('fresh.shop.svc.cluster.local.', '10.96.100.99'), 1000);
    assert.ok(took <= 1000, `${took} ms`);
  });

  test('a deleted service is NXDOMAIN', async () => {
    api.remove('Service', 'shop', 'fresh');
    await answersWithin(server, 'fresh.shop.svc.cluster.local. A', NXDOMAIN, 1000);
  });

  test('an endpoint that becomes not ready leaves the headless answer', async () => {
    api.patch('EndpointSlice', 'shop', 'web-x7k2p', (o) => {
      (o.endpoints as { conditions: { ready: boolean } }[])[1]!.conditions.ready = false;
    });
    await answersWithin(server, 'web.shop.svc.cluster.local. A', A('web.shop.svc.cluster.local.', '10.244.1.20'), 1000);
    assert.deepEqual(await ask(server, 'web-1.web.shop.svc.cluster.local. A'), NXDOMAIN);
  });

  test('a service split across slices answers the addresses of all of them, and follows slices coming and going', async () => {
    api.create(headless('shop', 'split'));
    api.create(slice('shop', 'split-a', 'split', ['10.244.3.1', '10.244.3.2']));
    api.create(slice('shop', 'split-b', 'split', ['10.244.3.3']));
    api.create(slice('shop', 'split-c', 'split', ['fd00:10:244:3::4'], true));
    await answersWithin(server, 'split.shop.svc.cluster.local. A', A('split.shop.svc.cluster.local.', '10.244.3.1', '10.244.3.2', '10.244.3.3'), 1000);
    assert.deepEqual(await ask(server, 'split.shop.svc.cluster.local. AAAA'), A('split.shop.svc.cluster.local.', 'fd00:10:244:3::4'));
    api.remove('EndpointSlice', 'shop', 'split-a');
    await answersWithin(server, 'split.shop.svc.cluster.local. A', A('split.shop.svc.cluster.local.', '10.244.3.3'), 1000);
  });

  test('after every watch is cut and the cluster changed meanwhile, the answers converge', async () => {
    const asking = keepAsking(server);
    api.dropWatches();
    api.create(serviceManifest('shop', 'while-cut', '10.96.100.98'));
    api.remove('Service', 'shop', 'split');
    api.patch('Service', 'shop', 'api', (o) => ({ ...o, spec: { ...(o.spec as object), clusterIP: '10.96.100.41', clusterIPs: ['10.96.100.41'] } }));
    await answersWithin(server, 'while-cut.shop.svc.cluster.local. A', A('while-cut.shop.svc.cluster.local.', '10.96.100.98'), 5000);
    await answersWithin(server, 'split.shop.svc.cluster.local. A', NXDOMAIN, 1000);
    await answersWithin(server, 'api.shop.svc.cluster.local. A', A('api.shop.svc.cluster.local.', '10.96.100.41'), 1000);
    const { asked, wrong } = await asking.stop();
    assert.deepEqual(wrong, [], `${asked} questions about unchanged names`);
  });

  test('after a 410 the relist converges, and unchanged names answer all along', async () => {
    const listsBefore = api.requests.filter((r) => !r.path.includes('watch=true')).length;
    const asking = keepAsking(server);
    api.dropWatches();
    api.create(serviceManifest('shop', 'after-410', '10.96.100.97'));
    api.remove('Service', 'shop', 'while-cut');
    api.compact();
    // Slow answers stretch the relist, so the questions overlap it.
    api.latencyMs = 100;
    try {
      await answersWithin(server, 'after-410.shop.svc.cluster.local. A', A('after-410.shop.svc.cluster.local.', '10.96.100.97'), 5000);
      await answersWithin(server, 'while-cut.shop.svc.cluster.local. A', NXDOMAIN, 1000);
    } finally {
      api.latencyMs = 0;
    }
    const { asked, wrong } = await asking.stop();
    assert.deepEqual(wrong, [], `${asked} questions about unchanged names`);
    assert.ok(api.requests.filter((r) => !r.path.includes('watch=true')).length > listsBefore, 'the resources were listed again');
    assert.ok(server.logs.some((l) => /kubernetes: services: resourceVersion \d+ expired; listing again/.test(l)), 'because the watch expired');
  });

  test('with the API server down for 10 s, answers keep coming from memory and the server stays ready', async () => {
    const asking = keepAsking(server);
    const readiness = new Set<boolean>();
    const down = api.restart(10_000);
    while (await Promise.race([down.then(() => false), sleep(200).then(() => true)])) readiness.add(server.app.ready());
    const { asked, wrong } = await asking.stop();
    assert.deepEqual(wrong, [], `${asked} questions during the outage`);
    assert.ok(asked > 100, `asked ${asked} times`);
    assert.deepEqual([...readiness], [true]);
    assert.ok(server.logs.some((l) => l.includes('ECONNREFUSED')), 'the outage was noticed');
  });
});

test('before the first sync the cluster zones answer SERVFAIL, never NXDOMAIN, and the server is not ready', async () => {
  const api = await startFakeApiServer();
  let server: TestServer | undefined;
  try {
    api.load(DEMO);
    // Every first list takes longer than the 5 s the server waits for them.
    api.latencyMs = 6000;
    server = await startServer(corefile(api));
    api.latencyMs = 0;
    assert.equal(server.app.ready(), false);
    for (const q of ['kubernetes.default.svc.cluster.local. A', 'nope.shop.svc.cluster.local. A', '1.0.96.10.in-addr.arpa. PTR']) {
      assert.equal((await ask(server, q)).rcode, 'SERVFAIL', q);
    }
    assert.ok(server.logs.some((l) => l.includes('not listed after 5 s; serving SERVFAIL in the cluster zones until they are')));
    await answersWithin(server, 'kubernetes.default.svc.cluster.local. A', A('kubernetes.default.svc.cluster.local.', '10.96.0.1'), 3000);
    assert.equal(server.app.ready(), true);
    assert.deepEqual(await ask(server, 'nope.shop.svc.cluster.local. A'), NXDOMAIN);
  } finally {
    await server?.stop();
    await api.stop();
  }
});

test('before the first sync, names outside the cluster zones are already forwarded', async () => {
  const api = await startFakeApiServer();
  const upstream = await ScriptedUpstream.start();
  upstream.script('www.example.org', { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.80' }] });
  let server: TestServer | undefined;
  try {
    api.load(DEMO);
    api.latencyMs = 4000;
    const text = corefile(api).replace(/\n}\n$/, `\n  forward . 127.0.0.1:${upstream.port}\n}\n`);
    server = await startServer(text, {}, false);
    assert.equal(server.app.ready(), false);
    assert.deepEqual(await ask(server, 'www.example.org. A'), { rcode: 'NOERROR', answers: ['www.example.org. 30 IN A 192.0.2.80'] });
    assert.equal((await ask(server, 'kubernetes.default.svc.cluster.local. A')).rcode, 'SERVFAIL');
    api.latencyMs = 0;
    await server.app.started;
    await answersWithin(server, 'kubernetes.default.svc.cluster.local. A', A('kubernetes.default.svc.cluster.local.', '10.96.0.1'), 3000);
  } finally {
    await server?.stop();
    await upstream.stop();
    await api.stop();
  }
});
