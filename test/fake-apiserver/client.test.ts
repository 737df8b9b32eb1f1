// The fake against the real client library: @kubernetes/client-node loads the kubeconfig the fake
// writes, lists through CoreV1Api/DiscoveryV1Api (selectors, pagination, errors), watches with
// its Watch class, and its informer survives dropped watches and 410 Gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiException, CoreV1Api, DiscoveryV1Api, KubeConfig, makeInformer, Watch, type V1Service } from '@kubernetes/client-node';
import { fakeApiServerFor, type FakeApiServer } from '../support/fake-apiserver.js';
import { endpointSliceManifest, namespaceManifest, podManifest, serviceManifest } from '../support/fake-apiserver/manifests.js';

function kubeConfig(api: FakeApiServer): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return kc;
}

const names = (list: { items: { metadata?: { namespace?: string; name?: string } }[] }) =>
  list.items.map((i) => [i.metadata?.namespace, i.metadata?.name].filter(Boolean).join('/'));

/** Resolves when `check` holds, polling every 10 ms for up to 3 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('CoreV1Api and DiscoveryV1Api list, filter and read through the kubeconfig the fake writes', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([
    namespaceManifest('a'),
    namespaceManifest('b'),
    serviceManifest('a', 'web', '10.96.0.10'),
    serviceManifest('b', 'db', '10.96.0.20'),
    podManifest('a', 'web-1', { labels: { app: 'web' }, nodeName: 'node-a' }),
    podManifest('a', 'web-2', { labels: { app: 'web' }, nodeName: 'node-b' }),
    endpointSliceManifest('a', 'web-x1', 'web', ['10.244.0.1', '10.244.0.2']),
  ]);
  const kc = kubeConfig(api);
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);

  const namespaces = await core.listNamespace();
  assert.deepEqual(names(namespaces), ['a', 'b']);
  const services = await core.listNamespacedService({ namespace: 'a' });
  assert.deepEqual(names(services), ['a/web']);
  assert.equal(services.metadata?.resourceVersion, api.resourceVersion);
  assert.deepEqual(services.items[0]!.spec?.clusterIPs, ['10.96.0.10']);
  assert.deepEqual(names(await core.listServiceForAllNamespaces()), ['a/web', 'b/db']);
  const pods = await core.listPodForAllNamespaces({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=node-b' });
  assert.deepEqual(names(pods), ['a/web-2']);
  const read = await core.readNamespacedService({ namespace: 'b', name: 'db' });
  assert.equal(read.spec?.clusterIP, '10.96.0.20');
  const slices = await discovery.listNamespacedEndpointSlice({ namespace: 'a' });
  assert.deepEqual(slices.items.map((s) => s.endpoints.map((e) => e.addresses[0])), [['10.244.0.1', '10.244.0.2']]);
  assert.equal(slices.items[0]!.metadata?.labels?.['kubernetes.io/service-name'], 'web');
});

test('the client pages with limit and _continue through a consistent list', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load(['s1', 's2', 's3', 's4', 's5', 's6', 's7'].map((n) => serviceManifest('a', n)));
  const core = kubeConfig(api).makeApiClient(CoreV1Api);
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const page = await core.listServiceForAllNamespaces({ limit: 3, ...(token ? { _continue: token } : {}) });
    pages.push(names(page));
    token = page.metadata?._continue;
    if (pages.length === 1) api.remove('Service', 'a', 's7');
  } while (token);
  assert.deepEqual(pages, [['a/s1', 'a/s2', 'a/s3'], ['a/s4', 'a/s5', 'a/s6'], ['a/s7']]);
  assert.ok(api.requests.some((r) => /[?&]limit=3/.test(r.path) && /[?&]continue=/.test(r.path)));
});

test('API errors reach the client as ApiException with the fake’s status', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load(['s1', 's2'].map((n) => serviceManifest('a', n)));
  const core = kubeConfig(api).makeApiClient(CoreV1Api);
  const first = await core.listServiceForAllNamespaces({ limit: 1 });
  api.create(serviceManifest('a', 's3'));
  api.compact();
  const stranger = new KubeConfig();
  stranger.loadFromClusterAndUser({ name: 'fake', server: api.url, skipTLSVerify: true }, { name: 'stranger', token: 'wrong' });
  const cases = [
    { name: 'expired continue', call: () => core.listServiceForAllNamespaces({ limit: 1, _continue: first.metadata!._continue! }), code: 410, body: /Expired/ },
    { name: 'wrong token', call: () => stranger.makeApiClient(CoreV1Api).listNamespace(), code: 401, body: /^$/ },
    { name: 'missing object', call: () => core.readNamespacedService({ namespace: 'a', name: 'nope' }), code: 404, body: /NotFound/ },
    { name: 'injected', call: () => (api.failNext(1, 503), core.listNamespace()), code: 503, body: /ServiceUnavailable/ },
  ];
  for (const c of cases) {
    await assert.rejects(c.call(), (err: unknown) => {
      assert.ok(err instanceof ApiException, c.name);
      assert.equal(err.code, c.code, c.name);
      assert.match(err.body === undefined ? '' : JSON.stringify(err.body), c.body, c.name);
      return true;
    });
  }
});

test('the Watch class receives ADDED, MODIFIED, DELETED and BOOKMARK, and ends when watches drop', async (t) => {
  const api = await fakeApiServerFor(t, { bookmarkIntervalMs: 30 });
  api.create(serviceManifest('a', 'old'));
  const kc = kubeConfig(api);
  const list = await kc.makeApiClient(CoreV1Api).listNamespacedService({ namespace: 'a' });
  const seen: string[] = [];
  let ended: unknown = 'not yet';
  const watch = new Watch(kc);
  const controller = await watch.watch(
    '/api/v1/namespaces/a/services',
    { resourceVersion: list.metadata!.resourceVersion, allowWatchBookmarks: true },
    (phase, object: V1Service) => seen.push(phase === 'BOOKMARK' ? phase : `${phase} ${object.metadata?.name} ${object.kind}`),
    (err) => (ended = err),
  );
  t.after(() => controller.abort());
  api.create(serviceManifest('a', 'web'));
  api.create(serviceManifest('b', 'elsewhere'));
  api.patch('Service', 'a', 'web', (o) => ({ ...o, spec: { clusterIP: '10.96.0.99' } }));
  api.remove('Service', 'a', 'old');
  await eventually(() => seen.filter((s) => s !== 'BOOKMARK').length === 3 && seen.at(-1) === 'BOOKMARK', 'events and a bookmark');
  assert.deepEqual(seen.filter((s) => s !== 'BOOKMARK'), ['ADDED web Service', 'MODIFIED web Service', 'DELETED old Service']);
  const request = api.requests.find((r) => r.path.startsWith('/api/v1/namespaces/a/services?watch=true'));
  assert.match(request?.path ?? '', /allowWatchBookmarks=true/);
  assert.equal(ended, 'not yet');
  api.dropWatches();
  await eventually(() => ended !== 'not yet', 'done after dropWatches');
});

test('an informer lists, watches, and recovers from a dropped watch and from 410 Gone', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([serviceManifest('a', 'one')]);
  const kc = kubeConfig(api);
  const core = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer(kc, '/api/v1/services', () => core.listServiceForAllNamespaces());
  const errors: unknown[] = [];
  let restart: NodeJS.Timeout | undefined;
  let done = false;
  // As the client's documentation advises: an informer stops on error and is restarted by its owner.
  informer.on('error', (err) => {
    errors.push(err);
    if (!done) restart = setTimeout(() => void informer.start(), 20);
  });
  t.after(async () => {
    done = true;
    clearTimeout(restart);
    await informer.stop();
  });
  const cached = () => informer.list().map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`).sort().join(',');
  await informer.start();
  await eventually(() => cached() === 'a/one' && api.openWatches === 1, 'the initial list and a watch');

  api.create(serviceManifest('a', 'two'));
  await eventually(() => cached() === 'a/one,a/two', 'a watched ADDED');

  api.dropWatches();
  api.create(serviceManifest('a', 'three'));
  await eventually(() => cached() === 'a/one,a/three,a/two' && api.openWatches === 1, 'catching up after a dropped watch');

  const lists = api.requests.filter((r) => r.path === '/api/v1/services').length;
  // The informer's watch is down while the change it would have seen is compacted away.
  api.dropWatches();
  api.remove('Service', 'a', 'one');
  api.compact();
  await eventually(() => cached() === 'a/three,a/two', 'a relist after 410 Gone');
  assert.ok(api.requests.filter((r) => r.path === '/api/v1/services').length > lists, 'it listed again');
  assert.ok(errors.length >= 1);
});
