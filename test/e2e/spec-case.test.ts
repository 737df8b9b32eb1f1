// SPEC-CHECKLIST section 10: letter case (spec 2.1, RFC 4343). Names match without regard to case;
// the question comes back byte for byte, answer owners keep the question's spelling and the zone
// in SOA records is spelled as the question spells it.
import { describe } from 'node:test';
import { clusterServer, runCases, soa, type Case } from './support.js';

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '10.1', q: 'SvC1.TeStNs.SvC.cLuStEr.LoCaL. A', rcode: 'NOERROR', answer: ['SvC1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN A 10.0.0.1'] },
    { row: '10.1', q: 'SVC6.TESTNS.SVC.CLUSTER.LOCAL. AAAA', rcode: 'NOERROR', answer: ['SVC6.TESTNS.SVC.CLUSTER.LOCAL. 5 IN AAAA 1234:abcd::1'] },
    {
      row: '10.1',
      q: 'DUP-NAME.Hdls1.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: ['DUP-NAME.Hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.4', 'DUP-NAME.Hdls1.testns.svc.cluster.local. 5 IN A 172.0.0.5'],
      why: 'endpoint hostname',
    },
    {
      row: '10.1',
      q: 'External.TestNS.svc.cluster.local. CNAME',
      rcode: 'NOERROR',
      answer: ['External.TestNS.svc.cluster.local. 5 IN CNAME ext.interwebs.test.'],
    },
    {
      row: '10.2',
      q: 'hDlS1.TeStNs.SvC.cLuStEr.LoCaL. A',
      rcode: 'NOERROR',
      answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `hDlS1.TeStNs.SvC.cLuStEr.LoCaL. 5 IN A ${ip}`),
      why: 'every owner as asked',
    },
    {
      row: '10.2',
      q: '1.0.96.10.In-Addr.ARPA. PTR',
      rcode: 'NOERROR',
      answer: ['1.0.96.10.In-Addr.ARPA. 5 IN PTR kubernetes.default.svc.cluster.local.'],
    },
    { row: '10.3', q: 'not-a-service.testns.svc.ClUsTeR.lOcAl. A', rcode: 'NXDOMAIN', authority: [soa('ClUsTeR.lOcAl')] },
    { row: '10.3', q: 'SVC1.testns.svc.Cluster.Local. AAAA', rcode: 'NOERROR', authority: [soa('Cluster.Local')], why: 'NODATA too' },
    { row: '10.3', q: '101.0.0.10.IN-ADDR.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('IN-ADDR.arpa')] },
    { row: '10.3', q: 'Cluster.local. SOA', rcode: 'NOERROR', answer: [soa('Cluster.local')], why: 'the apex SOA' },
  ];
  runCases(server, cases);
});
