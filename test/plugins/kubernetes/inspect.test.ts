// The kubernetes plugin's debug view: for a name, the records its own answer path gives for every
// type; without a name, counts of what the index holds, by kind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KubeStore } from '../../../src/kube/store.js';
import type { KubeObject } from '../../../src/kube/objects.js';
import { kubernetesPlugin } from '../../../plugins/kubernetes/index.js';
import type { NameView } from '../../../plugins/kubernetes/inspect.js';
import { endpoint, namespace, pod, port, service, slice } from '../../kube/build.js';
import { harness, memorySource, options } from './harness.js';

const http = port('http', 80);

/** Counted by hand in the comments: the numbers the summary must give. */
const cluster: KubeObject[] = [
  namespace('default'),
  namespace('shop'),
  // ClusterIP; 1 endpoint (name 192-168-0-1); PTRs 10.96.0.1, 192.168.0.1.
  service('default', 'kubernetes', { clusterIPs: ['10.96.0.1'], ports: [port('https', 443)] }),
  slice('default', 'kubernetes', 'kubernetes', [endpoint('192.168.0.1')], [port('https', 6443)]),
  // Headless; 2 ready endpoints (web-0, web-1), the not-ready one unpublished; PTRs for the 2.
  service('shop', 'web', { clusterIPs: ['None'], ports: [http] }),
  slice('shop', 'web-abcde', 'web', [
    endpoint('10.244.1.20', { hostname: 'web-0' }),
    endpoint('10.244.2.21', { hostname: 'web-1' }),
    endpoint('10.244.3.22', { hostname: 'web-2', ready: false }),
  ], [http]),
  // ClusterIP, dual-stack; 2 endpoints named after their addresses; PTRs 10.96.100.40, fd00::40 and the 2.
  service('shop', 'api', { clusterIPs: ['10.96.100.40', 'fd00::40'], ports: [http] }),
  slice('shop', 'api-abcde', 'api', [endpoint('10.244.2.52'), endpoint('10.244.2.53')], [http]),
  // ClusterIP without endpoints; PTR 10.96.100.50.
  service('shop', 'orphan', { clusterIPs: ['10.96.100.50'], ports: [http] }),
  // ExternalName: a name, no PTR.
  service('shop', 'search', { type: 'ExternalName', externalName: 'search.example.com' }),
  pod('shop', 'web-0', '10.244.1.20'),
  pod('shop', 'web-1', '10.244.2.21'),
  pod('default', 'debug', '10.244.0.9'),
];

const ZONES = { zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'] };

describe('summary', () => {
  test('counts services by kind, endpoints, names, PTR addresses; pod addresses with pods verified', async () => {
    const h = await harness({ ...ZONES, pods: 'verified' }, cluster);
    assert.deepEqual(await h.plugin.inspect!(undefined), {
      zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
      synced: true,
      generation: h.store.index.generation,
      namespaces: 2,
      services: { clusterIP: 3, headless: 1, externalName: 1 },
      endpoints: 5,
      names: 10,
      ptrAddresses: 9,
      podAddresses: 3,
    });
  });

  test('no pod count unless pods are verified (insecure names are made up, not held)', async () => {
    const h = await harness({ ...ZONES, pods: 'insecure' }, cluster);
    assert.equal('podAddresses' in (h.plugin.inspect!(undefined) as object), false);
  });

  test('follows updates: the generation moves and the counts change', async () => {
    const h = await harness(ZONES, cluster);
    const before = h.plugin.inspect!(undefined) as { generation: number; services: { clusterIP: number }; ptrAddresses: number };
    h.store.remove('Service', 'shop', 'orphan');
    const after = h.plugin.inspect!(undefined) as typeof before;
    assert.ok(after.generation > before.generation);
    assert.equal(after.services.clusterIP, before.services.clusterIP - 1);
    assert.equal(after.ptrAddresses, before.ptrAddresses - 1);
  });

  test('before the sync: not synced, nothing held', () => {
    const o = options(ZONES);
    const plugin = kubernetesPlugin(o, new KubeStore({ ...o, localAddresses: [] }), memorySource(cluster));
    const view = plugin.inspect!(undefined) as { synced: boolean; services: object; names: number };
    assert.equal(view.synced, false);
    assert.deepEqual(view.services, { clusterIP: 0, headless: 0, externalName: 0 });
    assert.equal(view.names, 0);
  });
});

/** The view with its record lists sorted: what is held is a set, and the test compares sets. */
function sorted(view: NameView): NameView {
  return JSON.parse(JSON.stringify({ ...view, records: view.records?.slice().sort(), additional: view.additional?.slice().sort() })) as NameView;
}

describe('a name', () => {
  const cases: (NameView & { name: string })[] = [
    {
      name: 'web.shop.svc.cluster.local',
      zone: 'cluster.local',
      rcode: 'NOERROR',
      records: [
        'web.shop.svc.cluster.local. 5 IN A 10.244.1.20',
        'web.shop.svc.cluster.local. 5 IN A 10.244.2.21',
        'web.shop.svc.cluster.local. 5 IN SRV 0 50 80 web-0.web.shop.svc.cluster.local.',
        'web.shop.svc.cluster.local. 5 IN SRV 0 50 80 web-1.web.shop.svc.cluster.local.',
      ],
      additional: ['web-0.web.shop.svc.cluster.local. 5 IN A 10.244.1.20', 'web-1.web.shop.svc.cluster.local. 5 IN A 10.244.2.21'],
    },
    {
      name: 'API.shop.svc.cluster.local.',
      zone: 'cluster.local',
      rcode: 'NOERROR',
      records: [
        'API.shop.svc.cluster.local. 5 IN A 10.96.100.40',
        'API.shop.svc.cluster.local. 5 IN AAAA fd00::40',
        'API.shop.svc.cluster.local. 5 IN SRV 0 50 80 api.shop.svc.cluster.local.',
      ],
      additional: ['api.shop.svc.cluster.local. 5 IN A 10.96.100.40', 'api.shop.svc.cluster.local. 5 IN AAAA fd00::40'],
    },
    {
      name: 'search.shop.svc.cluster.local',
      zone: 'cluster.local',
      rcode: 'NOERROR',
      records: ['search.shop.svc.cluster.local. 5 IN CNAME search.example.com.'],
      additional: [],
    },
    {
      name: '20.1.244.10.in-addr.arpa',
      zone: 'in-addr.arpa',
      rcode: 'NOERROR',
      records: ['20.1.244.10.in-addr.arpa. 5 IN PTR web-0.web.shop.svc.cluster.local.'],
      additional: [],
    },
    {
      name: 'dns-version.cluster.local',
      zone: 'cluster.local',
      rcode: 'NOERROR',
      records: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
      additional: [],
    },
    { name: 'web-2.web.shop.svc.cluster.local', zone: 'cluster.local', rcode: 'NXDOMAIN', records: [], additional: [] },
    {
      name: 'orphan.shop.svc.cluster.local',
      zone: 'cluster.local',
      rcode: 'NOERROR',
      records: ['orphan.shop.svc.cluster.local. 5 IN A 10.96.100.50', 'orphan.shop.svc.cluster.local. 5 IN SRV 0 100 80 orphan.shop.svc.cluster.local.'],
      additional: ['orphan.shop.svc.cluster.local. 5 IN A 10.96.100.50'],
    },
    { name: 'www.example.com', zone: null },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const h = await harness(ZONES, cluster);
      const { name: _, ...want } = c;
      assert.deepEqual(sorted((await h.plugin.inspect!(c.name)) as NameView), sorted(want));
    });
  }

  test('with fallthrough, a name not held is NXDOMAIN: nothing is asked beyond the index', async () => {
    const h = await harness({ ...ZONES, fallthrough: ['cluster.local'] }, cluster);
    assert.deepEqual(await h.plugin.inspect!('nope.shop.svc.cluster.local'), { zone: 'cluster.local', rcode: 'NXDOMAIN', records: [], additional: [] });
  });

  test('before the sync: SERVFAIL, as DNS answers', async () => {
    const o = options(ZONES);
    const plugin = kubernetesPlugin(o, new KubeStore({ ...o, localAddresses: [] }), memorySource(cluster));
    assert.deepEqual(await plugin.inspect!('web.shop.svc.cluster.local'), { zone: 'cluster.local', rcode: 'SERVFAIL', records: [], additional: [] });
  });
});
