import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterIndex, SCHEMA_VERSION } from '../../src/index/cluster-index.js';
import { nameRecords, type ServiceNames } from '../../src/index/records.js';

function at(index: ClusterIndex, name: string) {
  return index.find(name, 0, name.length);
}

const svc1: ServiceNames = {
  records: nameRecords(5, { a: ['10.0.0.1'] }),
  below: [
    { labels: ['ep1a'], records: nameRecords(5, { a: ['10.0.0.100'] }) },
    { labels: ['_http', '_tcp'], records: nameRecords(5, { srv: [{ priority: 0, weight: 100, port: 80, target: 'svc1.testns.svc' }] }) },
  ],
  ptr: [
    { ip: '10.0.0.1', target: 'svc1.testns.svc', clusterIP: true },
    { ip: '10.0.0.100', target: 'ep1a.svc1.testns.svc', clusterIP: false },
  ],
};

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
  index.putService('testns', 'svc1', svc1);
  assert.deepEqual(at(index, 'svc1.testns.svc')?.records?.a, ['10.0.0.1']);
  assert.deepEqual(at(index, 'ep1a.svc1.testns.svc')?.records?.a, ['10.0.0.100']);
  assert.equal(at(index, '_http._tcp.svc1.testns.svc')?.records?.srv[0]?.port, 80);
  assert.equal(at(index, '_tcp.svc1.testns.svc')?.records, undefined, 'empty non-terminal');
  assert.deepEqual(index.ptrTargets('10.0.0.1'), ['svc1.testns.svc']);
  assert.deepEqual(index.ptrTargets('10.0.0.100'), ['ep1a.svc1.testns.svc']);

  index.putService('testns', 'svc1', { records: nameRecords(5, { a: ['10.0.0.2'] }), below: [], ptr: [] });
  assert.deepEqual(at(index, 'svc1.testns.svc')?.records?.a, ['10.0.0.2']);
  assert.equal(at(index, 'ep1a.svc1.testns.svc'), undefined, 'names below are replaced whole');
  assert.equal(index.ptrTargets('10.0.0.1'), undefined);

  index.removeService('testns', 'svc1');
  assert.equal(at(index, 'svc1.testns.svc'), undefined);
  assert.notEqual(at(index, 'testns.svc'), undefined);
});

test('a service without records of its own keeps its PTRs only', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('testns', false);
  index.putService('testns', 'svcempty', { records: undefined, below: svc1.below, ptr: [{ ip: '10.0.0.4', target: 'svcempty.testns.svc', clusterIP: true }] });
  assert.equal(at(index, 'svcempty.testns.svc'), undefined);
  assert.equal(at(index, 'ep1a.svcempty.testns.svc'), undefined);
  assert.deepEqual(index.ptrTargets('10.0.0.4'), ['svcempty.testns.svc']);
});

test('removeNamespace removes its names, its PTRs and its pod branch', () => {
  const index = new ClusterIndex({ ttl: 5 });
  index.addNamespace('testns', true);
  index.addNamespace('other', true);
  index.putService('testns', 'svc1', svc1);
  index.putService('testns', 'hidden', { records: undefined, below: [], ptr: [{ ip: '10.0.0.9', target: 'hidden.testns.svc', clusterIP: true }] });
  index.removeNamespace('testns');
  for (const name of ['testns.svc', 'svc1.testns.svc', 'testns.pod']) assert.equal(at(index, name), undefined, name);
  assert.equal(index.ptrTargets('10.0.0.1'), undefined);
  assert.equal(index.ptrTargets('10.0.0.9'), undefined);
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
    () => index.putService('testns', 'svc1', svc1),
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
