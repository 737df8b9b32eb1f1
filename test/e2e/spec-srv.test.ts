// SPEC-CHECKLIST section 3: SRV records of ClusterIP services (spec 2.3.2) and of headless
// services (spec 2.4.2). Priority and weight are not prescribed by the spec; these cases expect
// CoreDNS's (priority 0, weight 100/N over the records before duplicates are dropped), which
// clients have come to see and plugins/kubernetes documents.
import { describe } from 'node:test';
import { clusterServer, runCases, SOA, type Case } from './support.js';

const HDLS1 = 'hdls1.testns.svc.cluster.local.';
const HDLS6 = 'hdls6.testns.svc.cluster.local.';

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    {
      row: '3.1',
      q: '_https._tcp.kubernetes.default.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_https._tcp.kubernetes.default.svc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.'],
      additional: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
    },
    {
      row: '3.1',
      q: '_http._tcp.svc6.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_http._tcp.svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'],
      additional: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'],
      why: 'IPv6 service, AAAA in additional',
    },
    {
      row: '3.2',
      q: '_http._tcp.svc-dual-stack.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_http._tcp.svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
      additional: [
        'svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3',
        'svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3',
      ],
    },
    {
      row: '3.3',
      q: '_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.'],
      additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
    },
    {
      row: '3.3',
      q: '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.'],
      additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
    },
    {
      row: '3.3',
      q: '_dns._udp.svc-ports.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['_dns._udp.svc-ports.testns.svc.cluster.local. 5 IN SRV 0 100 53 svc-ports.testns.svc.cluster.local.'],
      additional: ['svc-ports.testns.svc.cluster.local. 5 IN A 10.0.0.11'],
    },
    { row: '3.4', q: '_http._udp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.4', q: '_dns._tcp.kube-dns.kube-system.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA], why: 'dns is the UDP port' },
    { row: '3.4', q: '_http._sctp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.5', q: '_nope._tcp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.5', q: '_https._tcp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA], why: 'another service’s port name' },
    {
      row: '3.6',
      q: 'svc1.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: ['svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'],
      additional: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
    },
    {
      row: '3.6',
      q: 'svc-ports.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: [
        'svc-ports.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-ports.testns.svc.cluster.local.',
        'svc-ports.testns.svc.cluster.local. 5 IN SRV 0 50 53 svc-ports.testns.svc.cluster.local.',
      ],
      additional: ['svc-ports.testns.svc.cluster.local. 5 IN A 10.0.0.11'],
      why: 'every port, the address once',
    },
    {
      row: '3.7',
      q: `_http._tcp.${HDLS1} SRV`,
      rcode: 'NOERROR',
      answer: [
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 172-0-0-2.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 172-0-0-3.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 5678-abcd--1.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 5678-abcd--2.${HDLS1}`,
        `_http._tcp.${HDLS1} 5 IN SRV 0 16 80 dup-name.${HDLS1}`,
      ],
      additional: [
        `172-0-0-2.${HDLS1} 5 IN A 172.0.0.2`,
        `172-0-0-3.${HDLS1} 5 IN A 172.0.0.3`,
        `5678-abcd--1.${HDLS1} 5 IN AAAA 5678:abcd::1`,
        `5678-abcd--2.${HDLS1} 5 IN AAAA 5678:abcd::2`,
        `dup-name.${HDLS1} 5 IN A 172.0.0.4`,
        `dup-name.${HDLS1} 5 IN A 172.0.0.5`,
      ],
      why: 'ready endpoints only; dup-name once, with both addresses',
    },
    {
      row: '3.7',
      q: `_http._tcp.${HDLS6} SRV`,
      rcode: 'NOERROR',
      answer: [
        `_http._tcp.${HDLS6} 5 IN SRV 0 50 80 fd00-10-244-1--0.${HDLS6}`,
        `_http._tcp.${HDLS6} 5 IN SRV 0 50 80 fd00-10-244-1--7.${HDLS6}`,
      ],
      additional: [`fd00-10-244-1--0.${HDLS6} 5 IN AAAA fd00:10:244:1::`, `fd00-10-244-1--7.${HDLS6} 5 IN AAAA fd00:10:244:1::7`],
      why: 'generated names of IPv6 endpoints',
    },
    {
      row: '3.8',
      q: '_http._tcp.dns-test-service-2.testns.svc.cluster.local. SRV',
      rcode: 'NOERROR',
      answer: [
        '_http._tcp.dns-test-service-2.testns.svc.cluster.local. 5 IN SRV 0 50 80 dns-querier-2.dns-test-service-2.testns.svc.cluster.local.',
      ],
      additional: [
        'dns-querier-2.dns-test-service-2.testns.svc.cluster.local. 5 IN A 172.0.2.2',
        'dns-querier-2.dns-test-service-2.testns.svc.cluster.local. 5 IN AAAA fd00:10:244::22',
      ],
      why: 'one hostname in an IPv4 and an IPv6 slice',
    },
    { row: '3.9', q: '_http._tcp.external.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '3.10',
      q: '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. SRV',
      rcode: 'NOERROR',
      answer: ['_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN SRV 0 100 80 svc1.testns.svc.cLuStEr.LoCaL.'],
      additional: ['svc1.testns.svc.cLuStEr.LoCaL. 5 IN A 10.0.0.1'],
    },
  ];
  runCases(server, cases);
});
