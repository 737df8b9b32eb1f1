// Checklist section 5: PTR records. The plugin serves cluster.local, 0.10.in-addr.arpa,
// in-addr.arpa and ip6.arpa; a negative answer carries the SOA of the longest of them.
import { harness, soa, SOA, table } from './harness.js';

const V4 = soa('in-addr.arpa');
const V6 = soa('ip6.arpa');
const TEN = soa('0.10.in-addr.arpa');
const SVC6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.';
const IP6SVC1EX = 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.';
const HDLS1_V6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.7.6.5.ip6.arpa.';

table(
  'PTR records',
  [
    { row: '5.1', q: '1.0.96.10.in-addr.arpa. PTR', answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'] },
    { row: '5.1', q: '1.0.0.10.in-addr.arpa. PTR', answer: ['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'] },
    { row: '5.2', q: `${SVC6} PTR`, answer: [`${SVC6} 5 IN PTR svc6.testns.svc.cluster.local.`] },
    { row: '5.3', q: '100.0.0.10.in-addr.arpa. PTR', answer: ['100.0.0.10.in-addr.arpa. 5 IN PTR ep1a.svc1.testns.svc.cluster.local.'] },
    { row: '5.3', q: '4.0.0.172.in-addr.arpa. PTR', answer: ['4.0.0.172.in-addr.arpa. 5 IN PTR dup-name.hdls1.testns.svc.cluster.local.'] },
    { row: '5.4', q: `${IP6SVC1EX} PTR`, answer: [`${IP6SVC1EX} 5 IN PTR ip6svc1ex.svc1.testns.svc.cluster.local.`] },
    { row: '5.5', q: '2.0.0.172.in-addr.arpa. PTR', answer: ['2.0.0.172.in-addr.arpa. 5 IN PTR 172-0-0-2.hdls1.testns.svc.cluster.local.'] },
    { row: '5.5', q: `${HDLS1_V6} PTR`, answer: [`${HDLS1_V6} 5 IN PTR 5678-abcd--1.hdls1.testns.svc.cluster.local.`] },
    {
      row: '5.6',
      q: '99.0.0.10.in-addr.arpa. PTR',
      answer: [
        '99.0.0.10.in-addr.arpa. 5 IN PTR 10-0-0-99.svc1.testns.svc.cluster.local.',
        '99.0.0.10.in-addr.arpa. 5 IN PTR 10-0-0-99.svc2.testns.svc.cluster.local.',
      ],
    },
    { row: '5.7', q: '100.0.0.10.in-addr.arpa. PTR', answer: ['100.0.0.10.in-addr.arpa. 5 IN PTR ep1a.svc1.testns.svc.cluster.local.'] },
    { row: '5.8', q: '3.0.0.10.in-addr.arpa. PTR', answer: ['3.0.0.10.in-addr.arpa. 5 IN PTR svc-dual-stack.testns.svc.cluster.local.'] },
    { row: '5.9', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [TEN] },
    { row: '5.9', q: '1.1.1.1.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '5.9', q: `${SVC6.replace(/^1/, '2')} PTR`, rcode: 'NXDOMAIN', authority: [V6] },
    { row: '5.10', q: 'svc1.testns.svc.cluster.local. PTR', authority: [SOA] },
    { row: '5.10', q: 'svc0.testns.svc.cluster.local. PTR', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '5.11', q: '9.0.0.172.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '5.11', q: '90.0.0.172.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '5.12', q: '0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '5.12', q: '5.1.0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '5.12', q: `${SVC6.slice(4)} PTR`, rcode: 'NXDOMAIN', authority: [V6] },
    { row: '5.12', q: '0.10.in-addr.arpa. PTR', authority: [TEN] },
    { row: '5.1', q: '1.0.96.10.in-addr.arpa. A', authority: [V4] },
    { row: '9.1', q: 'in-addr.arpa. SOA', answer: [V4] },
    { row: '8.11', q: '200.0.0.10.in-addr.arpa. PTR', answer: ['200.0.0.10.in-addr.arpa. 5 IN PTR svc1.unexposedns.svc.cluster.local.'] },
  ],
  () => harness(),
);

table(
  'PTR records with fallthrough in-addr.arpa ip6.arpa',
  [
    { row: '5.9', q: '101.0.0.10.in-addr.arpa. PTR', next: true },
    { row: '5.9', q: `${SVC6.replace(/^1/, '2')} PTR`, next: true },
    { row: '5.12', q: '0.96.10.in-addr.arpa. PTR', next: true },
    { row: '5.9', q: '1.0.96.10.in-addr.arpa. PTR', answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'] },
    { row: '5.9', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  ],
  () => harness({ fallthrough: ['in-addr.arpa', 'ip6.arpa'] }),
);

table(
  'PTR records with namespaces testns',
  [
    { row: '8.11', q: '200.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [TEN] },
    { row: '8.11', q: '201.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [TEN] },
    { row: '8.11', q: '1.0.96.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [V4] },
    { row: '8.11', q: '1.0.0.10.in-addr.arpa. PTR', answer: ['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'] },
  ],
  () => harness({ namespaces: new Set(['testns']) }),
);

table(
  'PTR targets are written in the first forward zone of the plugin',
  [
    { row: '5.1', q: '1.0.96.10.in-addr.arpa. PTR', answer: ['1.0.96.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.example.k8s.'] },
    { row: '5.1', q: '1.0.96.10.IN-ADDR.ARPA. PTR', answer: ['1.0.96.10.IN-ADDR.ARPA. 5 IN PTR kubernetes.default.svc.example.k8s.'] },
  ],
  () => harness({ zones: ['in-addr.arpa', 'example.k8s', 'cluster.local'] }),
);
