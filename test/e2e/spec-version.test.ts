// SPEC-CHECKLIST section 1: the schema version record `dns-version.<zone>` (spec 2.2).
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, soa, type Case } from './support.js';

const VERSION = 'dns-version.cluster.local. 28800 IN TXT "1.1.0"';

describe('default ttl', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '1.1', q: 'dns-version.cluster.local. TXT', rcode: 'NOERROR', answer: [VERSION] },
    { row: '1.2', q: 'dns-version.cluster.local. A', rcode: 'NOERROR', authority: [SOA], why: 'the name exists, as TXT only' },
    { row: '1.2', q: 'dns-version.cluster.local. AAAA', rcode: 'NOERROR', authority: [SOA] },
    { row: '1.3', q: 'svc1.testns.svc.cluster.local. TXT', rcode: 'NOERROR', authority: [SOA] },
    { row: '1.3', q: 'hdls1.testns.svc.cluster.local. TXT', rcode: 'NOERROR', authority: [SOA] },
    { row: '1.4', q: 'svc0.svc-nons.svc.cluster.local. TXT', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '1.4', q: 'svc0.testns.svc.cluster.local. TXT', rcode: 'NXDOMAIN', authority: [SOA] },
  ];
  runCases(server, cases);
});

describe('ttl 30', () => {
  const server = clusterServer(['ttl 30']);
  runCases(server, [
    { row: '1.1', q: 'dns-version.cluster.local. TXT', rcode: 'NOERROR', answer: [VERSION], why: 'TTL stays 28800 whatever ttl says' },
    { row: '1.3', q: 'svc1.testns.svc.cluster.local. TXT', rcode: 'NOERROR', authority: [soa('cluster.local', 30)] },
  ]);
});
