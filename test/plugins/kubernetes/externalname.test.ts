// Checklist section 6: ExternalName services, and the CNAME-first order of row 12.17.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authoritative, refused } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import type { Query } from '../../../src/plugin.js';
import { service } from '../../kube/build.js';
import { check, harness, makeQuery, SOA, table, type Harness } from './harness.js';

const EXTERNAL = 'external.testns.svc.cluster.local.';
const EXTERNAL_CNAME = `${EXTERNAL} 5 IN CNAME ext.interwebs.test.`;

/** An upstream that knows ext.interwebs.test (A only) and nothing else. */
function upstream(q: Query): Reply {
  if (q.lname !== 'ext.interwebs.test') return authoritative(RCODE.NXDOMAIN, []);
  if (q.type !== 'A') return authoritative(RCODE.NOERROR, []);
  return authoritative(RCODE.NOERROR, [{ name: q.name, type: 'A', ttl: 30, data: '1.2.3.4' }]);
}

async function withUpstream(next: Harness['upstream'], overrides: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = await harness(overrides);
  h.upstream = next;
  return h;
}

table(
  'ExternalName services',
  [
    { row: '6.1', q: `${EXTERNAL} CNAME`, answer: [EXTERNAL_CNAME] },
    { row: '6.2', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'], ordered: true, asked: ['ext.interwebs.test. A'] },
    { row: '6.2', q: `${EXTERNAL} AAAA`, answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. AAAA'] },
    { row: '6.2', q: `${EXTERNAL} SRV`, answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. SRV'] },
    { row: '6.2', q: `${EXTERNAL} TXT`, answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. TXT'] },
    {
      row: '6.2',
      q: 'ExTeRnAl.testns.svc.cluster.local. A',
      answer: ['ExTeRnAl.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 30 IN A 1.2.3.4'],
      ordered: true,
      asked: ['ext.interwebs.test. A'],
    },
    {
      row: '6.3',
      q: 'external-to-service.testns.svc.cluster.local. A',
      answer: ['external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
      ordered: true,
    },
    {
      row: '6.3',
      q: 'external-to-service.testns.svc.cluster.local. AAAA',
      answer: ['external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.'],
    },
    {
      row: '6.3',
      q: 'external-to-service.testns.svc.cluster.local. SRV',
      answer: [
        'external-to-service.testns.svc.cluster.local. 5 IN CNAME svc1.testns.svc.cluster.local.',
        'svc1.testns.svc.cluster.local. 5 IN SRV 0 100 80 svc1.testns.svc.cluster.local.',
      ],
      additional: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
      ordered: true,
    },
    {
      row: '6.3',
      q: 'external-to-headless.testns.svc.cluster.local. AAAA',
      answer: [
        'external-to-headless.testns.svc.cluster.local. 5 IN CNAME hdls1.testns.svc.cluster.local.',
        'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::1',
        'hdls1.testns.svc.cluster.local. 5 IN AAAA 5678:abcd::2',
      ],
      ordered: true,
    },
    {
      row: '6.3',
      q: 'external-chain.testns.svc.cluster.local. A',
      answer: [
        'external-chain.testns.svc.cluster.local. 5 IN CNAME external.testns.svc.cluster.local.',
        `${EXTERNAL_CNAME}`,
        'ext.interwebs.test. 30 IN A 1.2.3.4',
      ],
      ordered: true,
      asked: ['ext.interwebs.test. A'],
    },
    {
      row: '6.3',
      q: 'external-to-missing.testns.svc.cluster.local. A',
      answer: ['external-to-missing.testns.svc.cluster.local. 5 IN CNAME svc0.testns.svc.cluster.local.'],
    },
    {
      row: '6.3',
      q: 'external-loop.testns.svc.cluster.local. A',
      answer: ['external-loop.testns.svc.cluster.local. 5 IN CNAME external-loop.testns.svc.cluster.local.'],
    },
    { row: '6.4', q: 'extip.testns.svc.cluster.local. A', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.4', q: 'extip.testns.svc.cluster.local. CNAME', rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `endpoint.${EXTERNAL} CNAME`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `subdomain.subdomain.${EXTERNAL} CNAME`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '6.5', q: `endpoint.${EXTERNAL} A`, rcode: 'NXDOMAIN', authority: [SOA] },
    { row: '3.9', q: `_http._tcp.${EXTERNAL} SRV`, rcode: 'NXDOMAIN', authority: [SOA] },
  ],
  () => withUpstream(upstream),
);

table(
  'ExternalName services, upstream answers',
  [
    {
      row: '6.2',
      q: `${EXTERNAL} A`,
      answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'],
      ordered: true,
      truncated: true,
      asked: ['ext.interwebs.test. A'],
    },
  ],
  () =>
    withUpstream((q) => {
      const r = upstream(q);
      r.truncated = true;
      return r;
    }),
);

table(
  'ExternalName services, target unknown upstream',
  [{ row: '6.2', q: `${EXTERNAL} A`, rcode: 'NXDOMAIN', answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. A'] }],
  () => withUpstream(() => authoritative(RCODE.NXDOMAIN, [])),
);

table(
  'ExternalName services, no upstream',
  [{ row: '6.2', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. A'] }],
  () => withUpstream(() => refused()),
);

table(
  'ExternalName services, upstream failing',
  [{ row: '6.2', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. A'] }],
  () =>
    withUpstream(async () => {
      throw new Error('upstream down');
    }),
);

table(
  'ExternalName services with ignore empty_service',
  [
    { row: '6.7', q: `${EXTERNAL} CNAME`, answer: [EXTERNAL_CNAME] },
    { row: '6.7', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'], ordered: true, asked: ['ext.interwebs.test. A'] },
  ],
  () => withUpstream(upstream, { ignoreEmptyService: true }),
);

test('6.2 the upstream question is the client’s question for the target, wire form included', async () => {
  const h = await withUpstream(upstream);
  const asked: Query[] = [];
  const q = makeQuery(`${EXTERNAL} A`);
  await h.plugin.serve(q, (sub) => {
    asked.push(sub);
    return upstream(sub);
  });
  assert.equal(asked.length, 1);
  const sub = asked[0]!;
  assert.deepEqual([sub.name, sub.lname, sub.type, sub.qtype, sub.request.name, sub.request.qtype], ['ext.interwebs.test', 'ext.interwebs.test', 'A', 1, 'ext.interwebs.test', 1]);
  assert.equal(sub.request.id, q.request.id);
  assert.equal(sub.client, q.client);
  const wire = Buffer.concat([Buffer.from('\x03ext\x09interwebs\x04test\x00', 'latin1'), Buffer.from([0, 1, 0, 1])]);
  assert.deepEqual(sub.request.questionWire, wire);
});

test('6.6 changing externalName changes the CNAME; type ClusterIP turns it into an A record', async () => {
  const h = await withUpstream(upstream);
  h.store.upsert(service('testns', 'external', { type: 'ExternalName', externalName: 'moved.interwebs.test' }));
  await check(h, { q: `${EXTERNAL} CNAME`, answer: [`${EXTERNAL} 5 IN CNAME moved.interwebs.test.`] });
  h.store.upsert(service('testns', 'external', { clusterIPs: ['10.0.0.12'] }));
  await check(h, { q: `${EXTERNAL} A`, answer: [`${EXTERNAL} 5 IN A 10.0.0.12`] });
  await check(h, { q: `${EXTERNAL} CNAME`, authority: [SOA] });
  h.store.upsert(service('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test' }));
  await check(h, { q: `${EXTERNAL} CNAME`, answer: [EXTERNAL_CNAME] });
});
