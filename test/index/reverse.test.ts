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

test('many IPv4 addresses, added and removed in any order, agree with a plain model through every merge', () => {
  // A seeded generator: the same sequence every run.
  let seed = 12345;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const map = new PtrMap();
  const live = new Map<number, { owner: PtrOwner; ips: string[] }>();
  const check = () => {
    const model = new Map<string, string[]>();
    for (const [id, { ips }] of live) for (const a of ips) model.set(a, [...(model.get(a) ?? []), `o${id}.ns.svc`]);
    assert.equal(map.size, model.size);
    for (let n = 0; n < 20_000; n++) {
      const a = ip(n * 7);
      const want = model.get(a);
      assert.deepEqual(map.targets(a), want === undefined ? undefined : [...new Set(want)].sort(), a);
    }
  };
  // Enough distinct addresses that the recent changes are merged into the sorted arrays many times.
  for (let step = 0; step < 60_000; step++) {
    const id = random(12_000);
    const held = live.get(id);
    if (held) {
      map.remove(held.owner);
      live.delete(id);
    } else {
      // Addresses spaced by 7 across a range that owners share now and then.
      const ips = Array.from({ length: 1 + random(4) }, () => ip(random(20_000) * 7));
      const entry = { owner: owner(Object.fromEntries(ips.map((a) => [a, [`o${id}.ns.svc`]]))), ips: [...new Set(ips)] };
      map.add(entry.owner);
      live.set(id, entry);
    }
    if (step % 10_000 === 9999) check();
  }
  for (const { owner: o } of live.values()) map.remove(o);
  live.clear();
  check();
});

test('a bulk load ends as the same adds one at a time would: shared addresses, owners added twice, a remove inside it', () => {
  const ip = (n: number) => `10.1.${(n >> 8) & 255}.${n & 255}`;
  // Owner i covers addresses i … i+2 (so neighbours share two), plus one IPv6 address.
  const owners = Array.from({ length: 9000 }, (_, i) =>
    owner({ [ip(i)]: [`a${i}.ns.svc`], [ip(i + 1)]: [`b${i}.ns.svc`], [ip(i + 2)]: [`c${i}.ns.svc`], [`fd00::${i.toString(16)}`]: [`v6-${i}.ns.svc`] }),
  );
  const bulkLoaded = new PtrMap();
  const oneByOne = new PtrMap();
  for (const map of [bulkLoaded, oneByOne]) for (const o of owners.slice(0, 5000)) map.add(o);
  const rest = () => {
    for (const o of owners.slice(5000)) bulkLoaded.add(o);
    bulkLoaded.add(owners[6000]!);
    bulkLoaded.remove(owners[4000]!);
    for (const o of owners.slice(7000, 8000)) bulkLoaded.add(o);
  };
  bulkLoaded.bulk(rest);
  for (const o of owners.slice(5000)) oneByOne.add(o);
  oneByOne.remove(owners[4000]!);
  assert.equal(bulkLoaded.size, oneByOne.size);
  assert.equal(bulkLoaded.size, 9002 + 8999, 'every IPv4 address, and the IPv6 ones but the removed owner\'s');
  for (let n = 0; n < 9002; n++) {
    assert.deepEqual(bulkLoaded.targets(ip(n)), oneByOne.targets(ip(n)), ip(n));
    assert.deepEqual(bulkLoaded.targets(`fd00::${n.toString(16)}`), oneByOne.targets(`fd00::${n.toString(16)}`));
  }
  assert.deepEqual(bulkLoaded.targets(ip(4001)), ['a4001.ns.svc', 'c3999.ns.svc']);
});
