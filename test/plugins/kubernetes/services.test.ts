// Checklist section 2: ClusterIP services.
import { harness, SOA, table } from './harness.js';

table(
  'ClusterIP services',
  [
    { row: '2.1', q: 'kubernetes.default.svc.cluster.local. A', answer: ['kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.1'] },
    { row: '2.1', q: 'svc1.testns.svc.cluster.local. A', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
    { row: '2.2', q: 'svc6.testns.svc.cluster.local. AAAA', answer: ['svc6.testns.svc.cluster.local. 5 IN AAAA 1234:abcd::1'] },
    { row: '2.3', q: 'svc-dual-stack.testns.svc.cluster.local. A', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN A 10.0.0.3'] },
    { row: '2.3', q: 'svc-dual-stack.testns.svc.cluster.local. AAAA', answer: ['svc-dual-stack.testns.svc.cluster.local. 5 IN AAAA 10::3'] },
    { row: '2.4', q: 'svc1.testns.svc.cluster.local. AAAA', authority: [SOA] },
    { row: '2.4', q: 'svc6.testns.svc.cluster.local. A', authority: [SOA] },
    { row: '2.5', q: 'svcempty.testns.svc.cluster.local. A', answer: ['svcempty.testns.svc.cluster.local. 5 IN A 10.0.0.4'] },
    { row: '2.7', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.7', q: 'svc0.testns.svc.cluster.local. AAAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.8', q: 'svc0.svc-nons.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.9', q: '1kubernetes.default.svc.cluster.local. A', answer: ['1kubernetes.default.svc.cluster.local. 5 IN A 10.96.0.11'] },
    { row: '2.10', q: 'svc-unnamed.testns.svc.cluster.local. A', answer: ['svc-unnamed.testns.svc.cluster.local. 5 IN A 10.0.0.6'] },
    { row: '2.10', q: '_8080._tcp.svc-unnamed.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.11', q: 'bogusendpoint.svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.11', q: 'bogusendpoint.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.12', q: 'ep1a.svc1.testns.svc.cluster.local. A', answer: ['ep1a.svc1.testns.svc.cluster.local. 5 IN A 10.0.0.100'] },
    { row: '2.12', q: 'ip6svc1ex.svc1.testns.svc.cluster.local. AAAA', answer: ['ip6svc1ex.svc1.testns.svc.cluster.local. 5 IN AAAA fd00:77:30::a'] },
    { row: '2.12', q: '10-0-0-99.svc1.testns.svc.cluster.local. A', answer: ['10-0-0-99.svc1.testns.svc.cluster.local. 5 IN A 10.0.0.99'] },
    { row: '2.12', q: 'ep1a.svc1.testns.svc.cluster.local. AAAA', authority: [SOA] },
    { row: '2.13', q: 'a.b.c.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.13', q: 'a.b.ep1a.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  ],
  () => harness(),
);

table(
  'ClusterIP services with ignore empty_service',
  [
    { row: '2.6', q: 'svcempty.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.6', q: 'svcempty.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.6', q: '_http._tcp.svcempty.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '2.6', q: 'svc1.testns.svc.cluster.local. A', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
    { row: '2.6', q: 'hdls1.testns.svc.cluster.local. AAAA', answer: ['hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1', 'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2'] },
  ],
  () => harness({ ignoreEmptyService: true }),
);
