// SPEC-CHECKLIST section 7: pod records `<dashed-ip>.<ns>.pod.<zone>` (spec 2.6) in each of
// CoreDNS's three `pods` modes. podns holds pod foo (10.240.0.1) and pod bar (fd00:10:244::5).
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, type Case } from './support.js';

const FOO = '10-240-0-1.podns.pod.cluster.local.';
const BAR = 'fd00-10-244--5.podns.pod.cluster.local.';
const UNKNOWN = '172-0-0-2.podns.pod.cluster.local.';

/** Rows that hold in both modes that serve pod names. */
const servedModes: Case[] = [
  { row: '7.4', q: 'blah.pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.4', q: 'pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.4', q: '10-240-0-1.pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'a well-formed IP' },
  { row: '7.7', q: `${BAR} AAAA`, rcode: 'NOERROR', answer: [`${BAR} 5 IN AAAA fd00:10:244::5`] },
  { row: '7.8', q: `${FOO} AAAA`, rcode: 'NOERROR', authority: [SOA] },
  { row: '7.8', q: `${BAR} A`, rcode: 'NOERROR', authority: [SOA] },
  { row: '7.9', q: 'podns.pod.cluster.local. A', rcode: 'NOERROR', authority: [SOA] },
];

describe('pods disabled (the default)', () => {
  const server = clusterServer();
  runCases(server, [
    { row: '7.1', q: `${FOO} A`, rcode: 'NXDOMAIN', authority: [SOA], why: 'the pod exists' },
    { row: '7.1', q: `${BAR} AAAA`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.1', q: 'podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'no pod names, no namespace level' },
  ]);
});

describe('pods disabled', () => {
  const server = clusterServer(['pods disabled']);
  runCases(server, [{ row: '7.1', q: `${FOO} A`, rcode: 'NXDOMAIN', authority: [SOA] }]);
});

describe('pods insecure', () => {
  const server = clusterServer(['pods insecure']);
  runCases(server, [
    { row: '7.2', q: `${UNKNOWN} A`, rcode: 'NOERROR', answer: [`${UNKNOWN} 5 IN A 172.0.0.2`], why: 'no such pod, no check' },
    { row: '7.2', q: `${FOO} A`, rcode: 'NOERROR', answer: [`${FOO} 5 IN A 10.240.0.1`] },
    { row: '7.3', q: 'blah.podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.3', q: 'blah.podns.pod.cluster.local. AAAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.3', q: 'blah.podns.pod.cluster.local. HINFO', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.3', q: '300-0-0-1.podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'octet out of range' },
    { row: '7.8', q: `${UNKNOWN} AAAA`, rcode: 'NOERROR', authority: [SOA] },
    ...servedModes,
  ]);
});

describe('pods verified', () => {
  const server = clusterServer(['pods verified']);
  runCases(server, [
    { row: '7.5', q: `${FOO} A`, rcode: 'NOERROR', answer: [`${FOO} 5 IN A 10.240.0.1`] },
    { row: '7.6', q: `${UNKNOWN} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.6', q: '10-240-0-1.testns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'a pod of another namespace' },
    { row: '7.6', q: 'blah.podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    ...servedModes,
  ]);
});
