import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAddress, type Address } from '../../src/index/address.js';
import { PtrMap, type PtrOwner } from '../../src/index/reverse.js';

/** An owner stating `targets` per address; `cluster` addresses are its ClusterIPs. */
function owner(targets: Record<string, string[]>, cluster: string[] = []): PtrOwner {
  const byAddress = new Map(Object.entries(targets).map(([ip, t]) => [toAddress(ip)!, t]));
  const clusterIPs = new Set(cluster.map((ip) => toAddress(ip)));
  return {
    ptrAddresses: () => [...byAddress.keys()],
    ptrTargets(address: Address, out: string[]) {
      out.push(...(byAddress.get(address) ?? []));
      return clusterIPs.has(address);
    },
  };
}

test('targets of an address: from every owner, de-duplicated, sorted', () => {
  const map = new PtrMap();
  map.add(owner({ '10.0.0.99': ['10-0-0-99.svc2.testns.svc'] }));
  map.add(owner({ '10.0.0.99': ['10-0-0-99.svc1.testns.svc'], '10.0.0.100': ['ep1a.svc1.testns.svc', 'ep1a.svc1.testns.svc'] }));
  assert.deepEqual(map.targets('10.0.0.99'), ['10-0-0-99.svc1.testns.svc', '10-0-0-99.svc2.testns.svc']);
  assert.deepEqual(map.targets('10.0.0.100'), ['ep1a.svc1.testns.svc']);
  assert.equal(map.targets('10.0.0.101'), undefined);
  assert.equal(map.targets('not an address'), undefined);
});

test('IPv6 addresses are found in any spelling', () => {
  const map = new PtrMap();
  map.add(owner({ 'fd00::a': ['x.svc.ns.svc'] }));
  assert.deepEqual(map.targets('FD00:0::A'), ['x.svc.ns.svc']);
});

test('a ClusterIP hides endpoint targets of the same address, whichever came first', () => {
  for (const order of ['cluster first', 'endpoint first']) {
    const map = new PtrMap();
    const svc = owner({ '10.1.0.1': ['svc.a.svc'] }, ['10.1.0.1']);
    const other = owner({ '10.1.0.1': ['x.other.b.svc'] });
    for (const o of order === 'cluster first' ? [svc, other] : [other, svc]) map.add(o);
    assert.deepEqual(map.targets('10.1.0.1'), ['svc.a.svc'], order);
    map.remove(svc);
    assert.deepEqual(map.targets('10.1.0.1'), ['x.other.b.svc'], order);
  }
});

test('removing an owner takes only its own addresses, from one, two or three owners', () => {
  const map = new PtrMap();
  const owners = ['a', 'b', 'c'].map((n) => owner({ '10.0.0.1': [`${n}.ns.svc`], [`10.0.1.${n.charCodeAt(0)}`]: [`${n}.ns.svc`] }));
  for (const o of owners) map.add(o);
  map.add(owners[0]!);
  assert.deepEqual(map.targets('10.0.0.1'), ['a.ns.svc', 'b.ns.svc', 'c.ns.svc'], 'an owner added twice counts once');
  map.remove(owners[1]!);
  assert.deepEqual(map.targets('10.0.0.1'), ['a.ns.svc', 'c.ns.svc']);
  assert.equal(map.targets('10.0.1.98'), undefined);
  map.remove(owners[0]!);
  assert.deepEqual(map.targets('10.0.0.1'), ['c.ns.svc']);
  map.remove(owners[0]!);
  map.remove(owners[2]!);
  assert.equal(map.targets('10.0.0.1'), undefined);
  assert.equal(map.targets('10.0.1.99'), undefined);
});
