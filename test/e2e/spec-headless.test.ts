// SPEC-CHECKLIST section 4: headless services and their endpoints (spec 2.4.1, 2.1 _hostname_
// and _ready_), the CoreDNS options that change endpoint names, and a slice deleted while serving.
// Row 4.17 (CoreDNS `zonal` names) is out of scope.
import { describe, test } from 'node:test';
import { checkCase, clusterServer, editObjects, eventually, recordText, runCases, SOA, type Case } from './support.js';

const HDLS1 = 'hdls1.testns.svc.cluster.local.';
const HDLS1_A = ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `${HDLS1} 5 IN A ${ip}`);
const QUERIER = 'dns-querier-2.dns-test-service-2.testns.svc.cluster.local.';
const MULTI = 'hdls-multi.testns.svc.cluster.local.';
const HDLS6 = 'hdls6.testns.svc.cluster.local.';

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '4.1', q: `${HDLS1} A`, rcode: 'NOERROR', answer: HDLS1_A, why: 'ready true or unset; not ready and terminating left out' },
    {
      row: '4.2',
      q: `${HDLS1} AAAA`,
      rcode: 'NOERROR',
      answer: [`${HDLS1} 5 IN AAAA 5678:abcd::1`, `${HDLS1} 5 IN AAAA 5678:abcd::2`],
    },
    { row: '4.3', q: 'hdls-notready.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.3', q: 'starting.hdls-notready.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.4', q: 'hdlsprtls.testns.svc.cluster.local. AAAA', rcode: 'NOERROR', authority: [SOA] },
    { row: '4.4', q: `${MULTI} AAAA`, rcode: 'NOERROR', authority: [SOA] },
    { row: '4.4', q: `${HDLS6} A`, rcode: 'NOERROR', authority: [SOA], why: 'IPv6-only' },
    {
      row: '4.5',
      q: `dup-name.${HDLS1} A`,
      rcode: 'NOERROR',
      answer: [`dup-name.${HDLS1} 5 IN A 172.0.0.4`, `dup-name.${HDLS1} 5 IN A 172.0.0.5`],
      why: 'one hostname, two endpoints',
    },
    { row: '4.5', q: `multi-a.${MULTI} A`, rcode: 'NOERROR', answer: [`multi-a.${MULTI} 5 IN A 172.0.3.1`] },
    { row: '4.6', q: `${QUERIER} AAAA`, rcode: 'NOERROR', answer: [`${QUERIER} 5 IN AAAA fd00:10:244::22`] },
    { row: '4.6', q: `dup-name.${HDLS1} AAAA`, rcode: 'NOERROR', authority: [SOA], why: 'hostname with IPv4 addresses only' },
    { row: '4.7', q: `172-0-0-2.${HDLS1} A`, rcode: 'NOERROR', answer: [`172-0-0-2.${HDLS1} 5 IN A 172.0.0.2`] },
    { row: '4.7', q: `172-0-0-3.${HDLS1} A`, rcode: 'NOERROR', answer: [`172-0-0-3.${HDLS1} 5 IN A 172.0.0.3`], why: 'ready unset' },
    { row: '4.7', q: `5678-abcd--1.${HDLS1} AAAA`, rcode: 'NOERROR', answer: [`5678-abcd--1.${HDLS1} 5 IN AAAA 5678:abcd::1`] },
    { row: '4.7', q: `5678-abcd--2.${HDLS1} AAAA`, rcode: 'NOERROR', answer: [`5678-abcd--2.${HDLS1} 5 IN AAAA 5678:abcd::2`] },
    {
      row: '4.7',
      q: `fd00-10-244-1--0.${HDLS6} AAAA`,
      rcode: 'NOERROR',
      answer: [`fd00-10-244-1--0.${HDLS6} 5 IN AAAA fd00:10:244:1::`],
      why: 'a trailing dash gets a 0',
    },
    { row: '4.7', q: `172-0-0-4.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA], why: 'an endpoint with a hostname is known by it' },
    { row: '4.8', q: `bogusendpoint.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.9', q: `${QUERIER} A`, rcode: 'NOERROR', answer: [`${QUERIER} 5 IN A 172.0.2.2`] },
    { row: '4.10', q: 'hdlsprtls.testns.svc.cluster.local. A', rcode: 'NOERROR', answer: ['hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'] },
    {
      row: '4.10',
      q: '172-0-0-20.hdlsprtls.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'],
    },
    { row: '4.10', q: 'hdlsprtls.testns.svc.cluster.local. SRV', rcode: 'NOERROR', authority: [SOA], why: 'no ports, no SRV' },
    { row: '4.10', q: '_http._tcp.hdlsprtls.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.11', q: `notready.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.11', q: `172-0-0-8.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA], why: 'terminating' },
    { row: '4.11', q: `5678-abcd--9.${HDLS1} AAAA`, rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '4.12',
      q: '172-0-0-41.hdls-pnra.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: ['172-0-0-41.hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.41'],
    },
    {
      row: '4.12',
      q: 'hdls-pnra.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: ['hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.40', 'hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.41'],
      why: 'not serving, even not ready: published',
    },
    {
      row: '4.13',
      q: `${MULTI} A`,
      rcode: 'NOERROR',
      answer: [`${MULTI} 5 IN A 172.0.3.1`, `${MULTI} 5 IN A 172.0.3.2`, `${MULTI} 5 IN A 172.0.3.3`],
      why: 'union of two slices, shared address once',
    },
    { row: '4.13', q: `172-0-3-2.${MULTI} A`, rcode: 'NOERROR', answer: [`172-0-3-2.${MULTI} 5 IN A 172.0.3.2`], why: 'from the second slice' },
  ];
  runCases(server, cases);
});

describe('a slice deleted while serving', () => {
  const server = clusterServer();

  test('4.14 deleting one slice removes only its addresses', async () => {
    const addresses = (...last: string[]) => last.map((d) => `${MULTI} 5 IN A 172.0.3.${d}`);
    await checkCase(server(), { row: '4.14', q: `${MULTI} A`, rcode: 'NOERROR', answer: addresses('1', '2', '3') });

    editObjects(server(), 'testns-headless.yaml', (objects) => objects.filter((o) => o.metadata.name !== 'hdls-multi-bbbbb'));
    await eventually('172.0.3.2 gone from hdls-multi', async () => {
      const m = await server().query('hdls-multi.testns.svc.cluster.local', 'A');
      return !m.answers.map(recordText).includes(addresses('2')[0]!);
    });
    // 172.0.3.3 stays: the remaining slice lists it too.
    await checkCase(server(), { row: '4.14', q: `${MULTI} A`, rcode: 'NOERROR', answer: addresses('1', '3') });
    await checkCase(server(), { row: '4.14', q: `172-0-3-2.${MULTI} A`, rcode: 'NXDOMAIN', authority: [SOA] });
  });
});

describe('endpoint_pod_names', () => {
  const server = clusterServer(['endpoint_pod_names']);
  const cases: Case[] = [
    { row: '4.15', q: `hdls1-pod-2.${HDLS1} A`, rcode: 'NOERROR', answer: [`hdls1-pod-2.${HDLS1} 5 IN A 172.0.0.2`] },
    { row: '4.15', q: `172-0-0-2.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA], why: 'the pod name replaces the dashed address' },
    {
      row: '4.15',
      q: `dup-name.${HDLS1} A`,
      rcode: 'NOERROR',
      answer: [`dup-name.${HDLS1} 5 IN A 172.0.0.4`, `dup-name.${HDLS1} 5 IN A 172.0.0.5`],
      why: 'a hostname still wins',
    },
    {
      row: '4.15',
      q: `5678-abcd--1.${HDLS1} AAAA`,
      rcode: 'NOERROR',
      answer: [`5678-abcd--1.${HDLS1} 5 IN AAAA 5678:abcd::1`],
      why: 'no pod behind it',
    },
    {
      row: '4.15',
      q: `_http._tcp.${HDLS1} SRV`,
      rcode: 'NOERROR',
      answer: [
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 hdls1-pod-2.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 hdls1-pod-3.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 5678-abcd--1.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 5678-abcd--2.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 dup-name.${HDLS1}`,
      ],
    },
  ];
  runCases(server, cases);
});

describe('noendpoints', () => {
  const server = clusterServer(['noendpoints']);
  const cases: Case[] = [
    { row: '4.16', q: `${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.16', q: `dup-name.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.16', q: 'ep1a.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '4.16',
      q: 'svc1.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
      why: 'ClusterIPs need no endpoints',
    },
  ];
  runCases(server, cases);
});
