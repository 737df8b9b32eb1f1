// SPEC-CHECKLIST section 5: PTR records of ClusterIPs (spec 2.3.3) and of ready endpoints
// (spec 2.4.3) under the reverse zones the kubernetes stanza names (in-addr.arpa, ip6.arpa).
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, soa, type Case } from './support.js';

const V4_SOA = soa('in-addr.arpa');
const V6_SOA = soa('ip6.arpa');

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    {
      row: '5.1',
      q: '1.0.96.10.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
    },
    { row: '5.1', q: '11.0.0.10.in-addr.arpa. PTR', rcode: 'NOERROR', answer: ['11.0.0.10.in-addr.arpa. 5 IN PTR svc-ports.testns.svc.cluster.local.'] },
    {
      row: '5.2',
      q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR svc6.testns.svc.cluster.local.'],
    },
    {
      row: '5.2',
      q: '3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['3.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.ip6.arpa. 5 IN PTR svc-dual-stack.testns.svc.cluster.local.'],
      why: 'the IPv6 half of a dual-stack service',
    },
    {
      row: '5.3',
      q: '4.0.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['4.0.0.172.in-addr.arpa. 5 IN PTR dup-name.hdls1.testns.svc.cluster.local.'],
    },
    {
      row: '5.3',
      q: '1.0.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.0.172.in-addr.arpa. 5 IN PTR ep1a.svc1.testns.svc.cluster.local.'],
      why: 'endpoint of a ClusterIP service',
    },
    {
      row: '5.4',
      q: 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1ex.svc1.testns.svc.cluster.local.'],
    },
    {
      row: '5.4',
      q: '2.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['2.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR dns-querier-2.dns-test-service-2.testns.svc.cluster.local.'],
    },
    {
      row: '5.5',
      q: '2.0.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['2.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local.'],
    },
    {
      row: '5.5',
      q: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. 5 IN PTR 5678-abcd--1.hdls1.testns.svc.cluster.local.'],
    },
    {
      row: '5.5',
      q: '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. 5 IN PTR fd00-10-244-1--0.hdls6.testns.svc.cluster.local.'],
    },
    {
      row: '5.6',
      q: '7.0.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: [
        '7.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-7.svc1.testns.svc.cluster.local.',
        '7.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-7.svc2.testns.svc.cluster.local.',
      ],
    },
    {
      row: '5.7',
      q: '3.3.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['3.3.0.172.in-addr.arpa. 5 IN PTR 172-0-3-3.hdls-multi.testns.svc.cluster.local.'],
    },
    {
      row: '5.8',
      q: '1.0.0.10.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'],
      why: 'svc1’s ClusterIP, also an endpoint of svc2',
    },
    { row: '5.9', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4_SOA] },
    {
      row: '5.9',
      q: '9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
      rcode: 'NXDOMAIN',
      authority: [V6_SOA],
    },
    { row: '5.10', q: 'svc1.testns.svc.cluster.local. PTR', rcode: 'NOERROR', authority: [SOA] },
    { row: '5.10', q: 'svc0.testns.svc.cluster.local. PTR', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '5.11', q: '6.0.0.172.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4_SOA], why: 'not ready' },
    { row: '5.11', q: '8.0.0.172.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4_SOA], why: 'terminating' },
    {
      row: '5.11',
      q: '41.0.0.172.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['41.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-41.hdls-pnra.testns.svc.cluster.local.'],
      why: 'unless published by publishNotReadyAddresses',
    },
    {
      row: '5.11',
      q: '9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa. PTR',
      rcode: 'NXDOMAIN',
      authority: [V6_SOA],
    },
    { row: '5.12', q: '0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4_SOA], why: 'three labels' },
    { row: '5.12', q: '5.1.0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4_SOA], why: 'five labels' },
    {
      row: '5.12',
      q: '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. PTR',
      rcode: 'NXDOMAIN',
      authority: [V6_SOA],
      why: 'fewer than 32 nibbles',
    },
  ];
  runCases(server, cases);
});

describe('fallthrough in-addr.arpa ip6.arpa', () => {
  const server = clusterServer(['fallthrough in-addr.arpa ip6.arpa']);
  const cases: Case[] = [
    { row: '5.9', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'REFUSED', why: 'handed on; no next plugin here' },
    {
      row: '5.9',
      q: '1.0.96.10.in-addr.arpa. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
      why: 'known addresses are still answered',
    },
  ];
  runCases(server, cases);
});
