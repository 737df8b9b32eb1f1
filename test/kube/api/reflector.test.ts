// One resource's list+watch loop against the fake API server (and, for what it cannot send, a raw
// server): pagination, watch parameters and bookmarks, 410 and relists that never lose unchanged
// names, reconnection with backoff, silence, and bad input skipped without stopping the loop.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_TUNING } from '../../../src/kube/api/api-source.js';
import { openConnection, type ApiConnection } from '../../../src/kube/api/connection.js';
import { ProgrammingLatency } from '../../../src/kube/api/programming-latency.js';
import { Reflector, type ReflectorSettings } from '../../../src/kube/api/reflector.js';
import { RESOURCES } from '../../../src/kube/api/resources.js';
import type { KubeKind } from '../../../src/kube/objects.js';
import { memoryLogger } from '../../../src/log.js';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../../support/fake-apiserver.js';
import { serviceManifest } from '../../support/fake-apiserver/manifests.js';
import { clusterStore, instrumented, rawServer, RecordingSink, until } from './support.js';

type Context = { after(fn: () => unknown): void };

async function fake(t: Context, options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const api = await startFakeApiServer(options);
  t.after(() => api.stop());
  return api;
}

const kubeconfigOf = (api: FakeApiServer) => openConnection({ kubeconfig: { path: api.kubeconfigPath, context: undefined }, endpoint: undefined });

/** A reflector for `kind` into a recording sink over a store that already knows namespace `shop`; stopped after the test. */
/** A recording sink over a store that knows namespace shop and answers at once. */
function shopSink() {
  const { store, ask } = clusterStore();
  store.upsert({ kind: 'Namespace', name: 'shop' });
  // Sync is the source's business (api-source.test.ts); here answers are wanted at once.
  store.markSynced();
  return { sink: new RecordingSink(store), store, ask };
}

async function reflect(t: Context, connection: ApiConnection, kind: KubeKind, settings: Partial<ReflectorSettings> = {}, target = shopSink()) {
  const { sink, store, ask } = target;
  const log = memoryLogger();
  const latency = new ProgrammingLatency();
  let listed = 0;
  const reflector = new Reflector(
    connection,
    sink,
    log,
    {
      resource: RESOURCES[kind],
      namespace: undefined,
      labelSelector: undefined,
      fieldSelector: undefined,
      pageSize: 500,
      silenceMs: 5000,
      backoff: { initialMs: 100, maxMs: 400 },
      watchTimeoutSeconds: () => 300,
      ...settings,
    },
    latency,
    () => listed++,
  );
  const stopping = new AbortController();
  const running = reflector.run(stopping.signal);
  const stop = async () => {
    stopping.abort();
    await running;
  };
  t.after(stop);
  await until('the first list', () => listed > 0 || settings.pageSize === -1);
  return { reflector, sink, store, ask, log, latency, stop, listed: () => listed };
}

const params = (path: string) => new URL(path, 'http://x').searchParams;
const isWatch = (path: string) => params(path).get('watch') === 'true';
const lines = (log: { lines: string[] }, pattern: RegExp) => log.lines.filter((l) => pattern.test(l));

test('the first list is paginated with limit and continue, and reaches the sink page by page', async (t) => {
  const api = await fake(t);
  for (let i = 0; i < 7; i++) api.create(serviceManifest('shop', `svc-${i}`, `10.96.1.${i}`));
  const target = shopSink();
  const delivered: number[] = [];
  const connection = instrumented(await kubeconfigOf(api), () => void delivered.push(target.sink.calls.length));
  const h = await reflect(t, connection, 'Service', { pageSize: 3 }, target);
  const lists = api.requests.map((r) => r.path).filter((p) => !isWatch(p));
  assert.deepEqual(lists.map((p) => [p.split('?')[0], params(p).get('limit'), params(p).has('continue')]), [
    ['/api/v1/services', '3', false],
    ['/api/v1/services', '3', true],
    ['/api/v1/services', '3', true],
  ]);
  assert.deepEqual(h.sink.calls, Array.from({ length: 7 }, (_, i) => `upsert Service shop/svc-${i}`));
  assert.deepEqual(delivered.slice(0, 3), [0, 0, 3], 'each page goes to the sink while the next one is fetched, not at the end');
  assert.deepEqual(h.ask('svc-6.shop.svc.cluster.local. A').answers, ['svc-6.shop.svc.cluster.local. 5 IN A 10.96.1.6']);
});

test('the watch asks for bookmarks from the list’s resourceVersion, with a 5–10 min timeout; bookmarks move the resourceVersion', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 20 });
  api.create(serviceManifest('shop', 'web', '10.96.0.20'));
  const listedAt = api.resourceVersion;
  await reflect(t, await kubeconfigOf(api), 'Service', { watchTimeoutSeconds: DEFAULT_TUNING.watchTimeoutSeconds });
  await until('a watch', () => api.requests.some((r) => isWatch(r.path)));
  const first = params(api.requests.find((r) => isWatch(r.path))!.path);
  assert.equal(first.get('allowWatchBookmarks'), 'true');
  assert.equal(first.get('resourceVersion'), listedAt);
  const timeout = Number(first.get('timeoutSeconds'));
  assert.ok(timeout >= 300 && timeout <= 600, `timeoutSeconds ${timeout}`);

  // Changes to other resources move the revision that bookmarks carry; no service event does.
  api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } });
  const moved = api.resourceVersion;
  await sleep(100);
  api.dropWatches();
  await until('a second watch', () => api.requests.filter((r) => isWatch(r.path)).length === 2);
  assert.equal(params(api.requests.filter((r) => isWatch(r.path))[1]!.path).get('resourceVersion'), moved);
});

test('watch events reach the sink one by one, each timed from its arrival to the index', async (t) => {
  const api = await fake(t);
  const h = await reflect(t, await kubeconfigOf(api), 'Service');
  api.create(serviceManifest('shop', 'web', '10.96.0.20'));
  api.patch('Service', 'shop', 'web', (o) => ({ ...o, spec: { clusterIP: '10.96.0.21' } }));
  await until('the update', () => h.ask('web.shop.svc.cluster.local. A').answers[0] === 'web.shop.svc.cluster.local. 5 IN A 10.96.0.21');
  api.remove('Service', 'shop', 'web');
  await until('the deletion', () => h.ask('web.shop.svc.cluster.local. A').rcode === 'NXDOMAIN');
  assert.deepEqual(h.sink.calls, ['upsert Service shop/web', 'upsert Service shop/web', 'remove Service shop/web']);
  const events = h.latency.metrics()[1]!.series;
  assert.deepEqual(events.map((s) => [s.labels.resource, s.value.count]), [['services', 3]]);
});

test('410 Expired: a fresh list replaces the old one by its differences; unchanged and updated names never vanish meanwhile', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 20 });
  for (const [name, ip] of [['a', '10.96.0.1'], ['b', '10.96.0.2'], ['c', '10.96.0.3']] as const) api.create(serviceManifest('shop', name, ip));
  const h = await reflect(t, await kubeconfigOf(api), 'Service', { pageSize: 1 });
  const gaps: string[] = [];
  h.sink.check = () => {
    for (const name of ['a', 'b']) {
      if (h.ask(`${name}.shop.svc.cluster.local. A`).rcode !== 'NOERROR') gaps.push(`${name} after ${h.sink.calls.at(-1)}`);
    }
  };
  await sleep(60);
  // The watch is cut, the cluster changes, and the history that could replay the change is compacted away.
  api.dropWatches();
  api.patch('Service', 'shop', 'a', (o) => ({ ...o, spec: { clusterIP: '10.96.0.11' } }));
  api.remove('Service', 'shop', 'c');
  api.create(serviceManifest('shop', 'd', '10.96.0.4'));
  api.compact();
  api.latencyMs = 30;
  await until('the relist', () => h.sink.calls.some((c) => c.startsWith('replaceKind')), 5000);
  api.latencyMs = 0;
  assert.deepEqual(gaps, []);
  assert.deepEqual(
    h.sink.calls,
    ['upsert Service shop/a', 'upsert Service shop/b', 'upsert Service shop/c', 'replaceKind Service (3)'],
    'the relist is one replaceKind, nothing removed or added around it',
  );
  assert.deepEqual(
    ['a', 'b', 'c', 'd'].map((n) => h.ask(`${n}.shop.svc.cluster.local. A`).answers.join()),
    ['a.shop.svc.cluster.local. 5 IN A 10.96.0.11', 'b.shop.svc.cluster.local. 5 IN A 10.96.0.2', '', 'd.shop.svc.cluster.local. 5 IN A 10.96.0.4'],
  );
  assert.equal(lines(h.log, /resourceVersion \d+ expired; listing again/).length, 1);
  const relist = api.requests.map((r) => r.path).filter((p) => !isWatch(p)).slice(-3);
  assert.deepEqual(relist.map((p) => params(p).has('continue')), [false, true, true], 'the relist is paginated too');
});

test('410 as the watch’s HTTP status lists again', async (t) => {
  const api = await fake(t);
  const h = await reflect(t, await kubeconfigOf(api), 'Service');
  await until('a watch', () => api.openWatches === 1);
  api.failNext(1, 410);
  api.dropWatches();
  await until('the relist', () => h.sink.calls.length === 1);
  assert.deepEqual(h.sink.calls, ['replaceKind Service (0)']);
  assert.deepEqual(api.requests.map((r) => (isWatch(r.path) ? 'watch' : 'list')).slice(0, 4), ['list', 'watch', 'watch', 'list']);
});

test('a continue token that expired mid-list: the rest is read again in one unpaginated list, as client-go does', async (t) => {
  const api = await fake(t);
  for (let i = 0; i < 5; i++) api.create(serviceManifest('shop', `svc-${i}`, `10.96.1.${i}`));
  const base = await kubeconfigOf(api);
  let compacted = false;
  const connection = instrumented(base, (path) => {
    if (!compacted && params(path).has('continue')) {
      compacted = true;
      api.create(serviceManifest('shop', 'late', '10.96.1.99'));
      api.compact();
    }
  });
  const h = await reflect(t, connection, 'Service', { pageSize: 2 });
  assert.deepEqual(
    h.sink.calls,
    ['upsert Service shop/svc-0', 'upsert Service shop/svc-1', 'replaceKind Service (6)'],
    'the page already delivered is reconciled with the whole present; the late service is in',
  );
  const lists = connection.log.map((r) => r.path).filter((p) => !isWatch(p));
  assert.deepEqual(lists.map((p) => [params(p).get('limit'), params(p).has('continue')]), [['2', false], ['2', true], [null, false]]);
  assert.equal(lines(h.log, /continue token expired; listing everything in one request/).length, 1);
});

test('a first list that broke off is listed again whole and applied as a diff, so what vanished meanwhile goes', async (t) => {
  const api = await fake(t);
  for (let i = 0; i < 5; i++) api.create(serviceManifest('shop', `svc-${i}`, `10.96.1.${i}`));
  let broken = false;
  const connection = instrumented(await kubeconfigOf(api), (path) => {
    if (!broken && params(path).has('continue')) {
      broken = true;
      api.remove('Service', 'shop', 'svc-0');
      api.failNext(1, 500);
    }
  });
  const h = await reflect(t, connection, 'Service', { pageSize: 2, backoff: { initialMs: 20, maxMs: 40 } });
  assert.deepEqual(h.sink.calls, ['upsert Service shop/svc-0', 'upsert Service shop/svc-1', 'replaceKind Service (4)']);
  assert.equal(h.ask('svc-0.shop.svc.cluster.local. A').rcode, 'NXDOMAIN');
  assert.equal(h.ask('svc-4.shop.svc.cluster.local. A').rcode, 'NOERROR');
  assert.equal(h.listed(), 1);
});

test('a dropped watch reconnects after a jittered backoff and catches up with what changed meanwhile', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 20 });
  const connection = instrumented(await kubeconfigOf(api), () => undefined);
  const h = await reflect(t, connection, 'Service', { backoff: { initialMs: 200, maxMs: 800 } });
  await sleep(60);
  const droppedAt = Date.now();
  api.dropWatches();
  api.create(serviceManifest('shop', 'meanwhile', '10.96.0.30'));
  await until('the change', () => h.ask('meanwhile.shop.svc.cluster.local. A').rcode === 'NOERROR');
  const rewatch = connection.log.filter((r) => isWatch(r.path))[1]!;
  assert.ok(rewatch.at - droppedAt >= 95, `reconnected ${rewatch.at - droppedAt} ms after the drop, not at once`);
  const [warning] = lines(h.log, /watch services: the API server closed the connection; retrying in/);
  const delay = Number(/retrying in ([\d.]+) s/.exec(warning ?? '')?.[1]);
  assert.ok(delay >= 0.1 && delay <= 0.3, `delay ${delay} s (to 10 ms) in [initial/2, 3·initial/2)`);
  assert.equal(connection.log.filter((r) => !isWatch(r.path)).length, 1, 'no relist: the watch resumed');
});

test('consecutive failures double the delay; Retry-After is honoured', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 20 });
  api.failNext(4, 503);
  const h = await reflect(t, await kubeconfigOf(api), 'Service', { backoff: { initialMs: 40, maxMs: 1000 } });
  const delays = lines(h.log, /list services: 503 ServiceUnavailable: injected failure 503; retrying in/).map((l) => Number(/in ([\d.]+) s/.exec(l)![1]) * 1000);
  assert.equal(delays.length, 4);
  delays.forEach((d, i) => {
    const base = 40 * 2 ** i;
    assert.ok(d >= base / 2 - 5 && d < (base * 3) / 2 + 5, `failure ${i + 1}: ${d} ms around ${base} ms`);
  });

  // A bookmark proves the watch healthy, which resets the backoff.
  await until('a watch', () => api.openWatches === 1);
  await sleep(60);
  api.failNext(1, 429);
  api.dropWatches();
  await until('the throttled retry', () => lines(h.log, /429 TooManyRequests/).length === 1);
  assert.match(lines(h.log, /429 TooManyRequests/)[0]!, /retrying in 1\.00 s$/, 'Retry-After: 1 outweighs the backoff');
});

test('while the API server is down the data stays; the watch comes back when it does', async (t) => {
  const api = await fake(t);
  api.create(serviceManifest('shop', 'web', '10.96.0.20'));
  const h = await reflect(t, await kubeconfigOf(api), 'Service', { backoff: { initialMs: 50, maxMs: 200 } });
  const restarted = api.restart(600);
  await sleep(300);
  assert.deepEqual(h.ask('web.shop.svc.cluster.local. A').answers, ['web.shop.svc.cluster.local. 5 IN A 10.96.0.20']);
  assert.ok(lines(h.log, /ECONNREFUSED/).length > 0, 'the refused connections are reported');
  await restarted;
  api.create(serviceManifest('shop', 'after', '10.96.0.21'));
  await until('the change after the outage', () => h.ask('after.shop.svc.cluster.local. A').rcode === 'NOERROR', 2000);
});

test('silence: a watch that sends nothing for silenceMs is abandoned; bookmarks count as something', async (t) => {
  const quiet = await fake(t, { bookmarkIntervalMs: 60_000 });
  const talkative = await fake(t, { bookmarkIntervalMs: 30 });
  const q = await reflect(t, await kubeconfigOf(quiet), 'Service', { silenceMs: 250, backoff: { initialMs: 20, maxMs: 40 } });
  const k = await reflect(t, await kubeconfigOf(talkative), 'Service', { silenceMs: 250 });
  await sleep(700);
  assert.ok(quiet.requests.filter((r) => isWatch(r.path)).length >= 2, 'the silent watch was replaced');
  assert.ok(lines(q.log, /watch services: no data from the API server for 0.25 s; retrying in/).length >= 1);
  assert.equal(talkative.requests.filter((r) => isWatch(r.path)).length, 1, 'bookmarks kept the other alive');
  assert.deepEqual(k.log.lines, []);
});

test('objects the projection refuses are logged and skipped, in lists and in watches; the loop goes on', async (t) => {
  const api = await fake(t);
  api.create(serviceManifest('shop', 'good', '10.96.0.20'));
  api.create(serviceManifest('shop', 'bad', 'not-an-ip'));
  const h = await reflect(t, await kubeconfigOf(api), 'Service');
  assert.deepEqual(h.sink.calls, ['upsert Service shop/good']);
  api.patch('Service', 'shop', 'good', (o) => ({ ...o, spec: { clusterIP: '10.96.0.300' } }));
  api.create(serviceManifest('shop', 'fine', '10.96.0.22'));
  await until('the valid event after the bad one', () => h.ask('fine.shop.svc.cluster.local. A').rcode === 'NOERROR');
  assert.deepEqual(h.sink.calls.slice(1), ['remove Service shop/good', 'upsert Service shop/fine'], 'what a relist would drop goes');
  assert.deepEqual(lines(h.log, /skipped$/), [
    '[ERROR] kubernetes: services: Service shop/bad: spec.clusterIPs[0]: "not-an-ip" is not an IP address or None; skipped',
    '[ERROR] kubernetes: services: Service shop/good: spec.clusterIP: "10.96.0.300" is not an IP address or None; skipped',
  ]);
});

/** A raw server speaking just enough of the API: an empty list at resourceVersion 5, and watches answered by `watches` in turn. */
async function scripted(t: Context, watches: ((res: ServerResponse) => void)[]) {
  let next = 0;
  const server = await rawServer((req, res) => {
    if (!isWatch(req.url ?? '')) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"ServiceList","metadata":{"resourceVersion":"5"},"items":[]}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    (watches[next++] ?? (() => res.write('\n')))(res);
  });
  t.after(() => server.stop());
  return { server, connection: await openConnection({ kubeconfig: undefined, endpoint: server.url }) };
}

const service = (name: string, ip: string, rv: string) =>
  JSON.stringify({ type: 'ADDED', object: { kind: 'Service', apiVersion: 'v1', metadata: { name, namespace: 'shop', resourceVersion: rv }, spec: { clusterIP: ip } } });

test('garbage in the stream (not JSON, unknown event types, invalid objects) is logged and skipped', async (t) => {
  const { connection } = await scripted(t, [
    (res) =>
      res.write(
        ['this is not JSON', '{"type":"SURPRISE","object":{}}', service('Bad_Name', '10.96.0.1', '6'), '[1,2]', 'null', service('web', '10.96.0.20', '7'), ''].join('\n'),
      ),
  ]);
  const h = await reflect(t, connection, 'Service');
  await until('the valid event', () => h.ask('web.shop.svc.cluster.local. A').rcode === 'NOERROR');
  assert.deepEqual(h.log.lines, [
    '[ERROR] kubernetes: watch services: skipped a line that is not JSON: this is not JSON',
    '[ERROR] kubernetes: watch services: skipped an event of unknown type: {"type":"SURPRISE","object":{}}',
    '[ERROR] kubernetes: services: Service: metadata.name: "Bad_Name" is not a DNS label; skipped',
    '[ERROR] kubernetes: watch services: skipped an event of unknown type: [1,2]',
    '[ERROR] kubernetes: watch services: skipped an event of unknown type: null',
  ]);
  assert.deepEqual(h.sink.calls, ['upsert Service shop/web']);
});

test('an ERROR event other than 410, and a watch that ends before sending anything, back off and resume from the same resourceVersion', async (t) => {
  const { server, connection } = await scripted(t, [
    (res) => res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 500, reason: 'InternalError', message: 'etcd is unhappy' } })}\n`),
    (res) => res.end(),
  ]);
  const h = await reflect(t, connection, 'Service', { backoff: { initialMs: 20, maxMs: 40 } });
  await until('the third watch', () => server.requests.length === 4);
  assert.deepEqual(h.log.lines.map((l) => l.replace(/in [\d.]+ s$/, 'in …')), [
    '[WARNING] kubernetes: watch services: 500 InternalError: etcd is unhappy; retrying in …',
    '[WARNING] kubernetes: watch services: the watch ended before sending anything; retrying in …',
  ]);
  assert.deepEqual(server.requests.map((r) => (isWatch(r.path) ? params(r.path).get('resourceVersion') : 'list')), ['list', '5', '5', '5']);
});

test('a watch the server ends cleanly after it was healthy resumes at once from the last resourceVersion', async (t) => {
  const api = await fake(t, { bookmarkIntervalMs: 50 });
  const connection = instrumented(await kubeconfigOf(api), () => undefined);
  await reflect(t, connection, 'Service', { watchTimeoutSeconds: () => 1 });
  await until('the second watch', () => connection.log.filter((r) => isWatch(r.path)).length === 2, 3000);
  const [first, second] = connection.log.filter((r) => isWatch(r.path));
  assert.ok(second!.at - first!.at < 1200, `resumed ${second!.at - first!.at - 1000} ms after the 1 s timeout`);
  assert.equal(params(second!.path).get('resourceVersion'), api.resourceVersion);
  assert.equal(connection.log.filter((r) => !isWatch(r.path)).length, 1, 'no relist');
});

test('a change the sink fails to apply starts over from a list', async (t) => {
  const api = await fake(t);
  const h = await reflect(t, await kubeconfigOf(api), 'Service', { backoff: { initialMs: 20, maxMs: 40 } });
  h.sink.failNextUpsert = true;
  api.create(serviceManifest('shop', 'web', '10.96.0.20'));
  await until('the relist', () => h.ask('web.shop.svc.cluster.local. A').rcode === 'NOERROR');
  assert.deepEqual(h.sink.calls, ['upsert Service shop/web', 'replaceKind Service (1)']);
  assert.match(h.log.lines[0]!, /^\[WARNING\] kubernetes: watch services: the store failed; retrying in/);
});
