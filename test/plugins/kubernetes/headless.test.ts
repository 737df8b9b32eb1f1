// Checklist section 4: headless services and endpoint names. Row 4.17 (`zonal`) is not implemented.
import { test } from 'node:test';
import { endpoint, port, slice } from '../../kube/build.js';
import { check, harness, SOA, table } from './harness.js';

const HDLS1 = 'hdls1.testns.svc.cluster.local.';

table(
  'headless services',
  [
    {
      row: '4.1',
      q: `${HDLS1} A`,
      answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => `${HDLS1} 5 IN A ${ip}`),
    },
    { row: '4.2', q: `${HDLS1} AAAA`, answer: [`${HDLS1} 5 IN AAAA 5678:abcd::1`, `${HDLS1} 5 IN AAAA 5678:abcd::2`] },
    { row: '4.3', q: 'hdls-notready.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.3', q: '_http._tcp.hdls-notready.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.4', q: 'hdlsprtls.testns.svc.cluster.local. AAAA', authority: [SOA] },
    {
      row: '4.5',
      q: 'my-pet.headless.default.svc.cluster.local. A',
      answer: ['my-pet.headless.default.svc.cluster.local. 5 IN A 10.3.0.100'],
    },
    {
      row: '4.5',
      q: `dup-name.${HDLS1} A`,
      answer: [`dup-name.${HDLS1} 5 IN A 172.0.0.4`, `dup-name.${HDLS1} 5 IN A 172.0.0.5`],
    },
    {
      row: '4.6',
      q: 'my-pet.headless.default.svc.cluster.local. AAAA',
      answer: ['my-pet.headless.default.svc.cluster.local. 5 IN AAAA fd00::100'],
    },
    { row: '4.6', q: `dup-name.${HDLS1} AAAA`, authority: [SOA] },
    { row: '4.7', q: `172-0-0-2.${HDLS1} A`, answer: [`172-0-0-2.${HDLS1} 5 IN A 172.0.0.2`] },
    { row: '4.7', q: `5678-abcd--1.${HDLS1} AAAA`, answer: [`5678-abcd--1.${HDLS1} 5 IN AAAA 5678:abcd::1`] },
    { row: '4.7', q: `5678-abcd--2.${HDLS1} AAAA`, answer: [`5678-abcd--2.${HDLS1} 5 IN AAAA 5678:abcd::2`] },
    { row: '4.8', q: `bogusendpoint.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.8', q: `172-0-0-99.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '4.9',
      q: 'dns-querier-2.dns-test-service-2.testns.svc.cluster.local. A',
      answer: ['dns-querier-2.dns-test-service-2.testns.svc.cluster.local. 5 IN A 10.244.1.12'],
    },
    { row: '4.10', q: 'hdlsprtls.testns.svc.cluster.local. A', answer: ['hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'] },
    {
      row: '4.10',
      q: '172-0-0-20.hdlsprtls.testns.svc.cluster.local. A',
      answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local. 5 IN A 172.0.0.20'],
    },
    { row: '4.10', q: 'hdlsprtls.testns.svc.cluster.local. SRV', authority: [SOA] },
    { row: '4.11', q: `notready.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    {
      row: '4.12',
      q: 'hdls-pnra.testns.svc.cluster.local. A',
      answer: ['hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.31', 'hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.32'],
    },
    {
      row: '4.12',
      q: '172-0-0-31.hdls-pnra.testns.svc.cluster.local. A',
      answer: ['172-0-0-31.hdls-pnra.testns.svc.cluster.local. 5 IN A 172.0.0.31'],
    },
    {
      row: '4.13',
      q: 'headless.default.svc.cluster.local. A',
      answer: ['headless.default.svc.cluster.local. 5 IN A 10.3.0.100', 'headless.default.svc.cluster.local. 5 IN A 10.3.0.101'],
    },
    {
      row: '4.13',
      q: 'headless.default.svc.cluster.local. AAAA',
      answer: ['headless.default.svc.cluster.local. 5 IN AAAA fd00::100'],
    },
  ],
  () => harness(),
);

test('4.13/4.14 slices added and deleted while serving: union of slices, deletion removes only its addresses', async () => {
  const h = await harness();
  const name = 'hdls1.testns.svc.cluster.local.';
  const a = (...ips: string[]) => ips.map((ip) => `${name} 5 IN A ${ip}`);
  h.store.upsert(slice('testns', 'hdls1-extra', 'hdls1', [endpoint('172.0.0.2'), endpoint('172.0.0.50')], [port('http', 80)]));
  await check(h, { q: `${name} A`, answer: a('172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5', '172.0.0.50') });
  h.store.remove('EndpointSlice', 'testns', 'hdls1-v4');
  await check(h, { q: `${name} A`, answer: a('172.0.0.2', '172.0.0.50') });
  await check(h, { q: `dup-name.${name} A`, rcode: 'NXDOMAIN', authority: [SOA] });
  h.store.remove('EndpointSlice', 'testns', 'hdls1-extra');
  await check(h, { q: `${name} A`, authority: [SOA] });
  h.store.remove('EndpointSlice', 'testns', 'hdls1-v6');
  await check(h, { q: `${name} A`, rcode: 'NXDOMAIN', authority: [SOA] });
});

test('4.11 an endpoint turning not ready leaves the answers', async () => {
  const h = await harness();
  const name = 'dns-querier-2.dns-test-service-2.testns.svc.cluster.local.';
  h.store.upsert(slice('testns', 'dns-test-service-2-aaaaa', 'dns-test-service-2', [endpoint('10.244.1.12', { hostname: 'dns-querier-2', ready: false })], [port('http', 80)]));
  await check(h, { q: `${name} A`, rcode: 'NXDOMAIN', authority: [SOA] });
  await check(h, { q: 'dns-test-service-2.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] });
});

table(
  'endpoint_pod_names',
  [
    { row: '4.15', q: `hdls1-pod-a.${HDLS1} A`, answer: [`hdls1-pod-a.${HDLS1} 5 IN A 172.0.0.2`] },
    { row: '4.15', q: `172-0-0-2.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.15', q: `172-0-0-3.${HDLS1} A`, answer: [`172-0-0-3.${HDLS1} 5 IN A 172.0.0.3`] },
    { row: '4.15', q: `dup-name.${HDLS1} A`, answer: [`dup-name.${HDLS1} 5 IN A 172.0.0.4`, `dup-name.${HDLS1} 5 IN A 172.0.0.5`] },
    { row: '4.15', q: '2.0.0.172.in-addr.arpa. PTR', answer: [`2.0.0.172.in-addr.arpa. 5 IN PTR hdls1-pod-a.${HDLS1}`] },
  ],
  () => harness({ endpointPodNames: true }),
);

table(
  'noendpoints',
  [
    { row: '4.16', q: `${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.16', q: `dup-name.${HDLS1} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.16', q: 'ep1a.svc1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '4.16', q: '100.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: ['0.10.in-addr.arpa. 5 IN SOA ns.dns.0.10.in-addr.arpa. hostmaster.0.10.in-addr.arpa. <serial> 7200 1800 86400 5'] },
    { row: '4.16', q: 'svc1.testns.svc.cluster.local. A', answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'] },
  ],
  () => harness({ noEndpoints: true }),
);
