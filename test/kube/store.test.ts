import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterIndex } from '../../src/index/cluster-index.js';
import { KubeStore, type StoreOptions } from '../../src/kube/store.js';
import { endpoint, namespace, pod, port, service, slice, storeOptions } from './build.js';

/** A synced store: every event reaches the index at once. */
function storeWith(overrides: Partial<StoreOptions> = {}): KubeStore {
  const store = new KubeStore(storeOptions(overrides));
  store.markSynced();
  return store;
}

const exists = (index: ClusterIndex, name: string): boolean => index.find(name, 0, name.length) !== undefined;
const addresses = (index: ClusterIndex, name: string): string[] | undefined => {
  const r = index.find(name, 0, name.length)?.records;
  return r ? [...r.a, ...r.aaaa] : undefined;
};

test('synced only after markSynced', () => {
  const store = new KubeStore(storeOptions());
  assert.equal(store.synced, false);
  store.replaceAll([namespace('default')]);
  assert.equal(store.synced, false, 'data alone does not make the store synced');
  store.markSynced();
  assert.equal(store.synced, true);
});

test('before the sync, services are noted and built once at markSynced; then events apply at once', () => {
  const store = new KubeStore(storeOptions());
  store.upsert(namespace('shop'));
  const generation = store.index.generation;
  store.upsert(slice('shop', 'web-abc', 'web', [endpoint('10.1.0.1', { hostname: 'web-0' })], [port('http', 8080)]));
  store.upsert(service('shop', 'web', { clusterIPs: ['None'] }));
  store.upsert(service('shop', 'gone', { clusterIPs: ['10.0.0.9'] }));
  store.remove('Service', 'shop', 'gone');
  assert.equal(exists(store.index, 'web.shop.svc'), false, 'not built before the sync');
  assert.equal(store.index.generation, generation, 'the index did not change');
  store.markSynced();
  assert.deepEqual(addresses(store.index, 'web.shop.svc'), ['10.1.0.1']);
  assert.deepEqual(addresses(store.index, 'web-0.web.shop.svc'), ['10.1.0.1']);
  assert.equal(exists(store.index, 'gone.shop.svc'), false);
  assert.deepEqual(store.index.ptrTargets('10.1.0.1'), ['web-0.web.shop.svc']);
  store.upsert(service('shop', 'late', { clusterIPs: ['10.0.0.7'] }));
  assert.deepEqual(addresses(store.index, 'late.shop.svc'), ['10.0.0.7']);
});

test('a namespace exists once its Namespace object does; its services appear and go with it', () => {
  const store = storeWith();
  store.upsert(service('late', 'web', { clusterIPs: ['10.0.0.1'] }));
  assert.equal(exists(store.index, 'late.svc'), false);
  assert.equal(exists(store.index, 'web.late.svc'), false);
  assert.equal(store.index.ptrTargets('10.0.0.1'), undefined);

  store.upsert(namespace('late'));
  assert.deepEqual(addresses(store.index, 'web.late.svc'), ['10.0.0.1']);
  assert.deepEqual(store.index.ptrTargets('10.0.0.1'), ['web.late.svc']);

  store.remove('Namespace', '', 'late');
  assert.equal(exists(store.index, 'late.svc'), false);
  assert.equal(store.index.ptrTargets('10.0.0.1'), undefined);

  store.upsert(namespace('late'));
  assert.deepEqual(addresses(store.index, 'web.late.svc'), ['10.0.0.1'], 'the objects were kept');
});

test('the namespaces option exposes only the listed namespaces, PTRs included', () => {
  const store = storeWith({ namespaces: new Set(['shown']) });
  store.replaceAll([
    namespace('shown'),
    namespace('hidden'),
    service('shown', 'a', { clusterIPs: ['10.0.0.1'] }),
    service('hidden', 'b', { clusterIPs: ['10.0.0.2'] }),
  ]);
  assert.deepEqual(addresses(store.index, 'a.shown.svc'), ['10.0.0.1']);
  assert.equal(exists(store.index, 'hidden.svc'), false);
  assert.equal(exists(store.index, 'b.hidden.svc'), false);
  assert.equal(store.index.ptrTargets('10.0.0.2'), undefined);
  store.upsert(service('hidden', 'c', { clusterIPs: ['10.0.0.3'] }));
  assert.equal(store.index.ptrTargets('10.0.0.3'), undefined);
});

test('slices may arrive before their service; slices without a service label are ignored', () => {
  const store = storeWith();
  store.upsert(namespace('ns'));
  store.upsert(slice('ns', 'h-1', 'h', [endpoint('10.1.0.1')]));
  store.upsert(slice('ns', 'orphan', '', [endpoint('10.1.0.9')]));
  assert.equal(exists(store.index, 'h.ns.svc'), false);
  store.upsert(service('ns', 'h', { clusterIPs: ['None'] }));
  assert.deepEqual(addresses(store.index, 'h.ns.svc'), ['10.1.0.1']);
  assert.equal(store.index.ptrTargets('10.1.0.9'), undefined);
  store.remove('EndpointSlice', 'ns', 'orphan');
  store.remove('Service', 'ns', 'missing');
  assert.deepEqual(addresses(store.index, 'h.ns.svc'), ['10.1.0.1']);
});

test('pod names: namespaces get a pod branch unless disabled; verified mode tracks pod addresses', () => {
  const objects = [namespace('podns'), pod('podns', 'a', '10.240.0.1', 'fd00:10:244::5'), pod('podns', 'b', '10.240.0.1')];
  const disabled = storeWith();
  disabled.replaceAll(objects);
  assert.equal(exists(disabled.index, 'podns.pod'), false);

  const insecure = storeWith({ pods: 'insecure' });
  insecure.replaceAll(objects);
  assert.equal(insecure.index.find('podns.pod', 0, 9)?.pods?.size, 0, 'insecure keeps no pods');

  const verified = storeWith({ pods: 'verified' });
  verified.replaceAll(objects);
  const pods = () => [...(verified.index.find('podns.pod', 0, 9)?.pods?.keys() ?? [])].sort();
  assert.deepEqual(pods(), ['10.240.0.1', 'fd00:10:244::5']);
  verified.remove('Pod', 'podns', 'a');
  assert.deepEqual(pods(), ['10.240.0.1'], 'pod b still holds the shared address');
  verified.upsert(pod('podns', 'b', '10.240.0.2'));
  assert.deepEqual(pods(), ['10.240.0.2'], 'an updated pod moves its addresses');
  verified.upsert(pod('other', 'c', '10.240.0.3'));
  verified.upsert(namespace('other'));
  assert.deepEqual([...(verified.index.find('other.pod', 0, 9)?.pods?.keys() ?? [])], ['10.240.0.3']);
});

test('ns.dns: the DNS service is the one whose endpoints hold a local address', () => {
  const local = '10.244.0.53';
  const store = storeWith({ localAddresses: [local] });
  assert.deepEqual(store.index.nameserver.a, [local], 'no DNS service known: the local address');
  store.upsert(namespace('kube-system'));
  store.upsert(service('kube-system', 'kube-dns', { clusterIPs: ['10.96.0.10'], ports: [port('dns', 53, 'UDP')] }));
  store.upsert(slice('kube-system', 'kube-dns-1', 'kube-dns', [endpoint(local)]));
  assert.deepEqual(store.index.nameserver.a, ['10.96.0.10']);
  store.upsert(service('kube-system', 'kube-dns', { clusterIPs: ['10.96.0.10', 'fd00::a'] }));
  assert.deepEqual([store.index.nameserver.a, store.index.nameserver.aaaa], [['10.96.0.10'], ['fd00::a']]);
  store.upsert(slice('kube-system', 'kube-dns-1', 'kube-dns', [endpoint('10.244.0.54')]));
  assert.deepEqual(store.index.nameserver.a, [local], 'no longer an endpoint of it');
  store.replaceAll([
    namespace('kube-system'),
    service('kube-system', 'kube-dns', { clusterIPs: ['10.96.0.10'] }),
    slice('kube-system', 'kube-dns-1', 'kube-dns', [endpoint(local)]),
  ]);
  assert.deepEqual(store.index.nameserver.a, ['10.96.0.10'], 'found again after a resync');
  store.remove('Service', 'kube-system', 'kube-dns');
  assert.deepEqual(store.index.nameserver.a, [local]);
});

test('ns.dns: a headless DNS service or noendpoints falls back to the local addresses', () => {
  const local = 'fd00::53';
  const objects = [
    namespace('kube-system'),
    service('kube-system', 'dns', { clusterIPs: ['None'] }),
    slice('kube-system', 'dns-1', 'dns', [endpoint(local)]),
  ];
  for (const noEndpoints of [false, true]) {
    const store = storeWith({ localAddresses: [local], noEndpoints });
    store.replaceAll(objects);
    assert.deepEqual(store.index.nameserver.aaaa, [local], `noEndpoints=${noEndpoints}`);
  }
});

test('every event moves the index generation forward', () => {
  const store = storeWith({ pods: 'verified' });
  const events = [
    () => store.upsert(namespace('ns')),
    () => store.upsert(service('ns', 'web', { clusterIPs: ['10.0.0.1'] })),
    () => store.upsert(slice('ns', 'web-1', 'web', [endpoint('10.1.0.1')])),
    () => store.upsert(pod('ns', 'p', '10.1.0.1')),
    () => store.remove('Pod', 'ns', 'p'),
    () => store.remove('EndpointSlice', 'ns', 'web-1'),
    () => store.remove('Service', 'ns', 'web'),
    () => store.replaceAll([]),
  ];
  for (const [i, event] of events.entries()) {
    const before = store.index.generation;
    event();
    assert.ok(store.index.generation > before, `event ${i}`);
  }
});

test('replaceKind changes only what differs: kept names stay, changed ones change, missing ones go', () => {
  const store = storeWith();
  store.replaceAll([
    namespace('prod'),
    service('prod', 'kept', { clusterIPs: ['10.0.0.1'] }),
    service('prod', 'changed', { clusterIPs: ['10.0.0.2'] }),
    service('prod', 'gone', { clusterIPs: ['10.0.0.3'] }),
  ]);
  const before = store.index;
  const keptNode = store.index.find('kept.prod.svc', 0, 'kept.prod.svc'.length);
  store.replaceKind('Service', [
    service('prod', 'kept', { clusterIPs: ['10.0.0.1'] }),
    service('prod', 'changed', { clusterIPs: ['10.0.0.4'] }),
    service('prod', 'new', { clusterIPs: ['10.0.0.5'] }),
  ]);
  assert.equal(store.index, before, 'updated in place, not rebuilt aside');
  assert.equal(store.index.find('kept.prod.svc', 0, 'kept.prod.svc'.length), keptNode, 'an unchanged service is not touched');
  assert.deepEqual(addresses(store.index, 'kept.prod.svc'), ['10.0.0.1']);
  assert.deepEqual(addresses(store.index, 'changed.prod.svc'), ['10.0.0.4']);
  assert.deepEqual(addresses(store.index, 'new.prod.svc'), ['10.0.0.5']);
  assert.equal(exists(store.index, 'gone.prod.svc'), false);
  assert.equal(store.index.ptrTargets('10.0.0.3'), undefined);
  assert.equal(exists(store.index, 'prod.svc'), true, 'other kinds are left alone');
});

test('replaceKind of namespaces and slices removes the ones no longer listed', () => {
  const store = storeWith();
  store.replaceAll([
    namespace('a'),
    namespace('b'),
    service('a', 'web', { clusterIPs: ['None'], ports: [port('http', 80)] }),
    slice('a', 'web-1', 'web', [endpoint('10.1.0.1')]),
    slice('a', 'web-2', 'web', [endpoint('10.1.0.2')]),
  ]);
  store.replaceKind('EndpointSlice', [slice('a', 'web-2', 'web', [endpoint('10.1.0.2')])]);
  assert.deepEqual(addresses(store.index, 'web.a.svc'), ['10.1.0.2']);
  store.replaceKind('Namespace', [namespace('a')]);
  assert.equal(exists(store.index, 'b.svc'), false);
  assert.equal(exists(store.index, 'a.svc'), true);
  assert.throws(() => store.replaceKind('Namespace', [service('a', 'x', {})]), /replaceKind\(Namespace\) given a Service/);
});

test('replaceKind scoped to a namespace leaves the other namespaces alone', () => {
  const store = storeWith();
  store.replaceAll([
    namespace('a'),
    namespace('b'),
    service('a', 'one', { clusterIPs: ['10.0.0.1'] }),
    service('b', 'two', { clusterIPs: ['10.0.0.2'] }),
  ]);
  store.replaceKind('Service', [], 'a');
  assert.equal(exists(store.index, 'one.a.svc'), false);
  assert.deepEqual(addresses(store.index, 'two.b.svc'), ['10.0.0.2']);
  assert.throws(() => store.replaceKind('Service', [service('b', 'two', {})], 'a'), /given an object of namespace b/);
});

test('replaceKind with what is held already changes nothing; one changed field is applied', () => {
  const objects = [
    namespace('prod'),
    service('prod', 'web', { clusterIPs: ['10.0.0.1'], ports: [port('http', 80)] }),
    service('prod', 'db', { clusterIPs: ['None'], ports: [port('pg', 5432)] }),
    slice('prod', 'web-1', 'web', [endpoint('10.1.0.1')], [port('http', 8080)]),
    slice('prod', 'db-1', 'db', [endpoint('10.1.0.2', { hostname: 'db-0' })], [port('pg', 5432)]),
  ];
  const store = storeWith({ pods: 'verified' });
  store.replaceAll([...objects, pod('prod', 'p', '10.1.0.1')]);
  const kinds = ['Namespace', 'Service', 'EndpointSlice', 'Pod'] as const;
  for (const kind of kinds) {
    const before = store.index.generation;
    // Fresh copies, as a re-list parses them anew.
    const listed = structuredClone([...objects, pod('prod', 'p', '10.1.0.1')].filter((o) => o.kind === kind));
    store.replaceKind(kind, listed);
    assert.equal(store.index.generation, before, `${kind}: nothing to do`);
  }
  const changed: [string, () => void, string, string[] | undefined][] = [
    ['a hostname', () => store.replaceKind('EndpointSlice', [objects[3]!, slice('prod', 'db-1', 'db', [endpoint('10.1.0.2', { hostname: 'db-1' })], [port('pg', 5432)])]), 'db-1.db.prod.svc', ['10.1.0.2']],
    ['readiness', () => store.replaceKind('EndpointSlice', [objects[4]!, slice('prod', 'web-1', 'web', [endpoint('10.1.0.1', { ready: false })], [port('http', 8080)])]), '10-1-0-1.web.prod.svc', undefined],
    ['a ClusterIP', () => store.replaceKind('Service', [objects[2]!, service('prod', 'web', { clusterIPs: ['10.0.0.2'], ports: [port('http', 80)] })]), 'web.prod.svc', ['10.0.0.2']],
  ];
  for (const [what, change, name, want] of changed) {
    change();
    assert.deepEqual(addresses(store.index, name), want, what);
  }
});
