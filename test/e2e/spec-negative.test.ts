// SPEC-CHECKLIST section 8: which names exist (NXDOMAIN vs NODATA, empty non-terminals), the
// shape of negative answers, and the CoreDNS options that change existence (fallthrough,
// namespaces). Row 8.9 (SERVFAIL before the first sync) cannot be observed here: the file source
// has synced before the listener opens.
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, soa, type Case } from './support.js';

const SVC1 = 'svc1.testns.svc.cluster.local.';

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '8.1', q: 'svc.cluster.local. A', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.1', q: 'pod.cluster.local. A', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.1', q: 'svc.cluster.local. NS', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.1', q: 'pod.cluster.local. TXT', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.1', q: 'dns.cluster.local. A', rcode: 'NOERROR', authority: [SOA], why: 'empty non-terminal above ns.dns' },
    { row: '8.1', q: `_tcp.${SVC1} SRV`, rcode: 'NOERROR', authority: [SOA], why: 'empty non-terminal above _http._tcp' },
    { row: '8.2', q: 'testns.svc.cluster.local. A', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.2', q: 'testns.svc.cluster.local. NS', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.2', q: 'podns.svc.cluster.local. A', rcode: 'NOERROR', authority: [SOA], why: 'a namespace without services' },
    { row: '8.3', q: 'svc-nons.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'foo.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'foo.cluster.local. NS', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'example.org.cluster.local. PTR', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'svc1.testns.foo.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.5', q: `${SVC1} MX`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: `${SVC1} HINFO`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: `${SVC1} NS`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: `${SVC1} CAA`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: `${SVC1} HTTPS`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: 'hdls1.testns.svc.cluster.local. MX', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.5', q: `_http._tcp.${SVC1} A`, rcode: 'NOERROR', authority: [SOA], why: 'an SRV name' },
    { row: '8.5', q: 'dup-name.hdls1.testns.svc.cluster.local. TXT', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.6', q: 'foo.svc.cluster.local. NS', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.6', q: 'svc0.testns.svc.cluster.local. MX', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.6', q: 'svc0.testns.svc.cluster.local. CAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.7', q: `${SVC1} SOA`, rcode: 'NOERROR', authority: [SOA] },
    { row: '8.7', q: 'testns.svc.cluster.local. SOA', rcode: 'NOERROR', authority: [SOA] },
    { row: '8.12', q: '*.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: 'any.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: 'svc1.*.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: '*.hdls1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: '_http._tcp.*.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
  ];
  runCases(server, cases);
});

describe('ttl 30', () => {
  const server = clusterServer(['ttl 30']);
  runCases(server, [
    { row: '8.8', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [soa('cluster.local', 30)], why: 'negative TTL = T' },
    { row: '8.8', q: `${SVC1} AAAA`, rcode: 'NOERROR', authority: [soa('cluster.local', 30)] },
    { row: '8.8', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('in-addr.arpa', 30)] },
    { row: '8.8', q: `${SVC1} A`, rcode: 'NOERROR', answer: [`${SVC1} 30 IN A 10.0.0.1`], why: 'positive TTL = T too' },
  ]);
});

describe('ttl 3600', () => {
  const server = clusterServer(['ttl 3600']);
  runCases(server, [
    {
      row: '8.8',
      q: 'svc0.testns.svc.cluster.local. A',
      rcode: 'NXDOMAIN',
      authority: ['cluster.local. 300 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. * 7200 1800 86400 3600'],
      why: 'SOA owner TTL capped at 300',
    },
  ]);
});

describe('ttl 0', () => {
  const server = clusterServer(['ttl 0']);
  runCases(server, [
    { row: '8.8', q: `${SVC1} A`, rcode: 'NOERROR', answer: [`${SVC1} 0 IN A 10.0.0.1`] },
    { row: '8.8', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [soa('cluster.local', 0)] },
  ]);
});

describe('fallthrough', () => {
  const server = clusterServer(['fallthrough']);
  runCases(server, [
    { row: '8.10', q: 'svc0.testns.svc.cluster.local. A', rcode: 'REFUSED', why: 'handed on; no next plugin here' },
    { row: '8.10', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'REFUSED', why: 'handed on; no next plugin here' },
    { row: '8.10', q: `${SVC1} A`, rcode: 'NOERROR', answer: [`${SVC1} 5 IN A 10.0.0.1`] },
    { row: '8.10', q: `${SVC1} AAAA`, rcode: 'NOERROR', authority: [SOA], why: 'NODATA is not handed on' },
  ]);
});

describe('fallthrough in-addr.arpa', () => {
  const server = clusterServer(['fallthrough in-addr.arpa']);
  runCases(server, [
    { row: '8.10', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'REFUSED', why: 'in a fallthrough zone' },
    { row: '8.10', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'outside the fallthrough zones' },
    {
      row: '8.10',
      q: '9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
      rcode: 'NXDOMAIN',
      authority: [soa('ip6.arpa')],
    },
  ]);
});

describe('namespaces testns', () => {
  const server = clusterServer(['namespaces testns']);
  runCases(server, [
    { row: '8.11', q: 'svc1.unexposedns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: 'unexposedns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: 'kubernetes.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: '1.1.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('in-addr.arpa')], why: 'no PTR either' },
    { row: '8.11', q: '1.0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('in-addr.arpa')] },
    { row: '8.11', q: `${SVC1} A`, rcode: 'NOERROR', answer: [`${SVC1} 5 IN A 10.0.0.1`], why: 'listed namespace' },
    {
      row: '8.11',
      q: '1.0.0.10.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'],
    },
  ]);
});
