// The watch verb over raw HTTP: initial state, replay from a resourceVersion, live events, objects
// entering and leaving a selection, 410 from compacted history, bookmarks and timeoutSeconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeApiServerFor, type FakeApiServer } from '../support/fake-apiserver.js';
import { endpointSliceManifest, podManifest, serviceManifest } from '../support/fake-apiserver/manifests.js';
import { getJson, openWatch, type WatchEvent, type WatchStream } from '../support/fake-apiserver/raw-client.js';

async function watch(t: { after(fn: () => void): void }, api: FakeApiServer, path: string): Promise<WatchStream> {
  const stream = await openWatch(api, path);
  t.after(() => stream.close());
  return stream;
}

const summary = (e: WatchEvent) => `${e.type} ${e.object.metadata?.namespace ?? ''}/${e.object.metadata?.name ?? ''}`;

async function take(stream: WatchStream, count: number): Promise<string[]> {
  const out = [];
  for (let i = 0; i < count; i++) out.push(summary(await stream.next()));
  return out;
}

/** Proves nothing else was sent before it: creates a marker object and expects its ADDED next. */
async function expectOnlyMarkerNext(api: FakeApiServer, stream: WatchStream, namespace: string, name: string) {
  api.create(serviceManifest(namespace, name));
  assert.equal(summary(await stream.next()), `ADDED ${namespace}/${name}`);
}

test('a watch without resourceVersion sends the current state as ADDED, then every change, over chunked JSON lines', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([serviceManifest('a', 'x'), serviceManifest('a', 'y')]);
  const stream = await watch(t, api, '/api/v1/services?watch=true');
  assert.equal(stream.status, 200);
  assert.equal(stream.headers['transfer-encoding'], 'chunked');
  assert.match(String(stream.headers['content-type']), /^application\/json/);
  assert.deepEqual(await take(stream, 2), ['ADDED a/x', 'ADDED a/y']);
  api.create(serviceManifest('b', 'z'));
  api.patch('Service', 'a', 'x', (o) => ({ ...o, spec: { clusterIP: '10.96.9.9' } }));
  const last = api.remove('Service', 'a', 'y');
  const events = [await stream.next(), await stream.next(), await stream.next()];
  assert.deepEqual(events.map(summary), ['ADDED b/z', 'MODIFIED a/x', 'DELETED a/y']);
  for (const e of events) assert.deepEqual([e.object.kind, e.object.apiVersion], ['Service', 'v1']);
  assert.equal(events[1]!.object.spec.clusterIP, '10.96.9.9');
  assert.deepEqual(events[2]!.object, last, 'DELETED carries the last state');
  assert.equal(events[2]!.object.metadata!.resourceVersion, api.resourceVersion, 'stamped with the deletion’s revision');
});

test('a watch from a resourceVersion replays exactly the changes after it, then goes live', async (t) => {
  const api = await fakeApiServerFor(t);
  const from = api.create(serviceManifest('a', 'x')).metadata!.resourceVersion as string;
  api.create(serviceManifest('a', 'y'));
  api.patch('Service', 'a', 'x', (o) => ({ ...o, spec: { clusterIP: '10.96.1.1' } }));
  api.remove('Service', 'a', 'y');
  const stream = await watch(t, api, `/api/v1/services?watch=1&resourceVersion=${from}`);
  const replayed = [await stream.next(), await stream.next(), await stream.next()];
  assert.deepEqual(replayed.map(summary), ['ADDED a/y', 'MODIFIED a/x', 'DELETED a/y']);
  const versions = replayed.map((e) => Number(e.object.metadata!.resourceVersion));
  assert.deepEqual(versions, [...versions].sort((p, q) => p - q));
  assert.ok(versions[0]! > Number(from));
  await expectOnlyMarkerNext(api, stream, 'a', 'marker');
});

test('a watch sees only its resource and namespace', async (t) => {
  const api = await fakeApiServerFor(t);
  const slices = await watch(t, api, '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices?watch=true');
  const services = await watch(t, api, `/api/v1/namespaces/b/services?watch=true&resourceVersion=${api.resourceVersion}`);
  api.create(serviceManifest('a', 'web'));
  api.create(endpointSliceManifest('b', 'web-1', 'web', ['10.244.0.1']));
  api.create(endpointSliceManifest('a', 'web-1', 'web', ['10.244.0.2']));
  api.create(serviceManifest('b', 'web'));
  const slice = await slices.next();
  assert.deepEqual([summary(slice), slice.object.kind, slice.object.apiVersion], ['ADDED a/web-1', 'EndpointSlice', 'discovery.k8s.io/v1']);
  assert.equal(summary(await services.next()), 'ADDED b/web');
  api.create(endpointSliceManifest('a', 'marker', 'web', []));
  assert.equal(summary(await slices.next()), 'ADDED a/marker');
  await expectOnlyMarkerNext(api, services, 'b', 'marker');
});

test('an object leaving a selection arrives as DELETED with its last matching state, entering as ADDED', async (t) => {
  const api = await fakeApiServerFor(t);
  const stream = await watch(t, api, `/api/v1/pods?watch=true&labelSelector=app%3Dweb&fieldSelector=status.phase!%3DSucceeded`);
  const pod = (labels: Record<string, string>, phase = 'Running') => podManifest('a', 'p', { labels, phase });
  const steps: { change: () => void; expect: string | undefined; label?: string }[] = [
    { change: () => api.create(pod({ app: 'web' })), expect: 'ADDED a/p', label: 'web' },
    { change: () => api.update(pod({ app: 'web', v: '2' })), expect: 'MODIFIED a/p', label: 'web' },
    { change: () => api.update(pod({ app: 'db' })), expect: 'DELETED a/p', label: 'web' },
    { change: () => api.update(pod({ app: 'db', v: '3' })), expect: undefined },
    { change: () => api.update(pod({ app: 'web' })), expect: 'ADDED a/p', label: 'web' },
    { change: () => api.update(pod({ app: 'web' }, 'Succeeded')), expect: 'DELETED a/p', label: 'web' },
    { change: () => api.update(pod({ app: 'web' }, 'Running')), expect: 'ADDED a/p', label: 'web' },
    { change: () => api.remove('Pod', 'a', 'p'), expect: 'DELETED a/p', label: 'web' },
    { change: () => api.create(podManifest('a', 'other', { labels: { app: 'db' } })), expect: undefined },
  ];
  for (const [i, step] of steps.entries()) {
    step.change();
    if (step.expect === undefined) continue;
    const event = await stream.next();
    assert.equal(summary(event), step.expect, `step ${i}`);
    assert.equal(event.object.metadata!.labels!.app, step.label, `step ${i}: the state the watcher may see`);
    assert.equal(event.object.metadata!.resourceVersion, api.resourceVersion, `step ${i}: the event's revision`);
  }
  api.create(podManifest('a', 'marker', { labels: { app: 'web' } }));
  assert.equal(summary(await stream.next()), 'ADDED a/marker');
});

test('a watch from before the kept history gets one 410 ERROR event and the stream ends', async (t) => {
  const cases = [
    { name: 'history limit', options: { historyLimit: 3 }, age: (_api: FakeApiServer) => undefined },
    { name: 'compact()', options: {}, age: (api: FakeApiServer) => api.compact() },
  ];
  for (const c of cases) {
    const api = await fakeApiServerFor(t, c.options);
    const from = api.create(serviceManifest('a', 's0')).metadata!.resourceVersion as string;
    for (const n of ['s1', 's2', 's3', 's4']) api.create(serviceManifest('a', n));
    c.age(api);
    const stream = await watch(t, api, `/api/v1/services?watch=true&resourceVersion=${from}`);
    const event = await stream.next();
    assert.equal(event.type, 'ERROR', c.name);
    assert.deepEqual(
      [event.object.kind, event.object.apiVersion, event.object.status, event.object.reason, event.object.code],
      ['Status', 'v1', 'Failure', 'Expired', 410],
      c.name,
    );
    assert.match(event.object.message, new RegExp(`^too old resource version: ${from} \\(\\d+\\)$`), c.name);
    assert.equal(await stream.ended, 'end', c.name);
    assert.equal(stream.events.length, 1, c.name);
  }
});

test('the oldest revision still kept can be watched from', async (t) => {
  const api = await fakeApiServerFor(t, { historyLimit: 2 });
  for (const n of ['s1', 's2', 's3']) api.create(serviceManifest('a', n));
  const from = String(Number(api.resourceVersion) - 2);
  const stream = await watch(t, api, `/api/v1/services?watch=true&resourceVersion=${from}`);
  assert.deepEqual(await take(stream, 2), ['ADDED a/s2', 'ADDED a/s3']);
  api.compact();
  const after = await watch(t, api, `/api/v1/services?watch=true&resourceVersion=${api.resourceVersion}`);
  await expectOnlyMarkerNext(api, after, 'a', 'marker');
});

test('bookmarks come at the interval, carry the current revision, and only when allowed', async (t) => {
  const api = await fakeApiServerFor(t, { bookmarkIntervalMs: 40 });
  const plain = await watch(t, api, `/api/v1/services?watch=true&resourceVersion=${api.resourceVersion}`);
  const stream = await watch(t, api, `/api/v1/services?watch=true&allowWatchBookmarks=true&resourceVersion=${api.resourceVersion}`);
  const first = await stream.next();
  assert.deepEqual(first, { type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: api.resourceVersion } } });
  api.create(serviceManifest('a', 'x'));
  let event = await stream.next();
  while (event.type === 'BOOKMARK' && event.object.metadata!.resourceVersion !== api.resourceVersion) event = await stream.next();
  assert.equal(summary(event), 'ADDED a/x');
  assert.equal((await stream.next()).object.metadata!.resourceVersion, api.resourceVersion);
  assert.equal(summary(await plain.next()), 'ADDED a/x');
  assert.equal(plain.events.length, 1, 'no bookmarks unless asked for');
  assert.ok(api.requests.some((r) => r.path.includes('allowWatchBookmarks=true')));
});

test('timeoutSeconds ends the stream cleanly', async (t) => {
  const api = await fakeApiServerFor(t);
  const started = Date.now();
  const stream = await watch(t, api, '/api/v1/services?watch=true&timeoutSeconds=1');
  assert.equal(await stream.ended, 'end');
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 950 && elapsed < 3000, `ended after ${elapsed} ms`);
  assert.equal(api.openWatches, 0);
});

test('a watch with a selector the server cannot parse is a 400 Status, not a stream', async (t) => {
  const api = await fakeApiServerFor(t);
  for (const query of ['labelSelector=app%20in%20web', 'fieldSelector=spec.nodeName%3Dx', 'resourceVersion=abc', 'timeoutSeconds=soon']) {
    const { status, body } = await getJson(api, `/api/v1/services?watch=true&${query}`);
    assert.deepEqual([status, body.kind, body.reason], [400, 'Status', 'BadRequest'], query);
  }
});
