// Checklist sections 1 (schema version), 8 (existence, NXDOMAIN vs NODATA, options that change
// existence) and 9 (zone apex); plus the routing of names outside the plugin's zones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeStore } from '../../../src/kube/store.js';
import { kubernetesPlugin } from '../../../plugins/kubernetes/index.js';
import { service } from '../../kube/build.js';
import { check, harness, makeQuery, memorySource, options, soa, SOA, table, type Harness } from './harness.js';
import { fixture } from './fixture.js';

const SVC1 = 'svc1.testns.svc.cluster.local.';

table(
  'schema version, existence and apex',
  [
    { row: '1.1', q: 'dns-version.cluster.local. TXT', answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
    { row: '1.2', q: 'dns-version.cluster.local. A', authority: [SOA] },
    { row: '1.2', q: 'dns-version.cluster.local. AAAA', authority: [SOA] },
    { row: '1.3', q: `${SVC1} TXT`, authority: [SOA] },
    { row: '1.3', q: 'hdls1.testns.svc.cluster.local. TXT', authority: [SOA] },
    { row: '1.4', q: 'svc0.svc-nons.svc.cluster.local. TXT', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '1.4', q: 'svc0.testns.svc.cluster.local. TXT', rcode: 'NXDOMAIN', authority: [SOA] },

    { row: '8.1', q: 'svc.cluster.local. A', authority: [SOA] },
    { row: '8.1', q: 'pod.cluster.local. A', authority: [SOA] },
    { row: '8.1', q: 'svc.cluster.local. NS', authority: [SOA] },
    { row: '8.1', q: 'pod.cluster.local. TXT', authority: [SOA] },
    { row: '8.2', q: 'testns.svc.cluster.local. A', authority: [SOA] },
    { row: '8.2', q: 'testns.svc.cluster.local. NS', authority: [SOA] },
    { row: '8.2', q: 'podns.svc.cluster.local. A', authority: [SOA] },
    { row: '8.3', q: 'svc-nons.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'foo.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'foo.cluster.local. NS', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'example.org.cluster.local. PTR', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.4', q: 'svc1.testns.foo.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.5', q: `${SVC1} MX`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} HINFO`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} NS`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} CAA`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} CNAME`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} TYPE65`, authority: [SOA] },
    { row: '8.5', q: `${SVC1} ANY`, authority: [SOA] },
    { row: '8.5', q: 'hdls1.testns.svc.cluster.local. MX', authority: [SOA] },
    { row: '8.5', q: 'dup-name.hdls1.testns.svc.cluster.local. TXT', authority: [SOA] },
    { row: '8.6', q: 'foo.svc.cluster.local. NS', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.6', q: 'svc0.testns.svc.cluster.local. MX', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.6', q: 'svc0.testns.svc.cluster.local. CAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.7', q: `${SVC1} SOA`, authority: [SOA] },
    { row: '8.7', q: 'testns.svc.cluster.local. SOA', authority: [SOA] },
    { row: '8.12', q: '*.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: 'any.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: 'svc1.*.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: '*.hdls1.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.12', q: '_http._tcp.*.testns.svc.cluster.local. SRV', rcode: 'NXDOMAIN', authority: [SOA] },

    { row: '9.1', q: 'cluster.local. SOA', answer: [SOA] },
    { row: '9.3', q: 'cluster.local. NS', answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'], additional: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'] },
    { row: '9.4', q: 'ns.dns.cluster.local. A', answer: ['ns.dns.cluster.local. 5 IN A 10.96.0.10'] },
    { row: '9.4', q: 'ns.dns.cluster.local. AAAA', authority: [SOA] },
    { row: '9.4', q: 'dns.cluster.local. A', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. A', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. AAAA', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. SRV', authority: [SOA] },
    { row: '9.5', q: 'cluster.local. HINFO', authority: [SOA] },
    { row: '9.6', q: 'cluster.local. AXFR', rcode: 'REFUSED' },
    { row: '9.6', q: 'cluster.local. IXFR', rcode: 'REFUSED' },
    { row: '9.6', q: 'in-addr.arpa. AXFR', rcode: 'REFUSED' },

    { row: '11.13', q: 'www.example.com. A', next: true },
    { row: '11.13', q: 'local. SOA', next: true },
    { row: '11.13', q: 'xcluster.local. A', next: true },
  ],
  () => harness(),
);

table(
  'the server’s own addresses when no DNS service holds them',
  [
    {
      row: '9.3',
      q: 'cluster.local. NS',
      answer: ['cluster.local. 5 IN NS ns.dns.cluster.local.'],
      additional: ['ns.dns.cluster.local. 5 IN A 127.0.0.1', 'ns.dns.cluster.local. 5 IN AAAA ::1'],
    },
    { row: '9.4', q: 'ns.dns.cluster.local. AAAA', answer: ['ns.dns.cluster.local. 5 IN AAAA ::1'] },
    {
      row: '9.3',
      q: 'in-addr.arpa. NS',
      answer: ['in-addr.arpa. 5 IN NS ns.dns.in-addr.arpa.'],
      additional: ['ns.dns.in-addr.arpa. 5 IN A 127.0.0.1', 'ns.dns.in-addr.arpa. 5 IN AAAA ::1'],
    },
  ],
  () => harness({}, fixture, ['127.0.0.1', '::1']),
);

for (const ttl of [0, 30, 3600]) {
  table(
    `ttl ${ttl}`,
    [
      { row: '8.8', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [soa('cluster.local', ttl)] },
      { row: '8.8', q: `${SVC1} AAAA`, authority: [soa('cluster.local', ttl)] },
      { row: '8.8', q: '101.0.0.10.in-addr.arpa. PTR', rcode: 'NXDOMAIN', authority: [soa('0.10.in-addr.arpa', ttl)] },
      { row: '8.8', q: `${SVC1} A`, answer: [`${SVC1} ${ttl} IN A 10.0.0.1`] },
      { row: '9.1', q: 'cluster.local. SOA', answer: [soa('cluster.local', ttl)] },
      { row: '1.1', q: 'dns-version.cluster.local. TXT', answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'] },
      { row: '9.3', q: 'cluster.local. NS', answer: [`cluster.local. ${ttl} IN NS ns.dns.cluster.local.`], additional: [`ns.dns.cluster.local. ${ttl} IN A 10.96.0.10`] },
    ],
    () => harness({ ttl }),
  );
}

table(
  'fallthrough (every zone)',
  [
    { row: '8.10', q: 'svc0.testns.svc.cluster.local. A', next: true },
    { row: '8.10', q: '101.0.0.10.in-addr.arpa. PTR', next: true },
    { row: '8.10', q: `${SVC1} A`, answer: [`${SVC1} 5 IN A 10.0.0.1`] },
    { row: '8.10', q: `${SVC1} AAAA`, authority: [SOA] },
  ],
  () => harness({ fallthrough: ['cluster.local', '0.10.in-addr.arpa', 'in-addr.arpa', 'ip6.arpa'] }),
);

table(
  'fallthrough in-addr.arpa',
  [
    { row: '8.10', q: '101.0.0.10.in-addr.arpa. PTR', next: true },
    { row: '8.10', q: 'svc0.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  ],
  () => harness({ fallthrough: ['in-addr.arpa'] }),
);

table(
  'namespaces testns',
  [
    { row: '8.11', q: 'svc1.unexposedns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: 'unexposedns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: 'kubernetes.default.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.11', q: `${SVC1} A`, answer: [`${SVC1} 5 IN A 10.0.0.1`] },
  ],
  () => harness({ namespaces: new Set(['testns']) }),
);

table(
  'several cluster zones served from one index',
  [
    { row: '2.1', q: 'svc1.testns.svc.example.k8s. A', answer: ['svc1.testns.svc.example.k8s. 5 IN A 10.0.0.1'] },
    { row: '3.1', q: '_http._tcp.svc1.testns.svc.Example.K8s. SRV', answer: ['_http._tcp.svc1.testns.svc.Example.K8s. 5 IN SRV 0 100 80 svc1.testns.svc.Example.K8s.'], additional: ['svc1.testns.svc.Example.K8s. 5 IN A 10.0.0.1'] },
    { row: '8.3', q: 'svc-nons.svc.example.k8s. A', rcode: 'NXDOMAIN', authority: [soa('example.k8s')] },
    { row: '9.1', q: 'example.k8s. SOA', answer: [soa('example.k8s')] },
    { row: '2.1', q: `${SVC1} A`, answer: [`${SVC1} 5 IN A 10.0.0.1`] },
  ],
  () => harness({ zones: ['cluster.local', 'example.k8s'] }),
);

test('8.9 before the source has synced, every name of the zones is SERVFAIL, never NXDOMAIN', async () => {
  const store = new KubeStore({ ...options(), localAddresses: [] });
  const plugin = kubernetesPlugin(options(), store, memorySource(fixture));
  const h: Harness = { plugin, store, upstream: () => assert.fail('no next plugin for the cluster zone') };
  assert.equal(plugin.ready!(), false);
  for (const q of [`${SVC1} A`, 'svc0.testns.svc.cluster.local. A', 'cluster.local. SOA', '1.0.96.10.in-addr.arpa. PTR']) {
    const zone = q.includes('arpa') ? 'in-addr.arpa' : 'cluster.local';
    await check(h, { q, rcode: 'SERVFAIL', authority: [soa(zone)] });
  }
  await plugin.start!();
  assert.equal(plugin.ready!(), true);
  await check(h, { q: `${SVC1} A`, answer: [`${SVC1} 5 IN A 10.0.0.1`] });
});

test('9.2 the SOA serial is the time of the last change, in seconds', async () => {
  let now = 1_700_000_000_000;
  const store = new KubeStore({ ...options(), localAddresses: [] }, () => now);
  const plugin = kubernetesPlugin(options(), store, memorySource(fixture));
  await plugin.start!();
  const serial = async () => {
    const r = await plugin.serve(makeQuery('cluster.local. SOA'), () => assert.fail('answered here'));
    const data = r.answers[0]?.data;
    return typeof data === 'object' && data !== null && 'serial' in data ? data.serial : undefined;
  };
  assert.equal(await serial(), 1_700_000_000);
  now += 5_000;
  assert.equal(await serial(), 1_700_000_000, 'no change, same serial');
  store.upsert(service('testns', 'svc-new', { clusterIPs: ['10.0.0.13'] }));
  assert.equal(await serial(), 1_700_000_005);
  now += 5_000;
  store.replaceAll(fixture);
  assert.equal(await serial(), 1_700_000_010, 'a resync is a change');
});

test('start and stop drive the source', async () => {
  const store = new KubeStore({ ...options(), localAddresses: [] });
  const source = memorySource(fixture);
  const plugin = kubernetesPlugin(options(), store, source);
  assert.equal(plugin.name, 'kubernetes');
  await plugin.start!();
  assert.equal(store.synced, true);
  await plugin.stop!();
  assert.equal(source.stopped, true);
});
