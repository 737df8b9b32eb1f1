// Checklist section 3: SRV records.
import { harness, SOA, table } from './harness.js';

const HDLS1 = 'hdls1.testns.svc.cluster.local.';
/** hdls1's ready endpoints: 6 addresses × 1 port, so weight 100/6; dup-name's two addresses share one SRV. */
const HDLS1_TARGETS = ['172-0-0-2', '172-0-0-3', '5678-abcd--1', '5678-abcd--2', 'dup-name'];
const hdls1Srv = (owner: string) => HDLS1_TARGETS.map((t) => `${owner} 5 IN SRV 0 16 80 ${t}.${HDLS1}`);
const HDLS1_GLUE = [
  `172-0-0-2.${HDLS1} 5 IN A 172.0.0.2`,
  `172-0-0-3.${HDLS1} 5 IN A 172.0.0.3`,
  `5678-abcd--1.${HDLS1} 5 IN AAAA 5678:abcd::1`,
  `5678-abcd--2.${HDLS1} 5 IN AAAA 5678:abcd::2`,
  `dup-name.${HDLS1} 5 IN A 172.0.0.4`,
  `dup-name.${HDLS1} 5 IN A 172.0.0.5`,
];

table(
  'SRV records',
  [
    {
      row: '3.1',
      q: '_https._tcp.kubernetes.default.svc.cluster.local. SRV',
      answer: ['_https._tcp.kubernetes.default.svc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.'],
      additional: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'],
    },
    {
      row: '3.1',
      q: '_http._tcp.svc6.testns.svc.cluster.local. SRV',
      answer: ['_http._tcp.svc6.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc6.testns.svc.cluster.local.'],
      additional: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'],
    },
    {
      row: '3.2',
      q: 'svc-dual-stack.testns.svc.cluster.local. SRV',
      answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
      additional: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'],
    },
    {
      row: '3.2',
      q: '_http._tcp.svc-dual-stack.testns.svc.cluster.local. SRV',
      answer: ['_http._tcp.svc-dual-stack.testns.svc.cluster.local. 5 IN SRV 0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
      additional: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'],
    },
    {
      row: '3.3',
      q: '_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV',
      answer: ['_dns._udp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.'],
      additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
    },
    {
      row: '3.3',
      q: '_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. SRV',
      answer: ['_dns-tcp._tcp.kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.'],
      additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
    },
    { row: '3.4', q: '_http._udp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.4', q: '_dns._tcp.kube-dns.kube-system.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.5', q: '_nope._tcp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.5', q: '_https._tcp.svc1.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.5', q: '_._tcp.svc-unnamed.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '3.6',
      q: 'svc1.testns.svc.cluster.local. SRV',
      answer: ['svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.'],
      additional: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
    },
    {
      row: '3.6',
      q: 'kube-dns.kube-system.svc.cluster.local. SRV',
      answer: [
        'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 53 kube-dns.kube-system.svc.cluster.local.',
        'kube-dns.kube-system.svc.cluster.local. 5 IN SRV 0 33 9153 kube-dns.kube-system.svc.cluster.local.',
      ],
      additional: ['kube-dns.kube-system.svc.cluster.local. 5 IN A 10.96.0.10'],
    },
    {
      row: '3.6',
      q: 'svc-unnamed.testns.svc.cluster.local. SRV',
      answer: ['svc-unnamed.testns.svc.cluster.local. 5 IN SRV 0 100 8080 svc-unnamed.testns.svc.cluster.local.'],
      additional: ['svc-unnamed.testns.svc.cluster.local. 5 IN A 10.0.0.6'],
    },
    {
      row: '3.7',
      q: `_http._tcp.${HDLS1} SRV`,
      answer: hdls1Srv(`_http._tcp.${HDLS1}`),
      additional: HDLS1_GLUE,
    },
    {
      row: '3.7',
      q: `${HDLS1} SRV`,
      answer: hdls1Srv(HDLS1),
      additional: HDLS1_GLUE,
    },
    {
      row: '3.8',
      q: `dup-name.${HDLS1} SRV`,
      answer: [`dup-name.${HDLS1} 5 IN SRV 0 50 80 dup-name.${HDLS1}`],
      additional: [`dup-name.${HDLS1} 5 IN A 172.0.0.4`, `dup-name.${HDLS1} 5 IN A 172.0.0.5`],
    },
    {
      row: '3.8',
      q: '_http._tcp.headless.default.svc.cluster.local. SRV',
      answer: [
        '_http._tcp.headless.default.svc.cluster.local. 5 IN SRV 0 33 80 my-pet.headless.default.svc.cluster.local.',
        '_http._tcp.headless.default.svc.cluster.local. 5 IN SRV 0 33 80 10-3-0-101.headless.default.svc.cluster.local.',
      ],
      additional: [
        'my-pet.headless.default.svc.cluster.local. 5 IN A 10.3.0.100',
        'my-pet.headless.default.svc.cluster.local. 5 IN AAAA fd00::100',
        '10-3-0-101.headless.default.svc.cluster.local. 5 IN A 10.3.0.101',
      ],
    },
    { row: '3.7', q: 'hdlsprtls.testns.svc.cluster.local. SRV', authority: [SOA] },
    { row: '3.9', q: '_http._tcp.external.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '3.10',
      q: '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. SRV',
      answer: ['_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN SRV 0 100 80 svc1.testns.svc.cLuStEr.LoCaL.'],
      additional: ['svc1.testns.svc.cLuStEr.LoCaL. 5 IN A 10.0.0.1'],
    },
    {
      row: '3.10',
      q: '_HTTP._TCP.HDLSPRTLS.testns.svc.CLUSTER.local. SRV',
      rcode: 'NXDOMAIN',
      authority: ['CLUSTER.local. 5 IN SOA ns.dns.CLUSTER.local. hostmaster.CLUSTER.local. <serial> 7200 1800 86400 5'],
    },
    { row: '3.5', q: '_tcp.svc1.testns.svc.cluster.local. SRV', authority: [SOA] },
  ],
  () => harness(),
);
