// The API source: which resources it follows and how it selects them, when it calls the sink
// synced, how start() behaves with the API server away, the programming latency it measures,
// and a stop() that leaves nothing behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiSource, POD_FIELD_SELECTOR, watchedResources, type ApiSourceOptions, type ApiSourceTuning } from '../../../src/kube/api/api-source.js';
import { openConnection, type ApiConnection } from '../../../src/kube/api/connection.js';
import { ProgrammingLatency } from '../../../src/kube/api/programming-latency.js';
import { memoryLogger } from '../../../src/log.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../../support/fake-apiserver.js';
import { endpointSliceManifest, namespaceManifest, podManifest, serviceManifest } from '../../support/fake-apiserver/manifests.js';
import { clusterStore, instrumented, rawServer, RecordingSink, until } from './support.js';

type Context = { after(fn: () => unknown): void };

const OPTIONS: ApiSourceOptions = { namespaces: new Set(), labels: undefined, pods: false, endpoints: true };
const FAST: Partial<ApiSourceTuning> = { backoff: { initialMs: 20, maxMs: 100 }, startupWaitMs: 2000 };

async function fake(t: Context, options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const api = await startFakeApiServer(options);
  t.after(() => api.stop());
  return api;
}

const kubeconfigOf = (api: FakeApiServer) => () => openConnection({ kubeconfig: { path: api.kubeconfigPath, context: undefined }, endpoint: undefined });

/** A source over `connect` into a recording sink; stopped after the test. */
function source(t: Context, connect: () => Promise<ApiConnection>, options: Partial<ApiSourceOptions> = {}, tuning: Partial<ApiSourceTuning> = FAST) {
  const { store, ask } = clusterStore();
  const sink = new RecordingSink(store);
  const log = memoryLogger();
  const latency = new ProgrammingLatency();
  const src = new ApiSource(connect, log, { ...OPTIONS, ...options }, tuning, latency);
  t.after(() => src.stop());
  return { src, sink, store, ask, log, latency };
}

const describe = (o: Partial<ApiSourceOptions>) =>
  watchedResources({ ...OPTIONS, ...o }).map((w) =>
    [w.resource.plural, w.namespace ?? '*', w.labelSelector && `labels ${w.labelSelector}`, w.fieldSelector && `fields ${w.fieldSelector}`].filter(Boolean).join(' '),
  );

test('the resources followed: namespaces and services always, slices unless noendpoints, pods only for pods verified; per namespace with namespaces', () => {
  const cases: { options: Partial<ApiSourceOptions>; want: string[] }[] = [
    { options: {}, want: ['namespaces *', 'services *', 'endpointslices *'] },
    { options: { endpoints: false }, want: ['namespaces *', 'services *'] },
    { options: { pods: true }, want: ['namespaces *', 'services *', 'endpointslices *', `pods * fields ${POD_FIELD_SELECTOR}`] },
    { options: { labels: 'app=web' }, want: ['namespaces *', 'services * labels app=web', 'endpointslices * labels app=web'] },
    {
      options: { namespaces: new Set(['shop', 'default']), pods: true },
      want: ['namespaces *', 'services default', 'services shop', 'endpointslices default', 'endpointslices shop', `pods default fields ${POD_FIELD_SELECTOR}`, `pods shop fields ${POD_FIELD_SELECTOR}`],
    },
  ];
  for (const c of cases) assert.deepEqual(describe(c.options), c.want, JSON.stringify(c.options, (_k, v) => (v instanceof Set ? [...v] : v)));
});

test('on the wire: paths per namespace, labelSelector on services and slices, the phase selector on pods, bookmarks on every watch', async (t) => {
  const api = await fake(t);
  api.load([namespaceManifest('shop'), serviceManifest('shop', 'web', '10.96.0.20', { app: 'web' }), podManifest('shop', 'web-0', { ip: '10.244.0.20' })]);
  const h = source(t, kubeconfigOf(api), { namespaces: new Set(['shop']), labels: 'app=web', pods: true });
  await h.src.start(h.sink);
  await until('every watch', () => api.openWatches === 4);
  const seen = new Set(
    api.requests.map((r) => {
      const url = new URL(r.path, 'http://x');
      const q = url.searchParams;
      return [url.pathname, q.get('watch') ?? 'list', q.get('labelSelector') ?? '-', q.get('fieldSelector') ?? '-', q.get('allowWatchBookmarks') ?? '-'].join(' ');
    }),
  );
  assert.deepEqual([...seen].sort(), [
    '/api/v1/namespaces list - - -',
    '/api/v1/namespaces true - - true',
    `/api/v1/namespaces/shop/pods list - ${POD_FIELD_SELECTOR} -`,
    `/api/v1/namespaces/shop/pods true - ${POD_FIELD_SELECTOR} true`,
    '/api/v1/namespaces/shop/services list app=web - -',
    '/api/v1/namespaces/shop/services true app=web - true',
    '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices list app=web - -',
    '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices true app=web - true',
  ]);
  assert.deepEqual(h.sink.calls.sort(), ['markSynced', 'upsert Namespace /shop', 'upsert Pod shop/web-0', 'upsert Service shop/web']);
  assert.deepEqual(h.ask('10-244-0-20.shop.pod.cluster.local. A').answers, ['10-244-0-20.shop.pod.cluster.local. 5 IN A 10.244.0.20']);
});

test('without pods verified no pod is ever asked for', async (t) => {
  const api = await fake(t);
  const h = source(t, kubeconfigOf(api));
  await h.src.start(h.sink);
  await until('every watch', () => api.openWatches === 3);
  assert.deepEqual(api.requests.filter((r) => r.path.includes('pods')), []);
});

test('synced once every resource has been listed once, and start() waits for it', async (t) => {
  const api = await fake(t);
  api.load([namespaceManifest('shop'), serviceManifest('shop', 'web', '10.96.0.20')]);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const base = await kubeconfigOf(api)();
  const connection = instrumented(base, (path) => (path.startsWith('/apis/discovery.k8s.io/v1/endpointslices?limit') ? held : undefined));
  const h = source(t, async () => connection);
  let started = false;
  const starting = h.src.start(h.sink).then(() => (started = true));
  await until('namespaces and services listed', () => h.sink.calls.length === 2);
  assert.deepEqual(h.sink.calls.sort(), ['upsert Namespace /shop', 'upsert Service shop/web']);
  await sleep(50);
  assert.deepEqual([h.store.synced, started, h.ask('web.shop.svc.cluster.local. A').rcode], [false, false, 'SERVFAIL']);
  release();
  await starting;
  assert.deepEqual(h.sink.calls.slice(2), ['markSynced']);
  assert.equal(h.ask('web.shop.svc.cluster.local. A').rcode, 'NOERROR');
  assert.match(h.log.lines.at(-1)!, /^\[INFO\] kubernetes: synced with http:\/\/127\.0\.0\.1:\d+ in \d+ ms$/);
});

test('with the API server away, start() gives up waiting after startupWaitMs; the source syncs when it comes back', async (t) => {
  const api = await fake(t);
  api.load([namespaceManifest('shop'), serviceManifest('shop', 'web', '10.96.0.20')]);
  // Resolved before the outage: start() waits for the lists only.
  const connection = await kubeconfigOf(api)();
  const back = api.restart(1200);
  const h = source(t, async () => connection, {}, { ...FAST, startupWaitMs: 300 });
  const began = Date.now();
  await h.src.start(h.sink);
  assert.ok(Date.now() - began >= 290 && Date.now() - began < 1000, `start() took ${Date.now() - began} ms`);
  assert.deepEqual([h.store.synced, h.ask('web.shop.svc.cluster.local. A').rcode], [false, 'SERVFAIL']);
  assert.ok(h.log.lines.includes('[WARNING] kubernetes: namespaces, services, endpointslices not listed after 0.3 s; serving SERVFAIL in the cluster zones until they are'));
  await back;
  await until('synced', () => h.store.synced, 3000);
  assert.equal(h.ask('web.shop.svc.cluster.local. A').rcode, 'NOERROR');
});

test('a configuration that cannot be loaded fails start(), which follows nothing', async (t) => {
  const h = source(t, () => Promise.reject(new Error('kubeconfig /x: no context named prod')));
  await assert.rejects(h.src.start(h.sink), /no context named prod/);
  await h.src.stop();
  assert.deepEqual(h.sink.calls, []);
});

test('an EndpointSlice change of a headless service is timed from its trigger time, as CoreDNS does', async (t) => {
  const api = await fake(t);
  api.load([namespaceManifest('shop')]);
  const h = source(t, kubeconfigOf(api));
  await h.src.start(h.sink);
  const trigger = new Date(Date.now() - 1500).toISOString();
  const slice = (name: string, headless: boolean) => {
    const s = endpointSliceManifest('shop', name, name, ['10.244.0.9']);
    s.metadata!.labels = { ...s.metadata!.labels, ...(headless ? { 'service.kubernetes.io/headless': '' } : {}) };
    s.metadata!.annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': trigger };
    return s;
  };
  api.create(slice('headless', true));
  api.create(slice('clusterip', false));
  await until('both events', () => h.sink.calls.filter((c) => c.startsWith('upsert EndpointSlice')).length === 2);
  const [programming, events] = h.latency.metrics();
  assert.equal(programming!.series.length, 1);
  const { labels, value } = programming!.series[0]!;
  assert.deepEqual(labels, { service_kind: 'headless_with_selector' });
  assert.equal(value.count, 1, 'only the headless service’s slice');
  assert.ok(value.sum >= 1.5 && value.sum < 2.5, `${value.sum} s since the trigger`);
  assert.deepEqual(events!.series.map((s) => [s.labels.resource, s.value.count]), [['endpointslices', 2]]);
});

/** Handles of the kinds a source could leave behind. */
function handles(): string {
  const kinds = process.getActiveResourcesInfo().filter((k) => k === 'TCPSocketWrap' || k === 'Timeout' || k === 'TLSWrap');
  return kinds.sort().join(',');
}

/** The handles once what earlier tests closed has finished closing (the test runner keeps timers of its own). */
async function settledHandles(): Promise<string> {
  let last = handles();
  for (;;) {
    await sleep(100);
    if (handles() === last) return last;
    last = handles();
  }
}

test('stop() ends every watch, timer and socket: synced, waiting for answers, or between retries', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 20 });
  const mute = await rawServer(() => undefined);
  t.after(() => mute.stop());
  const gone = await rawServer(() => undefined);
  await gone.stop();
  const connect = kubeconfigOf(api);
  await connect();
  const before = await settledHandles();

  const synced = source(t, connect, { pods: true });
  await synced.src.start(synced.sink);
  await until('every watch', () => api.openWatches === 4);
  await synced.src.stop();
  await until('the fake’s side closed too', () => api.openWatches === 0);
  await until(`no handle left after a synced source (before: ${before}, now: ${handles()})`, () => handles() === before, 1000);

  const cases = [
    { name: 'waiting for answers', server: mute, ready: () => mute.requests.length === 3 },
    { name: 'between retries', server: gone, ready: (log: string[]) => log.filter((l) => l.includes('ECONNREFUSED')).length >= 3 },
  ];
  for (const c of cases) {
    const waiting = source(t, () => openConnection({ kubeconfig: undefined, endpoint: c.server.url }), {}, { backoff: { initialMs: 10_000, maxMs: 10_000 }, startupWaitMs: 60_000 });
    const starting = waiting.src.start(waiting.sink);
    await until(c.name, () => c.ready(waiting.log.lines));
    const began = Date.now();
    await waiting.src.stop();
    await starting;
    assert.ok(Date.now() - began < 500, `${c.name}: stop() did not wait`);
    await until(`no handle left ${c.name} (before: ${before}, now: ${handles()})`, () => handles() === before, 1000);
  }
});
