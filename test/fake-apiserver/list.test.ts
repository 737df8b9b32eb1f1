// The list verb over raw HTTP: typed lists, paths, pagination and its consistency, 410 on expired
// continue tokens, resourceVersionMatch, and the 400s of malformed requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeApiServerFor, type FakeApiServer } from '../support/fake-apiserver.js';
import {
  endpointSliceManifest,
  namespaceManifest,
  podManifest,
  serviceManifest,
} from '../support/fake-apiserver/manifests.js';
import { getJson } from '../support/fake-apiserver/raw-client.js';

type Item = { metadata: { namespace?: string; name: string } };
const names = (body: Record<string, any>): string[] =>
  (body.items as Item[]).map((i) => (i.metadata.namespace ? `${i.metadata.namespace}/${i.metadata.name}` : i.metadata.name));

/** Every page of a paginated list, following continue tokens. */
async function allPages(api: FakeApiServer, path: string, limit: number) {
  const pages = [];
  let token = '';
  do {
    const { status, body } = await getJson(api, `${path}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    assert.equal(status, 200);
    pages.push(body);
    token = body.metadata.continue ?? '';
  } while (token !== '');
  return pages;
}

test('a list is typed, carries the revision, and its items have server-filled metadata but no kind', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([serviceManifest('b', 'z'), serviceManifest('a', 'y'), serviceManifest('a', 'x')]);
  const { status, headers, body } = await getJson(api, '/api/v1/services');
  assert.equal(status, 200);
  assert.match(String(headers['content-type']), /^application\/json/);
  assert.equal(body.kind, 'ServiceList');
  assert.equal(body.apiVersion, 'v1');
  assert.equal(body.metadata.resourceVersion, api.resourceVersion);
  assert.equal(body.metadata.continue, undefined);
  assert.deepEqual(names(body), ['a/x', 'a/y', 'b/z'], 'key order, as etcd returns it');
  for (const item of body.items) {
    assert.equal(item.kind, undefined);
    assert.equal(item.apiVersion, undefined);
    assert.match(item.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(item.metadata.resourceVersion, /^\d+$/);
    assert.match(item.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  assert.deepEqual(new Set(body.items.map((i: { metadata: { resourceVersion: string } }) => i.metadata.resourceVersion)).size, 3);
});

test('paths select the resource and namespace as on the real server', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([
    namespaceManifest('a'),
    namespaceManifest('b'),
    serviceManifest('a', 'web'),
    serviceManifest('b', 'db'),
    podManifest('a', 'web-1'),
    endpointSliceManifest('a', 'web-abc', 'web', ['10.244.0.1']),
    endpointSliceManifest('b', 'db-abc', 'db', ['10.244.0.2']),
  ]);
  const cases = [
    { path: '/api/v1/namespaces', kind: 'NamespaceList', apiVersion: 'v1', items: ['a', 'b'] },
    { path: '/api/v1/services', kind: 'ServiceList', apiVersion: 'v1', items: ['a/web', 'b/db'] },
    { path: '/api/v1/namespaces/b/services', kind: 'ServiceList', apiVersion: 'v1', items: ['b/db'] },
    { path: '/api/v1/namespaces/c/services', kind: 'ServiceList', apiVersion: 'v1', items: [] },
    { path: '/api/v1/pods', kind: 'PodList', apiVersion: 'v1', items: ['a/web-1'] },
    { path: '/apis/discovery.k8s.io/v1/endpointslices', kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', items: ['a/web-abc', 'b/db-abc'] },
    { path: '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices', kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', items: ['a/web-abc'] },
  ];
  for (const c of cases) {
    const { status, body } = await getJson(api, c.path);
    assert.equal(status, 200, c.path);
    assert.equal(body.kind, c.kind, c.path);
    assert.equal(body.apiVersion, c.apiVersion, c.path);
    assert.deepEqual(names(body), c.items, c.path);
  }
});

test('GET of one object carries kind and apiVersion; unknown objects and paths are 404 Status', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([namespaceManifest('a'), serviceManifest('a', 'web', '10.96.1.1'), endpointSliceManifest('a', 'web-abc', 'web', ['10.244.0.1'])]);
  const found = [
    { path: '/api/v1/namespaces/a', kind: 'Namespace', apiVersion: 'v1', name: 'a' },
    { path: '/api/v1/namespaces/a/services/web', kind: 'Service', apiVersion: 'v1', name: 'web' },
    { path: '/apis/discovery.k8s.io/v1/namespaces/a/endpointslices/web-abc', kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', name: 'web-abc' },
  ];
  for (const c of found) {
    const { status, body } = await getJson(api, c.path);
    assert.equal(status, 200, c.path);
    assert.deepEqual([body.kind, body.apiVersion, body.metadata.name], [c.kind, c.apiVersion, c.name], c.path);
  }
  assert.equal((await getJson(api, '/api/v1/namespaces/a/services/web')).body.spec.clusterIP, '10.96.1.1');
  for (const path of ['/api/v1/namespaces/a/services/nope', '/api/v1/namespaces/nope', '/api/v1/configmaps', '/apis/apps/v1/deployments', '/apis/discovery.k8s.io/v1/services']) {
    const { status, body } = await getJson(api, path);
    assert.equal(status, 404, path);
    assert.deepEqual([body.kind, body.status, body.reason, body.code], ['Status', 'Failure', 'NotFound', 404], path);
  }
});

test('limit and continue page through the list in order, at the first page’s revision', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load(['s1', 's2', 's3', 's4', 's5'].map((n) => serviceManifest('a', n)));
  const pages = await allPages(api, '/api/v1/namespaces/a/services', 2);
  assert.deepEqual(pages.map(names), [['a/s1', 'a/s2'], ['a/s3', 'a/s4'], ['a/s5']]);
  assert.deepEqual(pages.map((p) => p.metadata.remainingItemCount), [3, 1, undefined]);
  assert.deepEqual(pages.map((p) => p.metadata.resourceVersion), [api.resourceVersion, api.resourceVersion, api.resourceVersion]);
  const unlimited = await getJson(api, '/api/v1/namespaces/a/services?limit=0');
  assert.equal(unlimited.body.items.length, 5);
});

test('later pages show the state at the first page, whatever changed since', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load(['s1', 's2', 's3', 's4'].map((n) => serviceManifest('a', n, '10.96.0.1')));
  const first = await getJson(api, '/api/v1/services?limit=2');
  api.remove('Service', 'a', 's3');
  api.create(serviceManifest('a', 's3b'));
  api.patch('Service', 'a', 's4', (o) => {
    (o.spec as { clusterIP: string }).clusterIP = '10.96.0.99';
  });
  api.remove('Service', 'a', 's1');
  const second = await getJson(api, `/api/v1/services?limit=2&continue=${first.body.metadata.continue}`);
  assert.deepEqual(names(second.body), ['a/s3', 'a/s4']);
  assert.equal(second.body.items[1].spec.clusterIP, '10.96.0.1');
  assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
  const fresh = await getJson(api, '/api/v1/services');
  assert.deepEqual(names(fresh.body), ['a/s2', 'a/s3b', 'a/s4']);
  assert.equal(fresh.body.items[2].spec.clusterIP, '10.96.0.99');
});

test('remainingItemCount counts the rest of the list at the first page’s revision', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load(['s1', 's2', 's3', 's4', 's5', 's6'].map((n) => serviceManifest('a', n)));
  const first = await getJson(api, '/api/v1/services?limit=2');
  assert.equal(first.body.metadata.remainingItemCount, 4);
  api.create(serviceManifest('a', 's3b'));
  api.create(serviceManifest('a', 's9'));
  api.remove('Service', 'a', 's5');
  const second = await getJson(api, `/api/v1/services?limit=2&continue=${first.body.metadata.continue}`);
  assert.deepEqual(names(second.body), ['a/s3', 'a/s4']);
  // s5 and s6 were there at that revision; s3b and s9 were not.
  assert.equal(second.body.metadata.remainingItemCount, 2);
  const now = await getJson(api, '/api/v1/services?limit=3');
  assert.equal(now.body.metadata.remainingItemCount, 4);
});

test('a continue token older than the kept history answers 410 Expired with a token to go on inconsistently', async (t) => {
  const cases = [
    { name: 'compact()', options: {}, age: (api: FakeApiServer) => (api.create(serviceManifest('b', 'new')), api.compact()) },
    {
      name: 'history limit',
      options: { historyLimit: 2 },
      age: (api: FakeApiServer) => ['n1', 'n2', 'n3'].forEach((n) => api.create(serviceManifest('b', n))),
    },
  ];
  for (const c of cases) {
    const api = await fakeApiServerFor(t, c.options);
    api.load(['s1', 's2', 's3'].map((n) => serviceManifest('a', n)));
    const first = await getJson(api, '/api/v1/services?limit=2');
    c.age(api);
    const expired = await getJson(api, `/api/v1/services?limit=2&continue=${first.body.metadata.continue}`);
    assert.equal(expired.status, 410, c.name);
    assert.deepEqual([expired.body.kind, expired.body.reason, expired.body.code], ['Status', 'Expired', 410], c.name);
    assert.match(expired.body.message, /continue parameter is too old/, c.name);
    const rest = await getJson(api, `/api/v1/namespaces/a/services?limit=2&continue=${expired.body.metadata.continue}`);
    assert.equal(rest.status, 200, c.name);
    assert.deepEqual(names(rest.body), ['a/s3'], c.name);
    assert.equal(rest.body.metadata.resourceVersion, api.resourceVersion, c.name);
  }
});

test('resourceVersionMatch=Exact reads the past while it is kept; NotOlderThan reads the present', async (t) => {
  const api = await fakeApiServerFor(t);
  api.create(serviceManifest('a', 'old', '10.96.0.1'));
  const before = api.resourceVersion;
  api.create(serviceManifest('a', 'new'));
  api.patch('Service', 'a', 'old', (o) => ({ ...o, spec: { clusterIP: '10.96.0.2' } }));
  const exact = await getJson(api, `/api/v1/services?resourceVersion=${before}&resourceVersionMatch=Exact`);
  assert.deepEqual(names(exact.body), ['a/old']);
  assert.equal(exact.body.items[0].spec.clusterIP, '10.96.0.1');
  assert.equal(exact.body.metadata.resourceVersion, before);
  const notOlder = await getJson(api, `/api/v1/services?resourceVersion=${before}&resourceVersionMatch=NotOlderThan`);
  assert.deepEqual(names(notOlder.body), ['a/new', 'a/old']);
  assert.equal(notOlder.body.metadata.resourceVersion, api.resourceVersion);
  api.compact();
  const gone = await getJson(api, `/api/v1/services?resourceVersion=${before}&resourceVersionMatch=Exact`);
  assert.deepEqual([gone.status, gone.body.reason], [410, 'Expired']);
  assert.match(gone.body.message, new RegExp(`^too old resource version: ${before} \\(${api.resourceVersion}\\)$`));
});

test('malformed list requests answer a Status with the real server’s code', async (t) => {
  const api = await fakeApiServerFor(t);
  api.load([serviceManifest('a', 's1'), serviceManifest('a', 's2')]);
  const { body: page } = await getJson(api, '/api/v1/services?limit=1');
  const cases = [
    { query: 'limit=abc', code: 400, reason: 'BadRequest' },
    { query: 'limit=1&continue=bm90IGEgdG9rZW4', code: 400, reason: 'BadRequest' },
    { query: 'resourceVersionMatch=Exact', code: 400, reason: 'BadRequest' },
    { query: 'resourceVersion=1&resourceVersionMatch=Newest', code: 400, reason: 'BadRequest' },
    { query: `resourceVersion=1&continue=${page.metadata.continue}`, code: 400, reason: 'BadRequest' },
    { query: 'resourceVersion=abc', code: 400, reason: 'BadRequest' },
    { query: `resourceVersion=${Number(api.resourceVersion) + 10}`, code: 504, reason: 'Timeout' },
  ];
  for (const c of cases) {
    const { status, body } = await getJson(api, `/api/v1/services?${c.query}`);
    assert.deepEqual([status, body.kind, body.reason, body.code], [c.code, 'Status', c.reason, c.code], c.query);
  }
});

test('a list larger than one write chunk arrives whole and parses', async (t) => {
  const api = await fakeApiServerFor(t);
  const count = 20_000;
  api.load(Array.from({ length: count }, (_, i) => serviceManifest(`ns-${i % 50}`, `svc-${i}`, `10.96.${i >> 8 & 255}.${i & 255}`)));
  const { status, body } = await getJson(api, '/api/v1/services');
  assert.equal(status, 200);
  assert.equal(body.items.length, count);
  assert.equal(new Set(names(body)).size, count);
});
