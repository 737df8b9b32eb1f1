// The Corefile kubeadm installs (kubernetes/kubernetes cmd/kubeadm/app/phases/addons/dns/manifests.go,
// CoreDNSConfigMap, with DNSDomain cluster.local) loads with loadCorefile and sets up every directive,
// and the server it makes answers cluster names, reverse names, and forwarded names, with *errors*
// logging what failed. Only what cannot run in a test is rewritten, each rewrite checked to apply:
// the ports (ephemeral, loopback only), the API server (a fake one through its kubeconfig, not
// in-cluster) and the upstream (a scripted one, not /etc/resolv.conf).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startApp, type App } from '../../src/app.js';
import { loadCorefile } from '../../src/config/parse.js';
import { RCODE } from '../../src/dns/types.js';
import { memoryLogger } from '../../src/log.js';
import { createRuntime } from '../../src/runtime.js';
import { query, zoneText, type QueryOptions } from '../support/dns-client.js';
import { readObjectFiles, startFakeApiServer, type FakeApiServer } from '../support/fake-apiserver.js';
import { repoRoot } from '../support/server.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { KUBEADM_COREFILE } from '../support/kubeadm.js';


function rewrite(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the kubeadm Corefile no longer holds ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function testable(api: FakeApiServer, upstream: ScriptedUpstream): string {
  let text = KUBEADM_COREFILE;
  text = rewrite(text, '.:53 {\n', '. {\n    bind 127.0.0.1\n');
  text = rewrite(text, '    health {', '    health 127.0.0.1:0 {');
  text = rewrite(text, '    ready\n', '    ready 127.0.0.1:0\n');
  text = rewrite(text, 'ip6.arpa {\n', `ip6.arpa {\n       kubeconfig ${api.kubeconfigPath}\n`);
  text = rewrite(text, 'prometheus :9153', 'prometheus 127.0.0.1:0');
  text = rewrite(text, 'forward . /etc/resolv.conf', `forward . ${upstream.address}`);
  return text;
}

let api: FakeApiServer;
let upstream: ScriptedUpstream;
let dir: string;
let app: App | undefined;
const log = memoryLogger();

before(async () => {
  api = await startFakeApiServer();
  api.load(readObjectFiles(path.join(repoRoot, 'zones/cluster')));
  upstream = await ScriptedUpstream.start();
  upstream.script('www.example.org', { answers: [{ name: '', type: 'A', ttl: 60, data: '192.0.2.80' }] });
  upstream.script('7.2.0.192.in-addr.arpa', { answers: [{ name: '', type: 'PTR', ttl: 60, data: 'printer.example.org' }] });
  upstream.script('broken.example.org', { rcode: RCODE.SERVFAIL });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-kubeadm-'));
  const file = path.join(dir, 'Corefile');
  fs.writeFileSync(file, testable(api, upstream));
  app = await startApp(loadCorefile(file), { log, defaultPort: 0, runtime: createRuntime('0.0.0-test', log) });
  await app.started;
});

after(async () => {
  await app?.stop();
  await upstream?.stop();
  await api?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function ask(name: string, type: string, options?: QueryOptions) {
  return query(app!.listeners[0]!.port, name, type, options);
}

test('every directive sets up as in CoreDNS: lameduck 5s, reload every 30s ±15s, the three HTTP endpoints', () => {
  assert.equal(app!.lameduckMs, 5000);
  assert.deepEqual(app!.reload, { intervalMs: 30_000, jitterMs: 15_000 });
  const routes = app!.routes.map((r) => `${r.address} ${r.path}`);
  for (const route of ['127.0.0.1:0 /health', '127.0.0.1:0 /ready', '127.0.0.1:0 /metrics']) assert.ok(routes.includes(route), `${route} in ${routes.join(', ')}`);
  assert.equal(app!.ready(), true);
});

for (const transport of ['udp', 'tcp'] as const) {
  test(`${transport}: a Service's A record, with kubeadm's TTL of 30`, async () => {
    const m = await ask('kubernetes.default.svc.cluster.local', 'A', { transport });
    assert.equal(m.rcode, RCODE.NOERROR);
    assert.deepEqual(m.answers.map(zoneText), ['kubernetes.default.svc.cluster.local. 30 IN A 10.96.0.1']);
  });
}

test('a ClusterIP’s PTR record', async () => {
  const m = await ask('1.0.96.10.in-addr.arpa', 'PTR');
  assert.deepEqual(m.answers.map(zoneText), ['1.0.96.10.in-addr.arpa. 30 IN PTR kubernetes.default.svc.cluster.local.']);
});

test('pods insecure: a pod name answers its address', async () => {
  const m = await ask('10-244-1-20.shop.pod.cluster.local', 'A');
  assert.deepEqual(m.answers.map(zoneText), ['10-244-1-20.shop.pod.cluster.local. 30 IN A 10.244.1.20']);
});

test('an external name is forwarded, and cached: the upstream is asked once', async () => {
  for (let i = 0; i < 2; i++) {
    const m = await ask('www.example.org', 'A');
    assert.deepEqual(m.answers.map((rr) => `${rr.type} ${String(rr.data)}`), ['A 192.0.2.80']);
  }
  assert.equal(upstream.count('www.example.org'), 1);
});

test('fallthrough in-addr.arpa: a reverse name outside the cluster is forwarded', async () => {
  const m = await ask('7.2.0.192.in-addr.arpa', 'PTR');
  assert.deepEqual(m.answers.map((rr) => `${rr.type} ${String(rr.data)}`), ['PTR printer.example.org']);
});

test('errors: a failed query is one error line', async () => {
  const before = log.lines.length;
  const m = await ask('broken.example.org', 'A');
  assert.equal(m.rcode, RCODE.SERVFAIL);
  assert.deepEqual(log.lines.slice(before).filter((l) => l.startsWith('[ERROR]')), ['[ERROR] plugin/errors: 2 broken.example.org. A: server failure']);
});
