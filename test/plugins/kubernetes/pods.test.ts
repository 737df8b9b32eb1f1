// Checklist section 7: pod names `<dashed-ip>.<ns>.pod.<zone>` in the three `pods` modes.
// podns holds pods foo (10.240.0.1) and bar (fd00:10:244::5); testns holds tp (172.0.0.2).
import { test } from 'node:test';
import { pod } from '../../kube/build.js';
import { check, harness, SOA, table, type Case } from './harness.js';

const FOO = '10-240-0-1.podns.pod.cluster.local.';
const BAR = 'fd00-10-244--5.podns.pod.cluster.local.';
const UNKNOWN = '172-0-0-2.podns.pod.cluster.local.';

/** Rows that hold in both modes that serve pod names. */
const served: (Case & { row: string })[] = [
  { row: '7.4', q: 'blah.pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.4', q: 'pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.4', q: '10-240-0-1.pod-nons.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.5', q: `${FOO} A`, answer: [`${FOO} 5 IN A 10.240.0.1`] },
  { row: '7.7', q: `${BAR} AAAA`, answer: [`${BAR} 5 IN AAAA fd00:10:244::5`] },
  { row: '7.8', q: `${FOO} AAAA`, authority: [SOA] },
  { row: '7.8', q: `${FOO} HINFO`, authority: [SOA] },
  { row: '7.8', q: `${BAR} A`, authority: [SOA] },
  { row: '7.9', q: 'podns.pod.cluster.local. A', authority: [SOA] },
  { row: '7.9', q: 'testns.pod.cluster.local. A', authority: [SOA] },
  { row: '10.1', q: '10-240-0-1.PodNS.Pod.Cluster.Local. A', answer: ['10-240-0-1.PodNS.Pod.Cluster.Local. 5 IN A 10.240.0.1'] },
  { row: '7.3', q: `x.${FOO} A`, rcode: 'NXDOMAIN', authority: [SOA] },
  { row: '7.3', q: 'blah.podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
];

table(
  'pods disabled',
  [
    { row: '7.1', q: `${FOO} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.1', q: `${BAR} AAAA`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.1', q: 'podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '8.1', q: 'pod.cluster.local. A', authority: [SOA] },
  ],
  () => harness(),
);

table(
  'pods insecure',
  [
    { row: '7.2', q: `${UNKNOWN} A`, answer: [`${UNKNOWN} 5 IN A 172.0.0.2`] },
    { row: '7.2', q: '1-2-3-4.default.pod.cluster.local. A', answer: ['1-2-3-4.default.pod.cluster.local. 5 IN A 1.2.3.4'] },
    { row: '7.3', q: 'blah.podns.pod.cluster.local. AAAA', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.3', q: 'blah.podns.pod.cluster.local. HINFO', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.3', q: '300-0-0-1.podns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.7', q: 'fd00-10-244--9.podns.pod.cluster.local. AAAA', answer: ['fd00-10-244--9.podns.pod.cluster.local. 5 IN AAAA fd00:10:244::9'] },
    { row: '7.8', q: `${UNKNOWN} AAAA`, authority: [SOA] },
    ...served,
  ],
  () => harness({ pods: 'insecure' }),
);

table(
  'pods verified',
  [
    { row: '7.6', q: `${UNKNOWN} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.6', q: '10-240-0-1.testns.pod.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '7.6', q: '172-0-0-2.testns.pod.cluster.local. A', answer: ['172-0-0-2.testns.pod.cluster.local. 5 IN A 172.0.0.2'] },
    { row: '7.6', q: 'fd00-10-244--9.podns.pod.cluster.local. AAAA', rcode: 'NXDOMAIN', authority: [SOA] },
    ...served,
  ],
  () => harness({ pods: 'verified' }),
);

test('7.5/7.6 verified follows pods as they come and go', async () => {
  const h = await harness({ pods: 'verified' });
  const name = '10-240-0-9.podns.pod.cluster.local.';
  await check(h, { q: `${name} A`, rcode: 'NXDOMAIN', authority: [SOA] });
  h.store.upsert(pod('podns', 'new', '10.240.0.9'));
  await check(h, { q: `${name} A`, answer: [`${name} 5 IN A 10.240.0.9`] });
  h.store.remove('Pod', 'podns', 'new');
  await check(h, { q: `${name} A`, rcode: 'NXDOMAIN', authority: [SOA] });
});
