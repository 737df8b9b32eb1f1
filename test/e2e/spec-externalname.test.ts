// SPEC-CHECKLIST section 6: ExternalName services (spec 2.5). No forward plugin is configured,
// so a target outside the cluster is left to the client (row 6.2's upstream part is out of scope).
import { describe, test } from 'node:test';
import { checkCase, clusterServer, editObjects, eventually, recordText, runCases, SOA, type Case } from './support.js';

const EXTERNAL = 'external.testns.svc.cluster.local.';
const EXTERNAL_CNAME = `${EXTERNAL} 5 IN CNAME ext.interwebs.test.`;

describe('default options', () => {
  const server = clusterServer();
  const cases: Case[] = [
    { row: '6.1', q: `${EXTERNAL} CNAME`, rcode: 'NOERROR', answer: [EXTERNAL_CNAME] },
    {
      row: '6.2',
      q: `${EXTERNAL} A`,
      rcode: 'NOERROR',
      answer: [EXTERNAL_CNAME],
      why: 'the CNAME; its target is the next plugin’s, and there is none',
    },
    {
      row: '6.3',
      q: 'external-to-service.testns.svc.cluster.local. A',
      rcode: 'NOERROR',
      answer: [
        'external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.',
        'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1',
      ],
      ordered: true,
    },
    { row: '6.4', q: 'extip.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA], why: 'an IP address is no CNAME target' },
    { row: '6.4', q: 'extip.testns.svc.cluster.local. CNAME', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `endpoint.${EXTERNAL} CNAME`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `subdomain.subdomain.${EXTERNAL} CNAME`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `endpoint.${EXTERNAL} A`, rcode: 'NXDOMAIN', authority: [SOA] },
  ];
  runCases(server, cases);
});

describe('an ExternalName service changed while serving', () => {
  const server = clusterServer();

  test('6.6 a new externalName changes the CNAME; type ClusterIP turns it into an A record', async () => {
    await checkCase(server(), { row: '6.6', q: `${EXTERNAL} CNAME`, rcode: 'NOERROR', answer: [EXTERNAL_CNAME] });

    const moved = `${EXTERNAL} 5 IN CNAME moved.interwebs.test.`;
    editObjects(server(), 'testns-externalname.yaml', (objects) =>
      objects.map((o) => (o.metadata.name === 'external' ? { ...o, spec: { ...o.spec, externalName: 'moved.interwebs.test' } } : o)),
    );
    await eventually('the new CNAME', async () => {
      const m = await server().query(EXTERNAL.slice(0, -1), 'CNAME');
      return m.answers.map(recordText).includes(moved);
    });
    await checkCase(server(), { row: '6.6', q: `${EXTERNAL} CNAME`, rcode: 'NOERROR', answer: [moved] });

    const clusterIP = { type: 'ClusterIP', clusterIP: '10.0.0.12', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] };
    editObjects(server(), 'testns-externalname.yaml', (objects) =>
      objects.map((o) => (o.metadata.name === 'external' ? { ...o, spec: clusterIP } : o)),
    );
    const a = `${EXTERNAL} 5 IN A 10.0.0.12`;
    await eventually('the A record', async () => (await server().query(EXTERNAL.slice(0, -1), 'A')).answers.map(recordText).includes(a));
    await checkCase(server(), { row: '6.6', q: `${EXTERNAL} A`, rcode: 'NOERROR', answer: [a] });
    await checkCase(server(), { row: '6.6', q: `${EXTERNAL} CNAME`, rcode: 'NOERROR', authority: [SOA] });
  });
});

describe('ignore empty_service', () => {
  const server = clusterServer(['ignore empty_service']);
  runCases(server, [{ row: '6.7', q: `${EXTERNAL} CNAME`, rcode: 'NOERROR', answer: [EXTERNAL_CNAME], why: 'no endpoints, still there' }]);
});
