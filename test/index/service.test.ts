// The records a service derives for its own name and the names below it, from its facts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toAddress, type Address } from '../../src/index/address.js';
import type { NameRecords } from '../../src/index/records.js';
import { ServiceRecords, type ServiceFacts } from '../../src/index/service.js';

const addr = (ip: string): Address => toAddress(ip)!;
const http = { name: 'http', port: 80, protocol: 'TCP' };

function service(name: string, facts: Partial<ServiceFacts>): ServiceRecords {
  return new ServiceRecords('ns', name, 5, {
    clusterIPs: [],
    headless: false,
    ports: [],
    endpoints: [],
    named: true,
    cname: undefined,
    ...facts,
  });
}

const services = [
  service('web', {
    clusterIPs: addr('10.0.0.1'),
    ports: [http, { name: '', port: 81, protocol: 'UDP' }],
    endpoints: { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], addresses: [addr('172.0.0.2'), addr('172.0.0.3')], labels: ['web-0', undefined] },
  }),
  service('dual', { clusterIPs: [addr('10.0.0.3'), addr('10::3')], ports: [http] }),
  service('h', {
    headless: true,
    endpoints: [
      { ports: [http], addresses: [addr('172.0.0.4'), addr('172.0.0.5')], labels: ['dup', 'dup'] },
      { ports: [], addresses: [addr('5678:abcd::1')], labels: undefined },
    ],
  }),
  service('ext', { cname: 'ext.example.com' }),
];

/** What a name below the cluster zone answers, as sorted lines; 'absent' or 'empty non-terminal' otherwise. */
function lookup(name: string): string[] | string {
  const owner = services.find((s) => name === s.self || name.endsWith(`.${s.self}`));
  if (!owner) return 'absent';
  const found = name === owner.self ? { records: owner } : owner.below(name, 0, name.length - owner.self.length - 1);
  if (!found) return 'absent';
  return found.records ? lines(found.records) : 'empty non-terminal';
}

function lines(r: NameRecords): string[] {
  return [
    ...r.a.map((a) => `A ${a}`),
    ...r.aaaa.map((a) => `AAAA ${a}`),
    ...r.srv.map((s) => `SRV ${s.priority} ${s.weight} ${s.port} ${s.target}`),
    ...r.glue.map((g) => `glue ${g.name} ${g.type} ${g.address}`),
    ...(r.cname === undefined ? [] : [`CNAME ${r.cname}`]),
    ...(r.txt === undefined ? [] : [`TXT ${r.txt.join(' ')}`]),
  ].sort();
}

const cases: { name: string; want: string[] | string; why: string }[] = [
  {
    name: 'web.ns.svc',
    want: ['A 10.0.0.1', 'SRV 0 50 80 web.ns.svc', 'SRV 0 50 81 web.ns.svc', 'glue web.ns.svc A 10.0.0.1'],
    why: 'a ClusterIP: its address, one SRV per port (named or not) pointing at itself',
  },
  {
    name: 'web-0.web.ns.svc',
    want: ['A 172.0.0.2', 'SRV 0 100 8080 web-0.web.ns.svc', 'glue web-0.web.ns.svc A 172.0.0.2'],
    why: 'an endpoint by its hostname, with the slice port',
  },
  {
    name: '172-0-0-3.web.ns.svc',
    want: ['A 172.0.0.3', 'SRV 0 100 8080 172-0-0-3.web.ns.svc', 'glue 172-0-0-3.web.ns.svc A 172.0.0.3'],
    why: 'an endpoint without hostname, by its dashed address',
  },
  { name: '172-0-0-2.web.ns.svc', want: 'absent', why: 'an endpoint with a hostname has no dashed name' },
  { name: '172-0-0-9.web.ns.svc', want: 'absent', why: 'no endpoint has that address' },
  { name: '_http._tcp.web.ns.svc', want: ['SRV 0 100 80 web.ns.svc', 'glue web.ns.svc A 10.0.0.1'], why: 'a named service port' },
  { name: '_tcp.web.ns.svc', want: 'empty non-terminal', why: 'the protocol label above a port name' },
  { name: '_udp.web.ns.svc', want: 'absent', why: 'the UDP port has no name, so no name below _udp' },
  { name: '_http._udp.web.ns.svc', want: 'absent', why: 'no port http/UDP' },
  { name: 'x._http._tcp.web.ns.svc', want: 'absent', why: 'nothing is three labels below a service' },
  { name: 'web-0._tcp.web.ns.svc', want: 'absent', why: 'an endpoint label is not a port label' },
  {
    name: 'dual.ns.svc',
    want: ['A 10.0.0.3', 'AAAA 10::3', 'SRV 0 50 80 dual.ns.svc', 'glue dual.ns.svc A 10.0.0.3', 'glue dual.ns.svc AAAA 10::3'],
    why: 'dual-stack: both families; N counts the port once per address',
  },
  {
    name: 'h.ns.svc',
    want: ['A 172.0.0.4', 'A 172.0.0.5', 'AAAA 5678:abcd::1', 'SRV 0 33 80 dup.h.ns.svc', 'glue dup.h.ns.svc A 172.0.0.4', 'glue dup.h.ns.svc A 172.0.0.5'],
    why: 'headless: every endpoint address; N = 3 counts the portless endpoint and both dup pairs before de-duplication',
  },
  {
    name: 'dup.h.ns.svc',
    want: ['A 172.0.0.4', 'A 172.0.0.5', 'SRV 0 50 80 dup.h.ns.svc', 'glue dup.h.ns.svc A 172.0.0.4', 'glue dup.h.ns.svc A 172.0.0.5'],
    why: 'two endpoints sharing a hostname make one name',
  },
  { name: '5678-abcd--1.h.ns.svc', want: ['AAAA 5678:abcd::1'], why: 'a portless IPv6 endpoint: its address, no SRV' },
  { name: '5678-abcd-0-0-0-0-0-1.h.ns.svc', want: 'absent', why: 'the same address, but not its dashed label' },
  {
    name: '_http._tcp.h.ns.svc',
    want: ['SRV 0 50 80 dup.h.ns.svc', 'glue dup.h.ns.svc A 172.0.0.4', 'glue dup.h.ns.svc A 172.0.0.5'],
    why: 'a headless port name: one candidate per endpoint carrying the port',
  },
  { name: 'ext.ns.svc', want: ['CNAME ext.example.com'], why: 'ExternalName: the CNAME only' },
  { name: 'x.ext.ns.svc', want: 'absent', why: 'nothing below an ExternalName' },
];

for (const c of cases) {
  test(`${c.name}: ${c.why}`, () => {
    assert.deepEqual(lookup(c.name), typeof c.want === 'string' ? c.want : [...c.want].sort());
  });
}

test('records carry the service TTL', () => {
  const web = services[0]!;
  assert.equal(web.ttl, 5);
  assert.equal((web.below('web-0', 0, 5)?.records as NameRecords).ttl, 5);
});

test('PTR facts: every ClusterIP and endpoint address, each with its targets', () => {
  const targets = (s: ServiceRecords, ip: string) => {
    const out: string[] = [];
    const cluster = s.ptrTargets(addr(ip), out);
    return { cluster, out };
  };
  const [web, dual, h] = services;
  assert.deepEqual([...web!.ptrAddresses()], ['10.0.0.1', '172.0.0.2', '172.0.0.3'].map(addr));
  assert.deepEqual(targets(web!, '10.0.0.1'), { cluster: true, out: ['web.ns.svc'] });
  assert.deepEqual(targets(web!, '172.0.0.2'), { cluster: false, out: ['web-0.web.ns.svc'] });
  assert.deepEqual(targets(web!, '172.0.0.3'), { cluster: false, out: ['172-0-0-3.web.ns.svc'] });
  assert.deepEqual(targets(dual!, '10::3'), { cluster: true, out: ['dual.ns.svc'] });
  assert.deepEqual(targets(h!, '172.0.0.5'), { cluster: false, out: ['dup.h.ns.svc'] });
  assert.deepEqual(targets(h!, '5678:abcd::1'), { cluster: false, out: ['5678-abcd--1.h.ns.svc'] });
  assert.deepEqual([...services[3]!.ptrAddresses()], [], 'an ExternalName has no PTR');
});

test('long lists are de-duplicated too', () => {
  const ips = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => addr(f(i)));
  const sharedAddresses = service('shared', {
    headless: true,
    endpoints: { ports: [http], addresses: ips(20, (i) => `10.0.0.${i % 10}`), labels: Array.from({ length: 20 }, (_, i) => `h${i}`) },
  });
  assert.equal(sharedAddresses.a.length, 10, 'each address once');
  assert.equal(sharedAddresses.srv.length, 20, 'one SRV per name');
  assert.equal(sharedAddresses.glue.length, 20, 'one glue record per name and address');
  const sharedNames = service('names', {
    headless: true,
    endpoints: { ports: [http], addresses: ips(20, (i) => `10.0.1.${i}`), labels: Array.from({ length: 20 }, (_, i) => `h${i % 10}`) },
  });
  assert.equal(sharedNames.a.length, 20);
  assert.deepEqual(
    sharedNames.srv.map((s) => `${s.weight} ${s.target}`),
    Array.from({ length: 10 }, (_, i) => `5 h${i}.names.ns.svc`),
    'one SRV per name, weight 100/20',
  );
  assert.equal(sharedNames.glue.length, 20);
});
