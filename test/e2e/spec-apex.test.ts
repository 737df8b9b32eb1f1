// SPEC-CHECKLIST section 9: the zone apex — SOA (its serial follows the data), NS and the name
// server's own name, NODATA for other types, no zone transfers. The servers bind the loopback
// addresses (OWN_ADDRESSES), so those are the addresses `ns.dns.<zone>` falls back to.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SoaData } from '../../src/dns/types.js';
import type { TestServer } from '../support/server.js';
import { checkCase, clusterServer, eventually, editObjects, expectAnswer, runCases, SOA, type Case } from './support.js';

const NS_ANSWER = 'cluster.local. 5 IN NS ns.dns.cluster.local.';
const OWN_GLUE = ['ns.dns.cluster.local. 5 IN A 127.0.0.1', 'ns.dns.cluster.local. 5 IN AAAA ::1'];

describe('default options', () => {
  const server = clusterServer();
  runCases(server, [
    { row: '9.1', q: 'cluster.local. SOA', rcode: 'NOERROR', answer: [SOA] },
    { row: '9.1', q: 'in-addr.arpa. SOA', rcode: 'NOERROR', answer: ['in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. * 7200 1800 86400 5'], why: 'a reverse zone' },
    { row: '9.3', q: 'cluster.local. NS', rcode: 'NOERROR', answer: [NS_ANSWER], additional: OWN_GLUE, why: 'no DNS service holds our address: our own' },
    { row: '9.4', q: 'ns.dns.cluster.local. A', rcode: 'NOERROR', answer: [OWN_GLUE[0]!] },
    { row: '9.4', q: 'ns.dns.cluster.local. AAAA', rcode: 'NOERROR', answer: [OWN_GLUE[1]!] },
    { row: '9.5', q: 'cluster.local. A', rcode: 'NOERROR', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. AAAA', rcode: 'NOERROR', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. SRV', rcode: 'NOERROR', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. HINFO', rcode: 'NOERROR', authority: [SOA] },
  ]);

  // Zone transfers run over TCP (RFC 5936), so these cases are not asked over UDP.
  for (const type of ['AXFR', 'IXFR']) {
    test(`9.6 cluster.local. ${type} over TCP → REFUSED`, async () => {
      const c: Case = { row: '9.6', q: `cluster.local. ${type}`, rcode: 'REFUSED' };
      expectAnswer(await server().query('cluster.local', type, { transport: 'tcp' }), c, 'tcp');
    });
  }
});

async function serial(server: TestServer): Promise<number> {
  const m = await server.query('cluster.local', 'SOA');
  assert.equal(m.answers.length, 1, 'one SOA in the answer');
  return (m.answers[0]!.data as SoaData).serial;
}

describe('the SOA serial while the data changes', () => {
  const server = clusterServer();

  test('9.2 the serial stays while nothing changes and grows when the data does', async () => {
    const first = await serial(server());
    assert.equal(await serial(server()), first, 'unchanged data keeps its serial');
    // The serial counts seconds: change the data in a later second than the first load.
    await eventually('the next second', async () => Math.floor(Date.now() / 1000) > first, 2000);

    editObjects(server(), 'testns-clusterip.yaml', (objects) => [
      ...objects,
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc-new', namespace: 'testns' }, spec: { clusterIP: '10.0.0.13' } },
    ]);
    await eventually('svc-new', async () => (await server().query('svc-new.testns.svc.cluster.local', 'A')).answers.length === 1);
    assert.ok((await serial(server())) > first, 'a change raises the serial');
  });
});

describe('the DNS service selecting this server', () => {
  const server = clusterServer();

  test('9.3 NS glue is the ClusterIP of the service whose endpoints hold the server’s address', async () => {
    editObjects(server(), 'kube-system.yaml', (objects) =>
      objects.map((o) => (o.kind === 'EndpointSlice' ? { ...o, endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }] } : o)),
    );
    const glue = 'ns.dns.cluster.local. 5 IN A 10.96.0.10';
    await eventually('the DNS service’s ClusterIP as glue', async () => {
      const m = await server().query('ns.dns.cluster.local', 'A');
      return m.answers.length === 1 && m.answers[0]!.data === '10.96.0.10';
    });
    await checkCase(server(), { row: '9.3', q: 'cluster.local. NS', rcode: 'NOERROR', answer: [NS_ANSWER], additional: [glue] });
    await checkCase(server(), { row: '9.4', q: 'ns.dns.cluster.local. A', rcode: 'NOERROR', answer: [glue] });
    await checkCase(server(), { row: '9.4', q: 'ns.dns.cluster.local. AAAA', rcode: 'NOERROR', authority: [SOA], why: 'IPv4-only service' });
  });
});
