// SPEC-CHECKLIST section 2: A/AAAA records of ClusterIP services (spec 2.3.1) and the names
// around them that must not exist.
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, type Case } from './support.js';

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '2.1', q: 'kubernetes.default.svc.cluster.local. A', rcode: 'NOERROR', answer: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'] },
    { row: '2.1', q: 'svc1.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
    { row: '2.2', q: 'svc6.testns.svc.cluster.local. AAAA', rcode: 'NOERROR', answer: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'] },
    { row: '2.3', q: 'svc-dual-stack.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3'] },
    { row: '2.3', q: 'svc-dual-stack.testns.svc.cluster.local. AAAA', rcode: 'NOERROR', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'] },
    { row: '2.4', q: 'svc1.testns.svc.cluster.local. AAAA', rcode: 'NOERROR', authority: [SOA], why: 'IPv4-only service' },
    { row: '2.4', q: 'svc6.testns.svc.cluster.local. A', rcode: 'NOERROR', authority: [SOA], why: 'IPv6-only service' },
    { row: '2.5', q: 'svcempty.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.4'], why: 'slice without endpoints' },
    { row: '2.5', q: 'svc-unnamed.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svc-unnamed.testns.svc.cluster.local. 5 IN A 10.0.0.10'], why: 'no slice at all' },
    { row: '2.7', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.7', q: 'svc0.testns.svc.cluster.local. AAAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.8', q: 'svc0.svc-nons.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.8', q: 'svc1.svc-nons.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'a service name that exists elsewhere' },
    { row: '2.9', q: '1kubernetes.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['1kubernetes.testns.svc.cluster.local. 5 IN A 10.0.0.9'] },
    { row: '2.10', q: 'svc-unnamed.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svc-unnamed.testns.svc.cluster.local. 5 IN A 10.0.0.10'] },
    { row: '2.10', q: '_8080._tcp.svc-unnamed.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA], why: 'an unnamed port has no SRV name' },
    { row: '2.11', q: 'bogusendpoint.svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.11', q: 'bogusendpoint.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.12', q: 'ep1a.svc1.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['ep1a.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1'] },
    { row: '2.12', q: 'ip6svc1ex.svc1.testns.svc.cluster.local. AAAA', rcode: 'NOERROR', answer: ['ip6svc1ex.svc1.testns.svc.cluster.local. 5 IN AAAA fd00:77:30::a'] },
    { row: '2.13', q: 'a.b.c.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.13', q: 'a.b.ep1a.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'below an endpoint name' },
  ];
  runCases(server, cases);
});

describe('ignore empty_service', () => {
  const server = clusterServer(['ignore empty_service']);
  const cases: Case[] = [
    { row: '2.6', q: 'svcempty.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'no ready endpoints' },
    { row: '2.6', q: 'svc-unnamed.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'no slice at all' },
    { row: '2.6', q: 'svc1.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'], why: 'has ready endpoints' },
  ];
  runCases(server, cases);
});
