// The index through the life of objects: what it holds after each event the store applies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterIndex } from '../../src/index/cluster-index.js';
import { KubeStore } from '../../src/kube/store.js';
import { endpoint, namespace, port, service, slice, storeOptions } from '../kube/build.js';

const options = storeOptions();

/** What a name holds, in a comparable shape; `absent` when the name does not exist. */
function view(index: ClusterIndex, name: string) {
  const node = index.find(name, 0, name.length);
  if (!node) return 'absent';
  const r = node.records;
  if (!r) return 'empty';
  return { a: r.a, aaaa: r.aaaa, cname: r.cname, srv: r.srv.map((s) => `${s.port} ${s.target}`) };
}

test('a service moving ClusterIP → headless → ExternalName → ClusterIP', () => {
  const store = new KubeStore(options);
  store.markSynced();
  store.upsert(namespace('prod'));
  store.upsert(slice('prod', 'web-abc', 'web', [endpoint('172.0.0.2', { hostname: 'web-0' })], [port('http', 8080)]));
  const steps: {
    spec: Parameters<typeof service>[2];
    web: ReturnType<typeof view>;
    web0: ReturnType<typeof view>;
    ptr: Record<string, readonly string[] | undefined>;
  }[] = [
    {
      spec: { clusterIPs: ['10.0.0.1'], ports: [port('http', 80)] },
      web: { a: ['10.0.0.1'], aaaa: [], cname: undefined, srv: ['80 web.prod.svc'] },
      web0: { a: ['172.0.0.2'], aaaa: [], cname: undefined, srv: ['8080 web-0.web.prod.svc'] },
      ptr: { '10.0.0.1': ['web.prod.svc'], '172.0.0.2': ['web-0.web.prod.svc'] },
    },
    {
      spec: { clusterIPs: ['None'], ports: [port('http', 80)] },
      web: { a: ['172.0.0.2'], aaaa: [], cname: undefined, srv: ['8080 web-0.web.prod.svc'] },
      web0: { a: ['172.0.0.2'], aaaa: [], cname: undefined, srv: ['8080 web-0.web.prod.svc'] },
      ptr: { '10.0.0.1': undefined, '172.0.0.2': ['web-0.web.prod.svc'] },
    },
    {
      spec: { type: 'ExternalName', externalName: 'www.example.com.' },
      web: { a: [], aaaa: [], cname: 'www.example.com', srv: [] },
      web0: 'absent',
      ptr: { '10.0.0.1': undefined, '172.0.0.2': undefined },
    },
    {
      spec: { clusterIPs: ['10.0.0.5'], ports: [port('http', 80)] },
      web: { a: ['10.0.0.5'], aaaa: [], cname: undefined, srv: ['80 web.prod.svc'] },
      web0: { a: ['172.0.0.2'], aaaa: [], cname: undefined, srv: ['8080 web-0.web.prod.svc'] },
      ptr: { '10.0.0.5': ['web.prod.svc'], '172.0.0.2': ['web-0.web.prod.svc'] },
    },
  ];
  for (const [i, step] of steps.entries()) {
    store.upsert(service('prod', 'web', step.spec));
    assert.deepEqual(view(store.index, 'web.prod.svc'), step.web, `step ${i}: web`);
    assert.deepEqual(view(store.index, 'web-0.web.prod.svc'), step.web0, `step ${i}: web-0`);
    for (const [ip, targets] of Object.entries(step.ptr)) assert.deepEqual(store.index.ptrTargets(ip), targets, `step ${i}: PTR ${ip}`);
  }
  store.remove('Service', 'prod', 'web');
  assert.equal(view(store.index, 'web.prod.svc'), 'absent');
  assert.equal(store.index.ptrTargets('10.0.0.5'), undefined);
  assert.equal(store.index.ptrTargets('172.0.0.2'), undefined);
});

test('slices added, re-labelled and removed', () => {
  const store = new KubeStore(options);
  store.markSynced();
  store.upsert(namespace('prod'));
  store.upsert(service('prod', 'db', { clusterIPs: ['None'] }));
  store.upsert(service('prod', 'cache', { clusterIPs: ['None'] }));
  assert.equal(view(store.index, 'db.prod.svc'), 'absent', 'no endpoints yet');

  const steps: { event: () => void; db: string[] | 'absent'; cache: string[] | 'absent' }[] = [
    { event: () => store.upsert(slice('prod', 'db-1', 'db', [endpoint('10.1.0.1'), endpoint('10.1.0.2')])), db: ['10.1.0.1', '10.1.0.2'], cache: 'absent' },
    { event: () => store.upsert(slice('prod', 'db-2', 'db', [endpoint('10.1.0.2'), endpoint('10.1.0.3')])), db: ['10.1.0.1', '10.1.0.2', '10.1.0.3'], cache: 'absent' },
    { event: () => store.upsert(slice('prod', 'db-1', 'db', [endpoint('10.1.0.1', { ready: false })])), db: ['10.1.0.2', '10.1.0.3'], cache: 'absent' },
    { event: () => store.upsert(slice('prod', 'db-2', 'cache', [endpoint('10.1.0.2'), endpoint('10.1.0.3')])), db: 'absent', cache: ['10.1.0.2', '10.1.0.3'] },
    { event: () => store.upsert(slice('prod', 'db-1', 'db', [endpoint('10.1.0.1')])), db: ['10.1.0.1'], cache: ['10.1.0.2', '10.1.0.3'] },
    { event: () => store.remove('EndpointSlice', 'prod', 'db-2'), db: ['10.1.0.1'], cache: 'absent' },
    { event: () => store.remove('EndpointSlice', 'prod', 'db-1'), db: 'absent', cache: 'absent' },
  ];
  for (const [i, step] of steps.entries()) {
    step.event();
    for (const [svc, want] of [['db', step.db], ['cache', step.cache]] as const) {
      const got = view(store.index, `${svc}.prod.svc`);
      assert.deepEqual(typeof got === 'string' ? got : [...got.a].sort(), want, `step ${i}: ${svc}`);
    }
  }
});

test('replaceAll builds a new index aside and swaps it in whole', () => {
  const store = new KubeStore(options);
  store.markSynced();
  store.upsert(namespace('prod'));
  store.upsert(service('prod', 'old', { clusterIPs: ['10.0.0.1'] }));
  const before = store.index;
  const generation = before.generation;

  store.replaceAll([namespace('prod'), service('prod', 'new', { clusterIPs: ['10.0.0.2'] }), namespace('staging')]);
  const after = store.index;
  assert.notEqual(after, before);
  assert.ok(after.generation > generation, 'the generation keeps counting up');
  assert.equal(view(after, 'old.prod.svc'), 'absent');
  assert.deepEqual(view(after, 'new.prod.svc'), { a: ['10.0.0.2'], aaaa: [], cname: undefined, srv: [] });
  assert.equal(view(after, 'staging.svc'), 'empty');
  assert.equal(after.ptrTargets('10.0.0.1'), undefined);
  // A query holding the old index while the swap happened still saw a whole, consistent set.
  assert.deepEqual(view(before, 'old.prod.svc'), { a: ['10.0.0.1'], aaaa: [], cname: undefined, srv: [] });
  assert.equal(view(before, 'new.prod.svc'), 'absent');

  store.upsert(service('prod', 'later', { clusterIPs: ['10.0.0.3'] }));
  assert.notEqual(view(store.index, 'later.prod.svc'), 'absent', 'events after a resync apply to the new data');
  assert.equal(view(before, 'later.prod.svc'), 'absent');
});
