// coredns_dns_*: what one recorded reply adds to each series, by exact value, with CoreDNS's label
// sets and buckets; and one set of metrics per registry, however many server blocks record into it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { RCODE } from '../../src/dns/types.js';
import { DnsMetrics, type Answered } from '../../src/metrics/dns.js';
import type { Query } from '../../src/plugin.js';
import { makeQuery } from '../plugins/kubernetes/harness.js';
import { family, sample } from './exposition.js';

const SERVER = 'dns://:53';
const ZONE = 'cluster.local.';

function query(text: string, fields: { transport?: 'udp' | 'tcp'; client?: string; size?: number; do?: boolean } = {}): Query {
  const q = makeQuery(text);
  const edns = fields.do === undefined ? undefined : { udpSize: 1232, version: 0, do: fields.do };
  return {
    ...q,
    request: { ...q.request, edns },
    transport: fields.transport ?? 'udp',
    client: { address: fields.client ?? '10.244.0.7', port: 40000 },
    size: fields.size ?? 50,
  };
}

function answered(q: Query, fields: Partial<Answered> = {}): Answered {
  return { server: SERVER, zone: ZONE, query: q, rcode: RCODE.NOERROR, plugin: 'kubernetes', size: 90, seconds: 0.0003, ...fields };
}

async function scrape(record: (m: DnsMetrics) => void): Promise<string> {
  const registry = new Registry();
  record(new DnsMetrics(registry));
  return registry.metrics();
}

test('requests_total counts by server, zone, view, proto, family and type', async () => {
  const text = await scrape((m) => {
    for (let i = 0; i < 3; i++) m.record(answered(query('a.default.svc.cluster.local. A')));
    m.record(answered(query('a.default.svc.cluster.local. A', { transport: 'tcp' })));
    m.record(answered(query('a.default.svc.cluster.local. AAAA', { client: 'fd00::7' })));
    m.record(answered(query('_x._tcp.default.svc.cluster.local. NAPTR')));
  });
  const labels = (proto: string, familyValue: string, type: string) => ({ server: SERVER, zone: ZONE, view: '', proto, family: familyValue, type });
  assert.equal(sample(text, 'coredns_dns_requests_total', labels('udp', '1', 'A')), 3);
  assert.equal(sample(text, 'coredns_dns_requests_total', labels('tcp', '1', 'A')), 1);
  assert.equal(sample(text, 'coredns_dns_requests_total', labels('udp', '2', 'AAAA')), 1);
  assert.equal(sample(text, 'coredns_dns_requests_total', labels('udp', '1', 'other')), 1);
  assert.equal(family(text, 'coredns_dns_requests_total').length, 4);
});

test('responses_total counts by rcode and the plugin that produced the reply; empty plugin when the server did', async () => {
  const text = await scrape((m) => {
    const q = query('a.default.svc.cluster.local. A');
    m.record(answered(q));
    m.record(answered(q, { rcode: RCODE.NXDOMAIN }));
    m.record(answered(q, { rcode: RCODE.NXDOMAIN }));
    m.record(answered(q, { plugin: 'cache' }));
    m.record(answered(q, { rcode: RCODE.SERVFAIL, plugin: '' }));
  });
  const labels = (rcode: string, plugin: string) => ({ server: SERVER, zone: ZONE, view: '', rcode, plugin });
  assert.equal(sample(text, 'coredns_dns_responses_total', labels('NOERROR', 'kubernetes')), 1);
  assert.equal(sample(text, 'coredns_dns_responses_total', labels('NXDOMAIN', 'kubernetes')), 2);
  assert.equal(sample(text, 'coredns_dns_responses_total', labels('NOERROR', 'cache')), 1);
  assert.equal(sample(text, 'coredns_dns_responses_total', labels('SERVFAIL', '')), 1);
});

test('do_requests_total counts only requests with the DO bit', async () => {
  const text = await scrape((m) => {
    m.record(answered(query('a.cluster.local. A', { do: true })));
    m.record(answered(query('a.cluster.local. A', { do: false })));
    m.record(answered(query('a.cluster.local. A')));
  });
  assert.equal(sample(text, 'coredns_dns_do_requests_total', { server: SERVER, zone: ZONE, view: '' }), 1);
});

test('request_duration_seconds: no type label, CoreDNS buckets (0.25 ms doubling to 8.192 s)', async () => {
  const text = await scrape((m) => {
    m.record(answered(query('a.cluster.local. A'), { seconds: 0.0003 }));
    m.record(answered(query('a.cluster.local. MX'), { seconds: 0.003 }));
  });
  const labels = { server: SERVER, zone: ZONE, view: '' };
  assert.equal(sample(text, 'coredns_dns_request_duration_seconds_count', labels), 2);
  assert.ok(Math.abs(sample(text, 'coredns_dns_request_duration_seconds_sum', labels) - 0.0033) < 1e-12);
  const buckets = family(text, 'coredns_dns_request_duration_seconds_bucket');
  assert.deepEqual(
    buckets.map((b) => b.labels.le),
    ['0.00025', '0.0005', '0.001', '0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256', '0.512', '1.024', '2.048', '4.096', '8.192', '+Inf'],
  );
  assert.deepEqual(buckets.map((b) => b.value), [0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(Object.keys(buckets[0]!.labels).sort(), ['le', 'server', 'view', 'zone']);
});

test('request and response sizes by proto, in CoreDNS size buckets', async () => {
  const text = await scrape((m) => {
    m.record(answered(query('a.cluster.local. A', { size: 45 }), { size: 480 }));
    m.record(answered(query('a.cluster.local. A', { transport: 'tcp', size: 60 }), { size: 9000 }));
  });
  const udp = { server: SERVER, zone: ZONE, view: '', proto: 'udp' };
  const tcp = { ...udp, proto: 'tcp' };
  assert.equal(sample(text, 'coredns_dns_request_size_bytes_sum', udp), 45);
  assert.equal(sample(text, 'coredns_dns_request_size_bytes_sum', tcp), 60);
  assert.equal(sample(text, 'coredns_dns_response_size_bytes_sum', udp), 480);
  assert.equal(sample(text, 'coredns_dns_response_size_bytes_sum', tcp), 9000);
  const bounds = family(text, 'coredns_dns_response_size_bytes_bucket').filter((b) => b.labels.proto === 'udp');
  assert.deepEqual(
    bounds.map((b) => b.labels.le),
    ['0', '100', '200', '300', '400', '511', '1023', '2047', '4095', '8291', '16000', '32000', '48000', '64000', '+Inf'],
  );
  assert.deepEqual(bounds.map((b) => b.value), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(sample(text, 'coredns_dns_response_size_bytes_bucket', { ...tcp, le: '8291' }), 0);
  assert.equal(sample(text, 'coredns_dns_response_size_bytes_bucket', { ...tcp, le: '16000' }), 1);
});

test('a second set on the same registry (another server block, a reload) counts into the same series', async () => {
  const registry = new Registry();
  new DnsMetrics(registry).record(answered(query('a.cluster.local. A')));
  new DnsMetrics(registry).record(answered(query('a.cluster.local. A')));
  const text = await registry.metrics();
  assert.equal(sample(text, 'coredns_dns_requests_total', { server: SERVER, zone: ZONE, view: '', proto: 'udp', family: '1', type: 'A' }), 2);
});
