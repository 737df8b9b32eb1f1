// Label and field selectors on lists, as tables of selector → objects selected, and the 400s of
// selectors the server cannot parse or fields it does not index.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startFakeApiServer, type FakeApiServer } from '../support/fake-apiserver.js';
import { podManifest, serviceManifest } from '../support/fake-apiserver/manifests.js';
import { getJson } from '../support/fake-apiserver/raw-client.js';

let api: FakeApiServer;

before(async () => {
  api = await startFakeApiServer();
  api.load([
    podManifest('a', 'web-1', { labels: { app: 'web', tier: 'front' }, nodeName: 'node-a', ip: '10.244.0.1' }),
    podManifest('a', 'web-2', { labels: { app: 'web' }, nodeName: 'node-b', ip: '10.244.0.2' }),
    podManifest('a', 'db-1', { labels: { app: 'db', tier: 'back' }, nodeName: 'node-b', phase: 'Pending', ip: '10.244.0.3' }),
    podManifest('b', 'job-1', { nodeName: 'node-a', phase: 'Succeeded', ip: '10.244.0.4' }),
    serviceManifest('a', 'web', '10.96.0.1', { app: 'web' }),
  ]);
});
after(() => api.stop());

async function podNames(query: string): Promise<string[]> {
  const { status, body } = await getJson(api, `/api/v1/pods?${query}`);
  assert.equal(status, 200, `${query}: ${JSON.stringify(body)}`);
  return body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`);
}

test('label selectors: equality, existence and sets, with Kubernetes semantics for absent labels', async () => {
  const cases = [
    { selector: '', pods: ['a/db-1', 'a/web-1', 'a/web-2', 'b/job-1'] },
    { selector: 'app=web', pods: ['a/web-1', 'a/web-2'] },
    { selector: 'app==web', pods: ['a/web-1', 'a/web-2'] },
    { selector: 'app!=web', pods: ['a/db-1', 'b/job-1'] },
    { selector: 'tier', pods: ['a/db-1', 'a/web-1'] },
    { selector: '!tier', pods: ['a/web-2', 'b/job-1'] },
    { selector: 'app in (web, db)', pods: ['a/db-1', 'a/web-1', 'a/web-2'] },
    { selector: 'app notin (web)', pods: ['a/db-1', 'b/job-1'] },
    { selector: 'app=web,tier=front', pods: ['a/web-1'] },
    { selector: 'app in (web,db),!tier', pods: ['a/web-2'] },
    { selector: 'app=nothing', pods: [] },
  ];
  for (const c of cases) {
    assert.deepEqual(await podNames(`labelSelector=${encodeURIComponent(c.selector)}`), c.pods, c.selector);
  }
});

test('field selectors on the fields the real server indexes, alone and with a label selector', async () => {
  const cases = [
    { query: 'fieldSelector=spec.nodeName=node-b', pods: ['a/db-1', 'a/web-2'] },
    { query: 'fieldSelector=status.phase!=Running', pods: ['a/db-1', 'b/job-1'] },
    { query: 'fieldSelector=status.phase==Running', pods: ['a/web-1', 'a/web-2'] },
    { query: 'fieldSelector=metadata.name=db-1', pods: ['a/db-1'] },
    { query: 'fieldSelector=metadata.namespace=b', pods: ['b/job-1'] },
    { query: 'fieldSelector=status.podIP=10.244.0.2', pods: ['a/web-2'] },
    { query: 'fieldSelector=spec.nodeName=node-a,status.phase=Running', pods: ['a/web-1'] },
    { query: 'fieldSelector=spec.nodeName=node-b&labelSelector=tier', pods: ['a/db-1'] },
  ];
  for (const c of cases) assert.deepEqual(await podNames(c.query), c.pods, c.query);
});

test('a selected list reports no remainingItemCount, and its pages hold only matches', async () => {
  const first = await getJson(api, '/api/v1/pods?labelSelector=app&limit=2');
  assert.equal(first.body.items.length, 2);
  assert.ok(first.body.metadata.continue);
  assert.equal(first.body.metadata.remainingItemCount, undefined);
  const second = await getJson(api, `/api/v1/pods?labelSelector=app&limit=2&continue=${first.body.metadata.continue}`);
  assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['web-2']);
  assert.equal(second.body.metadata.continue, undefined);
});

test('selectors the server cannot parse, and fields it does not index, answer 400 BadRequest', async () => {
  const cases = [
    { path: '/api/v1/pods?labelSelector=app in web', message: /unable to parse requirement/ },
    { path: '/api/v1/pods?labelSelector=app in ()', message: /unable to parse requirement/ },
    { path: '/api/v1/pods?labelSelector=a=b=c', message: /unable to parse requirement/ },
    { path: '/api/v1/pods?fieldSelector=spec.restartPolicy=Always', message: /field label not supported: spec.restartPolicy/ },
    { path: '/api/v1/services?fieldSelector=spec.nodeName=node-a', message: /field label not supported: spec.nodeName/ },
    { path: '/api/v1/pods?fieldSelector=nonsense', message: /invalid selector/ },
  ];
  for (const c of cases) {
    const { status, body } = await getJson(api, encodeURI(c.path));
    assert.deepEqual([status, body.kind, body.reason], [400, 'Status', 'BadRequest'], c.path);
    assert.match(body.message, c.message, c.path);
  }
});
