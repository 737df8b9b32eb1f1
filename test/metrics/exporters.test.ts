// The counters kept as plain objects, read at scrape time under CoreDNS's names, labels and
// buckets: the caches (summed over a cache's zones, as CoreDNS labels a cache by all its zones),
// the upstream exchanges (proxy_name="forward") and the Kubernetes programming latency.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { programmingLatency } from '../../src/kube/api/programming-latency.js';
import { registerExporters } from '../../src/metrics/exporters.js';
import { countConnection, countHealthcheckFailure, countIgnored, observeRequest, upstreamMetrics } from '../../src/upstream/metrics.js';
import { RCODE } from '../../src/dns/types.js';
import { answer, ask, denial, makeCache, serve, soa, started, upstream } from '../plugins/cache/harness.js';
import { family, sample } from './exposition.js';

async function scrape(): Promise<string> {
  const registry = new Registry();
  registerExporters(registry);
  return registry.metrics();
}

test('cache: requests, hits, misses and entries of a running cache, its zones in one label', async () => {
  const c = makeCache('cache {\n success 1\n}', 'example.org sub.example.org');
  await started(c);
  try {
    const up = upstream((q) => (q.name.startsWith('gone') ? denial(RCODE.NXDOMAIN, soa(60, 60)) : answer(`${q.name}. 60 IN A 192.0.2.1`)));
    for (const name of ['a.example.org', 'a.example.org', 'b.sub.example.org', 'gone.example.org', 'gone.example.org', 'a.example.org']) {
      await serve(c, ask(name), up.next);
    }
    const text = await scrape();
    const labels = { server: 'dns://:53', zones: 'example.org.,sub.example.org.', view: '' };
    assert.equal(sample(text, 'coredns_cache_requests_total', labels), 6);
    assert.equal(sample(text, 'coredns_cache_hits_total', { ...labels, type: 'success' }), 1);
    assert.equal(sample(text, 'coredns_cache_hits_total', { ...labels, type: 'denial' }), 1);
    assert.equal(sample(text, 'coredns_cache_misses_total', labels), 4);
    // Capacity 1: b.sub.example.org pushed a.example.org out, and a.example.org came back.
    assert.equal(sample(text, 'coredns_cache_evictions_total', { ...labels, type: 'success' }), 2);
    assert.equal(sample(text, 'coredns_cache_evictions_total', { ...labels, type: 'denial' }), 0);
    assert.equal(sample(text, 'coredns_cache_entries', { ...labels, type: 'success' }), 1);
    assert.equal(sample(text, 'coredns_cache_entries', { ...labels, type: 'denial' }), 1);
    assert.equal(sample(text, 'coredns_cache_prefetch_total', labels), 0);
    assert.equal(sample(text, 'coredns_cache_served_stale_total', labels), 0);
  } finally {
    await c.plugin.stop!();
  }
  assert.equal(family(await scrape(), 'coredns_cache_requests_total').length, 0, 'a stopped cache is no longer exported');
});

test('upstream: request durations in CoreDNS buckets, health check failures, connection reuse, ignored answers', async () => {
  const to = '192.0.2.53:53';
  observeRequest(to, 'NOERROR', 0.0004);
  observeRequest(to, 'NOERROR', 0.02);
  observeRequest(to, 'NXDOMAIN', 0.0001);
  countHealthcheckFailure(to);
  countHealthcheckFailure(to);
  countConnection(to, 'tcp', true);
  countConnection(to, 'tcp', false);
  countConnection(to, 'tcp', false);
  countIgnored(to, 'id');
  upstreamMetrics().healthcheckBroken += 3;
  upstreamMetrics().maxConcurrentRejects += 4;
  const text = await scrape();
  const noerror = { proxy_name: 'forward', to, rcode: 'NOERROR' };
  assert.equal(sample(text, 'coredns_proxy_request_duration_seconds_count', noerror), 2);
  assert.ok(Math.abs(sample(text, 'coredns_proxy_request_duration_seconds_sum', noerror) - 0.0204) < 1e-12);
  const buckets = family(text, 'coredns_proxy_request_duration_seconds_bucket').filter((b) => b.labels.rcode === 'NOERROR');
  assert.deepEqual(
    buckets.map((b) => [b.labels.le, b.value]),
    [
      ['0.00025', 0], ['0.0005', 1], ['0.001', 1], ['0.002', 1], ['0.004', 1], ['0.008', 1], ['0.016', 1], ['0.032', 2], ['0.064', 2],
      ['0.128', 2], ['0.256', 2], ['0.512', 2], ['1.024', 2], ['2.048', 2], ['4.096', 2], ['8.192', 2], ['+Inf', 2],
    ],
  );
  assert.equal(sample(text, 'coredns_proxy_request_duration_seconds_bucket', { proxy_name: 'forward', to, rcode: 'NXDOMAIN', le: '0.00025' }), 1);
  assert.equal(sample(text, 'coredns_proxy_healthcheck_failures_total', { proxy_name: 'forward', to }), 2);
  assert.equal(sample(text, 'coredns_proxy_conn_cache_hits_total', { proxy_name: 'forward', to, proto: 'tcp' }), 1);
  assert.equal(sample(text, 'coredns_proxy_conn_cache_misses_total', { proxy_name: 'forward', to, proto: 'tcp' }), 2);
  assert.equal(sample(text, 'clusterdns_proxy_ignored_answers_total', { proxy_name: 'forward', to, reason: 'id' }), 1);
  assert.equal(sample(text, 'coredns_forward_healthcheck_broken_total'), 3);
  assert.equal(sample(text, 'coredns_forward_max_concurrent_rejects_total'), 4);
});

test('kubernetes: programming latency of headless services in CoreDNS buckets (1 ms doubling 20 times)', async () => {
  const now = 1_700_000_000_000;
  programmingLatency.sliceProgrammed(now - 1500, now);
  programmingLatency.sliceProgrammed(now - 3, now);
  const text = await scrape();
  const labels = { service_kind: 'headless_with_selector' };
  const name = 'coredns_kubernetes_dns_programming_duration_seconds';
  assert.equal(sample(text, `${name}_count`, labels), 2);
  assert.ok(Math.abs(sample(text, `${name}_sum`, labels) - 1.503) < 1e-12);
  const buckets = family(text, `${name}_bucket`);
  assert.equal(buckets.length, 21);
  assert.deepEqual(buckets.slice(0, 3).map((b) => [b.labels.le, b.value]), [['0.001', 0], ['0.002', 0], ['0.004', 1]]);
  assert.deepEqual(buckets.slice(10, 12).map((b) => [b.labels.le, b.value]), [['1.024', 1], ['2.048', 2]]);
  assert.deepEqual(buckets[19]!.labels, { service_kind: 'headless_with_selector', le: '524.288' });
  assert.match(text, /# TYPE coredns_kubernetes_event_to_index_duration_seconds histogram/);
});

test('registering again on the same registry (another block, a reload) keeps one metric per name', async () => {
  const registry = new Registry();
  registerExporters(registry);
  const names = registry.getMetricsAsArray().length;
  assert.doesNotThrow(() => registerExporters(registry));
  assert.equal(registry.getMetricsAsArray().length, names);
});
