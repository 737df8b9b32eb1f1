import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAddress } from '../../src/index/address.js';
import { ClusterIndex, SCHEMA_VERSION } from '../../src/index/cluster-index.js';
import { ServiceRecords, type ServiceFacts } from '../../src/index/service.js';

function at(index: ClusterIndex, name: string) {
  return index.find(name, 0, name.length);
}

const http = { name: 'http', port: 80, protocol: 'TCP' };

function service(ns: string, name: string, facts: Partial<ServiceFacts> = {}): ServiceRecords {
  return new ServiceRecords(ns, name, 5, {
    clusterIPs: toAddress('10.0.0.1')!,
    headless: false,
    ports: [http],
    endpoints: { ports: [http], addresses: [toAddress('10.0.0.100')!], labels: ['ep1a'] },
    named: true,
    cname: undefined,
    ...facts,
  });
}

test('a new index holds the schema version, the ns.dns name and the empty svc/pod branches', () => {
  const index = new ClusterIndex({ ttl: 7 });
  const version = at(index, 'dns-version')?.records;
  assert.deepEqual(version?.txt, [SCHEMA_VERSION]);
  assert.equal(version?.ttl, 28800);
  assert.deepEqual(at(index, 'ns.dns')?.records, index.nameserver);
  assert.equal(index.nameserver.ttl, 7);
  for (const ent of ['svc', 'pod', 'dns']) {
    assert.notEqual(at(index, ent), undefined, ent);
    assert.equal(at(index, ent)?.records, undefined, ent);
  }
  assert.equal(at(index, 'foo'), undefined);
});

test('putService places the service, the names below it and its PTRs; removeService takes them away', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('testns', false);
  index.putService('testns', 'svc1', service('testns', 'svc1'));
  assert.deepEqual(at(index, 'svc1.testns.svc')?.records?.a, ['10.0.0.1']);
  assert.deepEqual(at(index, 'ep1a.svc1.testns.svc')?.records?.a, ['10.0.0.100']);
  assert.equal(at(index, '_http._tcp.svc1.testns.svc')?.records?.srv[0]?.port, 80);
  assert.notEqual(at(index, '_tcp.svc1.testns.svc'), undefined, 'empty non-terminal');
  assert.equal(at(index, '_tcp.svc1.testns.svc')?.records, undefined, 'empty non-terminal');
  assert.equal(at(index, 'ep1b.svc1.testns.svc'), undefined);
  assert.deepEqual(index.ptrTargets('10.0.0.1'), ['svc1.testns.svc']);
  assert.deepEqual(index.ptrTargets('10.0.0.100'), ['ep1a.svc1.testns.svc']);

  const node = at(index, 'svc1.testns.svc');
  index.putService('testns', 'svc1', service('testns', 'svc1', { clusterIPs: toAddress('10.0.0.2')!, endpoints: [] }));
  assert.equal(at(index, 'svc1.testns.svc'), node, 'a replaced service keeps its node');
  assert.deepEqual(at(index, 'svc1.testns.svc')?.records?.a, ['10.0.0.2']);
  assert.equal(at(index, 'ep1a.svc1.testns.svc'), undefined, 'names below are replaced whole');
  assert.equal(index.ptrTargets('10.0.0.1'), undefined);
  assert.equal(index.ptrTargets('10.0.0.100'), undefined);
  assert.deepEqual(index.ptrTargets('10.0.0.2'), ['svc1.testns.svc']);

  index.removeService('testns', 'svc1');
  assert.equal(at(index, 'svc1.testns.svc'), undefined);
  assert.equal(index.ptrTargets('10.0.0.2'), undefined);
  assert.notEqual(at(index, 'testns.svc'), undefined);
});

test('a service without a name keeps its PTRs only, until it is named or removed', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('testns', false);
  const unnamed = service('testns', 'svcempty', { clusterIPs: toAddress('10.0.0.4')!, endpoints: [], named: false });
  index.putService('testns', 'svcempty', unnamed);
  assert.equal(at(index, 'svcempty.testns.svc'), undefined);
  assert.deepEqual(index.ptrTargets('10.0.0.4'), ['svcempty.testns.svc']);
  index.putService('testns', 'svcempty', service('testns', 'svcempty', { clusterIPs: toAddress('10.0.0.5')! }));
  assert.deepEqual(at(index, 'svcempty.testns.svc')?.records?.a, ['10.0.0.5']);
  assert.equal(index.ptrTargets('10.0.0.4'), undefined, 'the unnamed version is gone');
  index.putService('testns', 'svcempty', unnamed);
  assert.equal(at(index, 'svcempty.testns.svc'), undefined, 'and the named one');
  assert.equal(index.ptrTargets('10.0.0.5'), undefined);
  index.removeService('testns', 'svcempty');
  assert.equal(index.ptrTargets('10.0.0.4'), undefined);
});

test('removing a service of a namespace that is not there creates nothing', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.removeService('ghost', 'svc');
  assert.equal(at(index, 'ghost.svc'), undefined);
});

test('removeNamespace removes its names, its PTRs and its pod branch', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('testns', true);
  index.addNamespace('other', true);
  index.putService('testns', 'svc1', service('testns', 'svc1'));
  index.putService('testns', 'hidden', service('testns', 'hidden', { clusterIPs: toAddress('10.0.0.9')!, endpoints: [], named: false }));
  index.putService('other', 'kept', service('other', 'kept', { clusterIPs: toAddress('10.0.0.8')!, endpoints: [], named: false }));
  index.removeNamespace('testns');
  for (const name of ['testns.svc', 'svc1.testns.svc', 'testns.pod']) assert.equal(at(index, name), undefined, name);
  assert.equal(index.ptrTargets('10.0.0.1'), undefined);
  assert.equal(index.ptrTargets('10.0.0.100'), undefined);
  assert.equal(index.ptrTargets('10.0.0.9'), undefined);
  assert.deepEqual(index.ptrTargets('10.0.0.8'), ['kept.other.svc']);
  assert.notEqual(at(index, 'other.svc'), undefined);
  assert.notEqual(at(index, 'other.pod')?.pods, undefined);
});

test('pod addresses are counted per namespace, and only where pod names are served', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('podns', true);
  index.addNamespace('nopods', false);
  index.addPodAddress('podns', '10.240.0.1');
  index.addPodAddress('podns', '10.240.0.1');
  index.addPodAddress('nopods', '10.240.0.2');
  const pods = at(index, 'podns.pod')?.pods;
  assert.equal(pods?.has('10.240.0.1'), true);
  assert.equal(at(index, 'nopods.pod'), undefined);
  index.removePodAddress('podns', '10.240.0.1');
  assert.equal(pods?.has('10.240.0.1'), true, 'a second pod still holds the address');
  index.removePodAddress('podns', '10.240.0.1');
  assert.equal(pods?.has('10.240.0.1'), false);
  index.removePodAddress('podns', '10.240.0.1');
  assert.equal(pods?.size, 0);
});

test('setNameserver splits addresses by family', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.setNameserver(['10.96.0.10', 'fd00::10']);
  assert.deepEqual(index.nameserver.a, ['10.96.0.10']);
  assert.deepEqual(index.nameserver.aaaa, ['fd00::10']);
});

test('every update bumps the generation and stamps the modification time in seconds', () => {
  let now = 1_700_000_000_500;
  const index = new ClusterIndex({ ttl: 5, clock: () => now, generation: 41 });
  assert.equal(index.generation, 41);
  assert.equal(index.modified, 1_700_000_000);
  const updates = [
    () => index.addNamespace('testns', true),
    () => index.putService('testns', 'svc1', service('testns', 'svc1')),
    () => index.addPodAddress('testns', '10.240.0.1'),
    () => index.removePodAddress('testns', '10.240.0.1'),
    () => index.setNameserver(['10.96.0.10']),
    () => index.removeService('testns', 'svc1'),
    () => index.removeNamespace('testns'),
  ];
  updates.forEach((update, i) => {
    now += 1000;
    update();
    assert.equal(index.generation, 42 + i);
    assert.equal(index.modified, Math.floor(now / 1000));
  });
});
