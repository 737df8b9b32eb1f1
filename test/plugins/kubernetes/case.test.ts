// Checklist section 10: letter case. Names match whatever their case; answer owners keep the
// question's spelling; other names are lower-case labels completed with the zone as asked.
import { harness, soa, table } from './harness.js';

table(
  'letter case',
  [
    { row: '10.1', q: 'SvC1.TeStNs.SvC.cLuStEr.LoCaL. A', answer: ['SvC1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN A 10.0.0.1'] },
    { row: '10.1', q: 'SVC6.TESTNS.SVC.CLUSTER.LOCAL. AAAA', answer: ['SVC6.TESTNS.SVC.CLUSTER.LOCAL. 5 IN AAAA 1234:abcd::1'] },
    {
      row: '10.1',
      q: 'DUP-NAME.Hdls1.testns.svc.cluster.local. A',
      answer: ['DUP-NAME.Hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4', 'DUP-NAME.Hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5'],
    },
    { row: '10.1', q: 'External.TestNS.svc.cluster.local. CNAME', answer: ['External.TestNS.svc.cluster.local. 5 IN CNAME ext.interwebs.test.'] },
    { row: '10.1', q: 'DNS-Version.Cluster.Local. TXT', answer: ['DNS-Version.Cluster.Local. 28800 IN TXT "1.1.0"'] },
    {
      row: '10.2',
      q: 'hDlS1.TeStNs.SvC.cLuStEr.LoCaL. A',
      answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `hDlS1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN A ${ip}`),
    },
    {
      row: '10.2',
      q: '_HTTP._TCP.Hdls1.TestNS.svc.Cluster.Local. SRV',
      answer: ['172-0-0-2', '172-0-0-3', '5678-abcd--1', '5678-abcd--2', 'dup-name'].map(
        (e) => `_HTTP._TCP.Hdls1.TestNS.svc.Cluster.Local. 5 IN SRV 0 16 80 ${e}.hdls1.testns.svc.Cluster.Local.`,
      ),
      additional: [
        '172-0-0-2.hdls1.testns.svc.Cluster.Local. 5 IN A 172.0.0.2',
        '172-0-0-3.hdls1.testns.svc.Cluster.Local. 5 IN A 172.0.0.3',
        '5678-abcd--1.hdls1.testns.svc.Cluster.Local. 5 IN AAAA 5678:abcd::1',
        '5678-abcd--2.hdls1.testns.svc.Cluster.Local. 5 IN AAAA 5678:abcd::2',
        'dup-name.hdls1.testns.svc.Cluster.Local. 5 IN A 172.0.0.4',
        'dup-name.hdls1.testns.svc.Cluster.Local. 5 IN A 172.0.0.5',
      ],
    },
    { row: '10.2', q: '1.0.96.10.In-Addr.ARPA. PTR', answer: ['1.0.96.10.In-Addr.ARPA. 5 IN PTR kubernetes.default.svc.cluster.local.'] },
    {
      row: '10.2',
      q: 'Cluster.Local. NS',
      answer: ['Cluster.Local. 5 IN NS ns.dns.Cluster.Local.'],
      additional: ['ns.dns.Cluster.Local. 5 IN A 10.96.0.10'],
    },
    {
      row: '10.2',
      q: 'External-To-Service.TestNS.svc.Cluster.Local. A',
      answer: ['External-To-Service.TestNS.svc.Cluster.Local. 5 IN CNAME svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
      ordered: true,
    },
    { row: '10.3', q: 'not-a-service.testns.svc.ClUsTeR.lOcAl. A', rcode: 'NXDOMAIN', authority: [soa('ClUsTeR.lOcAl')] },
    { row: '10.3', q: 'SVC1.testns.svc.Cluster.Local. AAAA', authority: [soa('Cluster.Local')] },
    { row: '10.3', q: '101.0.0.10.IN-ADDR.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('0.10.IN-ADDR.arpa')] },
    { row: '10.3', q: 'Cluster.local. SOA', answer: [soa('Cluster.local')] },
  ],
  () => harness(),
);
