// The test-facing side: object writes, auth, fault injection, latency, the request log, dropped
// watches, restarts, discovery, and a stop() that leaves nothing running.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { test } from 'node:test';
import { fakeApiServerFor, FakeApiServer } from '../support/fake-apiserver.js';
import { namespaceManifest, serviceManifest } from '../support/fake-apiserver/manifests.js';
import { getJson, openWatch } from '../support/fake-apiserver/raw-client.js';

test('create fills the metadata the server owns; update keeps identity and bumps the revision; an identical update is a no-op', async (t) => {
  const api = await fakeApiServerFor(t);
  const input = serviceManifest('', 'web', '10.96.0.1');
  input.metadata = { name: 'web', resourceVersion: '570', uid: 'from-the-file' };
  const created = api.create(input);
  assert.equal(created.metadata!.namespace, 'default');
  assert.notEqual(created.metadata!.uid, 'from-the-file');
  assert.equal(created.metadata!.resourceVersion, api.resourceVersion);
  assert.deepEqual([created.kind, created.apiVersion], ['Service', 'v1']);
  assert.deepEqual(api.get('Service', 'default', 'web'), created);

  const updated = api.update({ ...created, spec: { clusterIP: '10.96.0.2' } });
  assert.equal(updated.metadata!.uid, created.metadata!.uid);
  assert.equal(updated.metadata!.creationTimestamp, created.metadata!.creationTimestamp);
  assert.equal(Number(updated.metadata!.resourceVersion), Number(created.metadata!.resourceVersion) + 1);

  const revision = api.resourceVersion;
  assert.deepEqual(api.update(updated), updated);
  assert.equal(api.resourceVersion, revision, 'no write, no revision');

  const mutated = api.patch('Service', 'default', 'web', (o) => {
    o.metadata!.labels = { app: 'web' };
  });
  const replaced = api.patch('Service', 'default', 'web', (o) => ({ ...o, spec: { clusterIP: '10.96.0.3' } }));
  assert.deepEqual(mutated.metadata!.labels, { app: 'web' });
  assert.deepEqual([replaced.metadata!.labels, (replaced.spec as { clusterIP: string }).clusterIP], [{ app: 'web' }, '10.96.0.3']);

  const last = api.remove('Service', 'default', 'web');
  assert.equal((last.spec as { clusterIP: string }).clusterIP, '10.96.0.3');
  assert.equal(last.metadata!.resourceVersion, api.resourceVersion);
  assert.equal(api.get('Service', 'default', 'web'), undefined);
});

test('writes the real server would refuse throw', async (t) => {
  const api = await fakeApiServerFor(t);
  api.create(serviceManifest('a', 'web'));
  api.create(namespaceManifest('a'));
  const cases = [
    { name: 'create an existing object', write: () => api.create(serviceManifest('a', 'web')), error: /already exists/ },
    { name: 'update a missing object', write: () => api.update(serviceManifest('a', 'nope')), error: /not found/ },
    { name: 'patch a missing object', write: () => api.patch('Service', 'a', 'nope', () => undefined), error: /not found/ },
    { name: 'remove a missing object', write: () => api.remove('Pod', 'a', 'nope'), error: /not found/ },
    { name: 'a kind not served', write: () => api.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }), error: /does not serve kind "Deployment"/ },
    { name: 'the wrong apiVersion', write: () => api.create({ ...serviceManifest('a', 'x'), apiVersion: 'apps/v1' }), error: /served as v1, not apps\/v1/ },
    { name: 'no name', write: () => api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: {} }), error: /without metadata.name/ },
  ];
  for (const c of cases) assert.throws(c.write, c.error, c.name);
  assert.equal(api.get('Namespace', 'ignored', 'a')?.metadata?.name, 'a', 'Namespaces have no namespace');
});

test('requests without the kubeconfig’s bearer token answer 401 Unauthorized', async (t) => {
  const api = await fakeApiServerFor(t);
  const cases = [
    { token: null, status: 401 },
    { token: 'wrong', status: 401 },
    { token: api.token, status: 200 },
  ];
  for (const c of cases) {
    for (const path of ['/api/v1/services', '/api', '/version']) {
      const { status, body } = await getJson(api, path, c.token);
      assert.equal(status, c.status, `${path} with ${c.token}`);
      if (c.status === 401) assert.deepEqual([body.kind, body.reason, body.code], ['Status', 'Unauthorized', 401]);
    }
  }
});

test('failNext answers the next list and watch requests with the given status, then recovers', async (t) => {
  const api = await fakeApiServerFor(t);
  const cases = [
    { code: 503, reason: 'ServiceUnavailable', retryAfter: undefined },
    { code: 500, reason: 'InternalError', retryAfter: undefined },
    { code: 429, reason: 'TooManyRequests', retryAfter: '1' },
    { code: 403, reason: 'Forbidden', retryAfter: undefined },
  ];
  for (const c of cases) {
    api.failNext(2, c.code);
    assert.equal((await getJson(api, '/api/v1')).status, 200, 'discovery is not a list');
    for (const path of ['/api/v1/services', '/api/v1/pods?watch=true']) {
      const { status, headers, body } = await getJson(api, path);
      assert.deepEqual([status, body.kind, body.reason, body.code], [c.code, 'Status', c.reason, c.code], path);
      assert.equal(headers['retry-after'], c.retryAfter);
    }
    assert.equal((await getJson(api, '/api/v1/services')).status, 200);
  }
});

test('latencyMs delays every answer, and can be changed while running', async (t) => {
  const api = await fakeApiServerFor(t, { latencyMs: 300 });
  for (const [latency, atLeast, below] of [[300, 295, 3000], [0, 0, 295]] as const) {
    api.latencyMs = latency;
    const started = Date.now();
    assert.equal((await getJson(api, '/api/v1/services')).status, 200);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= atLeast && elapsed < below, `latency ${latency}: answered after ${elapsed} ms`);
  }
});

test('the request log holds method and path with query, in order', async (t) => {
  const api = await fakeApiServerFor(t);
  await getJson(api, '/api/v1/services?limit=500');
  await getJson(api, '/apis/discovery.k8s.io/v1/endpointslices?labelSelector=a%3Db', 'wrong');
  assert.deepEqual(api.requests, [
    { method: 'GET', path: '/api/v1/services?limit=500' },
    { method: 'GET', path: '/apis/discovery.k8s.io/v1/endpointslices?labelSelector=a%3Db' },
  ]);
});

test('dropWatches cuts every watch connection, and the server goes on answering', async (t) => {
  const api = await fakeApiServerFor(t);
  const watches = [await openWatch(api, '/api/v1/services?watch=true'), await openWatch(api, '/api/v1/pods?watch=true')];
  assert.equal(api.openWatches, 2);
  api.dropWatches();
  assert.deepEqual(await Promise.all(watches.map((w) => w.ended)), ['cut', 'cut']);
  assert.equal(api.openWatches, 0);
  assert.equal((await getJson(api, '/api/v1/services')).status, 200);
});

test('restart cuts connections, keeps port, objects and history, and can stay down a while', async (t) => {
  const api = await fakeApiServerFor(t);
  const url = api.url;
  api.create(serviceManifest('a', 'before'));
  const from = api.resourceVersion;
  const stream = await openWatch(api, `/api/v1/services?watch=true&resourceVersion=${from}`);
  const down = api.restart(300);
  assert.equal(await stream.ended, 'cut');
  await assert.rejects(getJson(api, '/api/v1/services'), /ECONNREFUSED/);
  api.create(serviceManifest('a', 'during'));
  await down;
  assert.equal(api.url, url);
  const { body } = await getJson(api, '/api/v1/services');
  assert.deepEqual(body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['before', 'during']);
  const resumed = await openWatch(api, `/api/v1/services?watch=true&resourceVersion=${from}`);
  t.after(() => resumed.close());
  const event = await resumed.next();
  assert.deepEqual([event.type, event.object.metadata!.name], ['ADDED', 'during']);
});

test('discovery documents and /version describe what is served', async (t) => {
  const api = await fakeApiServerFor(t);
  const cases = [
    { path: '/api', check: (b: any) => assert.deepEqual([b.kind, b.versions], ['APIVersions', ['v1']]) },
    {
      path: '/apis',
      check: (b: any) => assert.deepEqual(b.groups.map((g: any) => [g.name, g.preferredVersion.groupVersion]), [['discovery.k8s.io', 'discovery.k8s.io/v1']]),
    },
    { path: '/apis/discovery.k8s.io', check: (b: any) => assert.deepEqual([b.kind, b.name], ['APIGroup', 'discovery.k8s.io']) },
    {
      path: '/api/v1',
      check: (b: any) => assert.deepEqual([b.groupVersion, b.resources.map((r: any) => [r.name, r.kind, r.namespaced])], [
        'v1',
        [['namespaces', 'Namespace', false], ['services', 'Service', true], ['pods', 'Pod', true]],
      ]),
    },
    {
      path: '/apis/discovery.k8s.io/v1',
      check: (b: any) => assert.deepEqual([b.groupVersion, b.resources.map((r: any) => [r.name, r.verbs])], [
        'discovery.k8s.io/v1',
        [['endpointslices', ['get', 'list', 'watch']]],
      ]),
    },
    { path: '/version', check: (b: any) => assert.match(b.gitVersion, /^v1\.\d+\.\d+/) },
  ];
  for (const c of cases) {
    const { status, body } = await getJson(api, c.path);
    assert.equal(status, 200, c.path);
    c.check(body);
  }
});

test('the fake only reads: other methods answer 405 MethodNotAllowed', async (t) => {
  const api = await fakeApiServerFor(t);
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers = { Authorization: `Bearer ${api.token}` };
      const req = request(`${api.url}/api/v1/namespaces/a/services`, { method, agent: false, headers }, async (res) => {
        let body = '';
        for await (const chunk of res) body += chunk;
        resolve({ status: res.statusCode ?? 0, body });
      });
      req.on('error', reject).end('{}');
    });
    assert.deepEqual([answer.status, JSON.parse(answer.body).reason], [405, 'MethodNotAllowed'], method);
  }
});

test('stop closes listener, watches and timers, and removes the kubeconfig', async () => {
  const counted = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];
  // Closed handles leave libuv's list one loop turn after their close callbacks.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const census = () => counted.map((kind) => process.getActiveResourcesInfo().filter((r) => r === kind).length);
  await settle();
  const baseline = census();
  const api = new FakeApiServer({ bookmarkIntervalMs: 20, latencyMs: 50 });
  await api.start();
  const kubeconfig = api.kubeconfigPath;
  try {
    assert.ok(existsSync(kubeconfig));
    const stream = await openWatch(api, '/api/v1/services?watch=true&allowWatchBookmarks=true&timeoutSeconds=60');
    void getJson(api, '/api/v1/services').catch(() => undefined);
    await settle();
    const running = census();
    assert.ok(running.every((n, i) => n > baseline[i]!), `the census sees the server: ${running} vs ${baseline}`);
    await api.stop();
    assert.equal(await stream.ended, 'cut');
  } finally {
    await api.stop();
  }
  await settle();
  const left = census();
  assert.ok(left.every((n, i) => n <= baseline[i]!), `left running: ${left} vs ${baseline}`);
  assert.equal(existsSync(kubeconfig), false);
});
