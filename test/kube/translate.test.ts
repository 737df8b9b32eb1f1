import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipToDashed } from '../../src/dns/names.js';
import { addressText, toAddress } from '../../src/index/address.js';
import type { NameRecords } from '../../src/index/records.js';
import type { ServiceRecords } from '../../src/index/service.js';
import type { EndpointSliceObject, ServiceObject } from '../../src/kube/objects.js';
import {
  heldService,
  heldSlice,
  PortLists,
  sameService,
  sameSlice,
  serviceRecords,
  type TranslateOptions,
} from '../../src/kube/translate.js';
import { endpoint, port, service, slice } from './build.js';

const base: TranslateOptions = { ttl: 5, noEndpoints: false, endpointPodNames: false, ignoreEmptyService: false };

/** The service and its slices through the held forms, as the store keeps them, into the index's records. */
function translate(svc: ServiceObject, slices: EndpointSliceObject[], options: TranslateOptions): ServiceRecords | undefined {
  const ports = new PortLists();
  const held = slices.map((s) => heldSlice(s, s.service, ports, options.endpointPodNames));
  return serviceRecords(svc.namespace, svc.name, heldService(svc, ports), held.length === 1 ? held[0]! : held, options);
}

/**
 * Every name of a translation as `labels: what` lines, sorted, for comparison with a table. The
 * names are found as the schema places them: one per endpoint label (its hostname, else its dashed
 * address) and one per named port (the service's, or for a headless service its endpoints').
 */
function lines(records: ServiceRecords | undefined): string[] {
  if (!records) return [];
  const out: string[] = [];
  const add = (where: string, r: NameRecords) => {
    for (const a of [...r.a, ...r.aaaa]) out.push(`${where} addr ${a}`);
    for (const s of r.srv) out.push(`${where} srv ${s.priority} ${s.weight} ${s.port} ${s.target}`);
    for (const g of r.glue) out.push(`${where} glue ${g.name} ${g.type} ${g.address}`);
    if (r.cname !== undefined) out.push(`${where} cname ${r.cname}`);
  };
  if (records.named) {
    add('@', records);
    const below = new Set<string>();
    const ports = records.headless ? records.endpoints.flatMap((g) => g.ports) : records.ports;
    for (const p of ports) if (p.name !== '') below.add(`_${p.name}._${p.protocol.toLowerCase()}`);
    for (const g of records.endpoints) {
      g.addresses.forEach((a, i) => below.add(g.labels?.[i] ?? ipToDashed(addressText(a))));
    }
    for (const name of below) {
      const found = records.below(name, 0, name.length);
      assert.ok(found?.records, `${name} is a name of ${records.self}`);
      add(name, found.records);
    }
  }
  for (const address of new Set(records.ptrAddresses())) {
    const targets: string[] = [];
    const cluster = records.ptrTargets(address, targets);
    for (const t of new Set(targets)) out.push(`ptr ${addressText(address)} ${t}${cluster ? ' (cluster)' : ''}`);
  }
  return out.sort();
}

const cases: { name: string; svc: ReturnType<typeof service>; slices?: ReturnType<typeof slice>[]; options?: Partial<TranslateOptions>; want: string[] }[] = [
  {
    name: 'ClusterIP: addresses, bare and named SRV to the service, endpoint names, PTRs',
    svc: service('ns', 'web', { clusterIPs: ['10.0.0.1'], ports: [port('http', 80), port('', 81, 'UDP')] }),
    slices: [slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'Web-0' })], [port('http', 8080)])],
    want: [
      '@ addr 10.0.0.1',
      '@ glue web.ns.svc A 10.0.0.1',
      '@ srv 0 50 80 web.ns.svc',
      '@ srv 0 50 81 web.ns.svc',
      '_http._tcp glue web.ns.svc A 10.0.0.1',
      '_http._tcp srv 0 100 80 web.ns.svc',
      'ptr 10.0.0.1 web.ns.svc (cluster)',
      'ptr 172.0.0.2 web-0.web.ns.svc',
      'web-0 addr 172.0.0.2',
      'web-0 glue web-0.web.ns.svc A 172.0.0.2',
      'web-0 srv 0 100 8080 web-0.web.ns.svc',
    ],
  },
  {
    name: 'dual-stack ClusterIP: weight 50, both families as glue, canonical IPv6',
    svc: service('ns', 'dual', { clusterIPs: ['10.0.0.3', '10:0::3'], ports: [port('http', 80)] }),
    want: [
      '@ addr 10.0.0.3',
      '@ addr 10::3',
      '@ glue dual.ns.svc A 10.0.0.3',
      '@ glue dual.ns.svc AAAA 10::3',
      '@ srv 0 50 80 dual.ns.svc',
      '_http._tcp glue dual.ns.svc A 10.0.0.3',
      '_http._tcp glue dual.ns.svc AAAA 10::3',
      '_http._tcp srv 0 50 80 dual.ns.svc',
      'ptr 10.0.0.3 dual.ns.svc (cluster)',
      'ptr 10::3 dual.ns.svc (cluster)',
    ],
  },
  {
    name: 'headless: N counts every address × port pair before duplicates go (CoreDNS weight 100/N)',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [
      slice('ns', 'h-1', 'h', [endpoint('172.0.0.4', { hostname: 'dup' }), endpoint('172.0.0.5', { hostname: 'dup' }), endpoint('172.0.0.6', { ready: false })], [port('http', 80)]),
    ],
    want: [
      '@ addr 172.0.0.4',
      '@ addr 172.0.0.5',
      '@ glue dup.h.ns.svc A 172.0.0.4',
      '@ glue dup.h.ns.svc A 172.0.0.5',
      '@ srv 0 50 80 dup.h.ns.svc',
      '_http._tcp glue dup.h.ns.svc A 172.0.0.4',
      '_http._tcp glue dup.h.ns.svc A 172.0.0.5',
      '_http._tcp srv 0 50 80 dup.h.ns.svc',
      'dup addr 172.0.0.4',
      'dup addr 172.0.0.5',
      'dup glue dup.h.ns.svc A 172.0.0.4',
      'dup glue dup.h.ns.svc A 172.0.0.5',
      'dup srv 0 50 80 dup.h.ns.svc',
      'ptr 172.0.0.4 dup.h.ns.svc',
      'ptr 172.0.0.5 dup.h.ns.svc',
    ],
  },
  {
    name: 'headless, portless: addresses, no SRV',
    svc: service('ns', 'p', { clusterIPs: ['None'] }),
    slices: [slice('ns', 'p-1', 'p', [endpoint('172.0.0.20')])],
    want: ['172-0-0-20 addr 172.0.0.20', '@ addr 172.0.0.20', 'ptr 172.0.0.20 172-0-0-20.p.ns.svc'],
  },
  {
    name: 'headless without ready endpoints does not exist',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [slice('ns', 'h-1', 'h', [endpoint('172.0.0.6', { ready: false })])],
    want: [],
  },
  {
    name: 'publishNotReadyAddresses publishes not-ready endpoints',
    svc: service('ns', 'h', { clusterIPs: ['None'], publishNotReadyAddresses: true }),
    slices: [slice('ns', 'h-1', 'h', [endpoint('172.0.0.6', { ready: false })])],
    want: ['172-0-0-6 addr 172.0.0.6', '@ addr 172.0.0.6', 'ptr 172.0.0.6 172-0-0-6.h.ns.svc'],
  },
  {
    name: 'a service with no address yet counts as headless',
    svc: service('ns', 'h', {}),
    slices: [slice('ns', 'h-1', 'h', [endpoint('172.0.0.7')])],
    want: ['172-0-0-7 addr 172.0.0.7', '@ addr 172.0.0.7', 'ptr 172.0.0.7 172-0-0-7.h.ns.svc'],
  },
  {
    name: 'the same address in two slices is one endpoint; ports merge; FQDN slices and bad addresses are skipped',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [
      slice('ns', 'h-1', 'h', [endpoint('5678:ABCD::1')], [port('http', 80)]),
      slice('ns', 'h-2', 'h', [endpoint('5678:abcd:0::1')], [port('metrics', 9090)]),
      slice('ns', 'h-3', 'h', [endpoint('db.example.com')], [port('http', 80)], 'FQDN'),
      slice('ns', 'h-4', 'h', [endpoint('not-an-ip')], [port('http', 80)]),
    ],
    want: [
      '5678-abcd--1 addr 5678:abcd::1',
      '5678-abcd--1 glue 5678-abcd--1.h.ns.svc AAAA 5678:abcd::1',
      '5678-abcd--1 srv 0 50 80 5678-abcd--1.h.ns.svc',
      '5678-abcd--1 srv 0 50 9090 5678-abcd--1.h.ns.svc',
      '@ addr 5678:abcd::1',
      '@ glue 5678-abcd--1.h.ns.svc AAAA 5678:abcd::1',
      '@ srv 0 50 80 5678-abcd--1.h.ns.svc',
      '@ srv 0 50 9090 5678-abcd--1.h.ns.svc',
      '_http._tcp glue 5678-abcd--1.h.ns.svc AAAA 5678:abcd::1',
      '_http._tcp srv 0 100 80 5678-abcd--1.h.ns.svc',
      '_metrics._tcp glue 5678-abcd--1.h.ns.svc AAAA 5678:abcd::1',
      '_metrics._tcp srv 0 100 9090 5678-abcd--1.h.ns.svc',
      'ptr 5678:abcd::1 5678-abcd--1.h.ns.svc',
    ],
  },
  {
    name: 'endpoint_pod_names: the pod name, unless it is too long or not a label',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [
      slice('ns', 'h-1', 'h', [
        endpoint('10.0.0.1', { podName: 'h-pod-a' }),
        endpoint('10.0.0.2', { podName: 'x'.repeat(64) }),
        endpoint('10.0.0.3', { podName: 'dotted.name' }),
        endpoint('10.0.0.4', { podName: 'h-pod-d', hostname: 'named' }),
      ]),
    ],
    options: { endpointPodNames: true },
    want: [
      '10-0-0-2 addr 10.0.0.2',
      '10-0-0-3 addr 10.0.0.3',
      '@ addr 10.0.0.1',
      '@ addr 10.0.0.2',
      '@ addr 10.0.0.3',
      '@ addr 10.0.0.4',
      'h-pod-a addr 10.0.0.1',
      'named addr 10.0.0.4',
      'ptr 10.0.0.1 h-pod-a.h.ns.svc',
      'ptr 10.0.0.2 10-0-0-2.h.ns.svc',
      'ptr 10.0.0.3 10-0-0-3.h.ns.svc',
      'ptr 10.0.0.4 named.h.ns.svc',
    ],
  },
  {
    name: 'without endpoint_pod_names the pod name is not used',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [slice('ns', 'h-1', 'h', [endpoint('10.0.0.1', { podName: 'h-pod-a' })])],
    want: ['10-0-0-1 addr 10.0.0.1', '@ addr 10.0.0.1', 'ptr 10.0.0.1 10-0-0-1.h.ns.svc'],
  },
  {
    name: 'noendpoints: a ClusterIP keeps its address, endpoint names and PTRs go',
    svc: service('ns', 'web', { clusterIPs: ['10.0.0.1'] }),
    slices: [slice('ns', 'web-1', 'web', [endpoint('172.0.0.2')])],
    options: { noEndpoints: true },
    want: ['@ addr 10.0.0.1', 'ptr 10.0.0.1 web.ns.svc (cluster)'],
  },
  {
    name: 'noendpoints: a headless service does not exist',
    svc: service('ns', 'h', { clusterIPs: ['None'] }),
    slices: [slice('ns', 'h-1', 'h', [endpoint('172.0.0.2')])],
    options: { noEndpoints: true },
    want: [],
  },
  {
    name: 'ignore empty_service: a ClusterIP service without ready endpoints keeps only its PTR',
    svc: service('ns', 'empty', { clusterIPs: ['10.0.0.4'], ports: [port('http', 80)] }),
    slices: [slice('ns', 'empty-1', 'empty', [endpoint('172.0.0.9', { ready: false })])],
    options: { ignoreEmptyService: true },
    want: ['ptr 10.0.0.4 empty.ns.svc (cluster)'],
  },
  {
    name: 'ignore empty_service leaves a service with a ready endpoint alone',
    svc: service('ns', 'full', { clusterIPs: ['10.0.0.4'] }),
    slices: [slice('ns', 'full-1', 'full', [endpoint('172.0.0.9')])],
    options: { ignoreEmptyService: true },
    want: ['172-0-0-9 addr 172.0.0.9', '@ addr 10.0.0.4', 'ptr 10.0.0.4 full.ns.svc (cluster)', 'ptr 172.0.0.9 172-0-0-9.full.ns.svc'],
  },
  {
    name: 'ExternalName: a CNAME, lower-cased, trailing dot dropped; no endpoints, ports or PTRs',
    svc: service('ns', 'ext', { type: 'ExternalName', externalName: 'Ext.InterWebs.test.', ports: [port('http', 80)] }),
    slices: [slice('ns', 'ext-1', 'ext', [endpoint('172.0.0.2')])],
    options: { ignoreEmptyService: true },
    want: ['@ cname ext.interwebs.test'],
  },
  {
    name: 'ExternalName that is an address is not a CNAME',
    svc: service('ns', 'extip', { type: 'ExternalName', externalName: '1.2.3.4' }),
    want: [],
  },
  {
    name: 'ExternalName that is not a host name is not a CNAME',
    svc: service('ns', 'bad', { type: 'ExternalName', externalName: 'a..b' }),
    want: [],
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(lines(translate(c.svc, c.slices ?? [], { ...base, ...c.options })), [...c.want].sort());
  });
}

test('records carry the configured TTL', () => {
  const svc = service('ns', 'web', { clusterIPs: ['10.0.0.1'], ports: [port('http', 80)] });
  const records = translate(svc, [slice('ns', 'web-1', 'web', [endpoint('172.0.0.2')])], { ...base, ttl: 30 });
  assert.equal(records?.ttl, 30);
  assert.equal(records?.below('172-0-0-2', 0, 9)?.records?.ttl, 30);
  assert.equal(records?.below('_http._tcp', 0, 10)?.records?.ttl, 30);
});

test('SRV weight never drops below 1', () => {
  const many = Array.from({ length: 150 }, (_, i) => endpoint(`10.1.${i >> 8}.${i & 255}`));
  const records = translate(service('ns', 'big', { clusterIPs: ['None'] }), [slice('ns', 'big-1', 'big', many, [port('http', 80)])], base);
  assert.equal(records?.srv.length, 150);
  assert.ok(records?.srv.every((s) => s.weight === 1));
});

test('a held slice keeps one entry per IP address, with its label and readiness', () => {
  const ports = new PortLists();
  const raw = slice(
    'ns',
    'h-1',
    'h',
    [
      endpoint('10.0.0.1', { hostname: 'a', podName: 'pod-a' }),
      { addresses: ['10.0.0.2', 'not-an-ip', '10.0.0.3'], hostname: undefined, ready: false, podName: 'pod-b' },
    ],
    [port('http', 80)],
  );
  const cases: { podNames: boolean; labels: (string | undefined)[] }[] = [
    { podNames: false, labels: ['a', undefined, undefined] },
    { podNames: true, labels: ['a', 'pod-b', 'pod-b'] },
  ];
  for (const c of cases) {
    const held = heldSlice(raw, 'h', ports, c.podNames);
    assert.deepEqual(held.addresses, ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map(toAddress), `podNames=${c.podNames}`);
    assert.deepEqual(held.labels, c.labels, `podNames=${c.podNames}`);
    assert.deepEqual(held.ready, [true, false, false], `podNames=${c.podNames}`);
  }
  const plain = heldSlice(slice('ns', 'p-1', 'p', [endpoint('10.0.0.1'), endpoint('10.0.0.2')]), 'p', ports, false);
  assert.deepEqual([plain.labels, plain.ready], [undefined, undefined], 'nothing to keep when no endpoint has a name or is not ready');
  const fqdn = heldSlice(slice('ns', 'f-1', 'f', [endpoint('db.example.com')], [], 'FQDN'), 'f', ports, false);
  assert.deepEqual(fqdn.addresses, [], 'an FQDN slice has no addresses');
});

test('equal port lists are shared, so held forms compare them by identity', () => {
  const ports = new PortLists();
  const a = ports.intern([port('http', 80), port('dns', 53, 'UDP')]);
  assert.equal(ports.intern([port('http', 80), port('dns', 53, 'UDP')]), a);
  assert.notEqual(ports.intern([port('dns', 53, 'UDP'), port('http', 80)]), a, 'order is part of the list');
  assert.notEqual(ports.intern([port('http', 81), port('dns', 53, 'UDP')]), a);
  assert.equal(ports.intern([]), ports.intern([]));
});

test('held forms are the same exactly when what DNS reads of them is', () => {
  const ports = new PortLists();
  const svc = service('ns', 'web', { clusterIPs: ['10.0.0.1'], ports: [port('http', 80)] });
  const services: [string, ServiceObject, boolean][] = [
    ['an equal copy', { ...svc, ports: [port('http', 80)] }, true],
    ['another ClusterIP', { ...svc, clusterIPs: ['10.0.0.2'] }, false],
    ['a second ClusterIP', { ...svc, clusterIPs: ['10.0.0.1', 'fd00::1'] }, false],
    ['headless', { ...svc, clusterIPs: ['None'] }, false],
    ['another port', { ...svc, ports: [port('http', 8080)] }, false],
    ['publishNotReadyAddresses', { ...svc, publishNotReadyAddresses: true }, false],
    ['ExternalName', { ...svc, type: 'ExternalName', clusterIPs: [], externalName: 'x.example.com' }, false],
  ];
  for (const [what, other, same] of services) assert.equal(sameService(heldService(svc, ports), heldService(other, ports)), same, what);

  const raw = slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'web-0' })], [port('http', 8080)]);
  const slices: [string, EndpointSliceObject, boolean][] = [
    ['an equal copy', slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'web-0' })], [port('http', 8080)]), true],
    ['another address', slice('ns', 'web-1', 'web', [endpoint('172.0.0.3', { hostname: 'web-0' })], [port('http', 8080)]), false],
    ['another hostname', slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'web-1' })], [port('http', 8080)]), false],
    ['not ready', slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'web-0', ready: false })], [port('http', 8080)]), false],
    ['another port', slice('ns', 'web-1', 'web', [endpoint('172.0.0.2', { hostname: 'web-0' })], [port('http', 8081)]), false],
    ['another service', slice('ns', 'web-1', 'api', [endpoint('172.0.0.2', { hostname: 'web-0' })], [port('http', 8080)]), false],
  ];
  const held = (s: EndpointSliceObject) => heldSlice(s, s.service, ports, false);
  for (const [what, other, same] of slices) assert.equal(sameSlice(held(raw), held(other)), same, what);
});
