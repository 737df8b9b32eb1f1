import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PtrMap } from '../../src/index/reverse.js';

const ep = (ip: string, target: string) => ({ ip, target, clusterIP: false });
const cip = (ip: string, target: string) => ({ ip, target, clusterIP: true });

test('targets of an address: one per owner, de-duplicated, sorted', () => {
  const map = new PtrMap();
  map.set('testns/svc2', [ep('10.0.0.99', '10-0-0-99.svc2.testns.svc')]);
  map.set('testns/svc1', [ep('10.0.0.99', '10-0-0-99.svc1.testns.svc'), ep('10.0.0.100', 'ep1a.svc1.testns.svc'), ep('10.0.0.100', 'ep1a.svc1.testns.svc')]);
  assert.deepEqual(map.targets('10.0.0.99'), ['10-0-0-99.svc1.testns.svc', '10-0-0-99.svc2.testns.svc']);
  assert.deepEqual(map.targets('10.0.0.100'), ['ep1a.svc1.testns.svc']);
  assert.equal(map.targets('10.0.0.101'), undefined);
});

test('a ClusterIP hides endpoint targets of the same address, whichever came first', () => {
  for (const order of ['cluster first', 'endpoint first']) {
    const map = new PtrMap();
    const steps = [
      () => map.set('a/svc', [cip('10.1.0.1', 'svc.a.svc')]),
      () => map.set('b/other', [ep('10.1.0.1', 'x.other.b.svc')]),
    ];
    if (order === 'endpoint first') steps.reverse();
    for (const step of steps) step();
    assert.deepEqual(map.targets('10.1.0.1'), ['svc.a.svc'], order);
    map.set('a/svc', []);
    assert.deepEqual(map.targets('10.1.0.1'), ['x.other.b.svc'], order);
  }
});

test('set replaces everything an owner said before', () => {
  const map = new PtrMap();
  map.set('ns/svc', [ep('10.0.0.1', 'a.svc.ns.svc'), ep('10.0.0.2', 'b.svc.ns.svc')]);
  map.set('ns/svc', [ep('10.0.0.2', 'c.svc.ns.svc')]);
  assert.equal(map.targets('10.0.0.1'), undefined);
  assert.deepEqual(map.targets('10.0.0.2'), ['c.svc.ns.svc']);
  map.set('ns/svc', []);
  assert.equal(map.targets('10.0.0.2'), undefined);
});
