// The request-duration histogram kept for coredns_proxy_request_duration_seconds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DURATION_BUCKETS, observeRequest, upstreamMetrics } from '../../src/upstream/metrics.js';

test('buckets are 0.25 ms doubling 16 times, as CoreDNS', () => {
  assert.equal(DURATION_BUCKETS.length, 16);
  assert.equal(DURATION_BUCKETS[0], 0.00025);
  for (let i = 1; i < 16; i++) assert.equal(DURATION_BUCKETS[i], DURATION_BUCKETS[i - 1]! * 2);
});

test('observations are counted per upstream and rcode, summed, and bucketed cumulatively', () => {
  const to = '203.0.113.1:53';
  for (const s of [0.0001, 0.0003, 0.003, 100]) observeRequest(to, 'NOERROR', s);
  observeRequest(to, 'SERVFAIL', 0.0001);
  const h = upstreamMetrics().requestDuration.get(`${to} NOERROR`)!;
  assert.deepEqual(h.labels, { to, rcode: 'NOERROR' });
  assert.equal(h.count, 4);
  assert.ok(Math.abs(h.sum - 100.0034) < 1e-9);
  // ≤0.25 ms: 1; ≤0.5 ms: 2; ≤1 ms and ≤2 ms: 2; ≤4 ms and above: 3 (100 s is beyond every bucket).
  assert.deepEqual(h.buckets.slice(0, 5), [1, 2, 2, 2, 3]);
  assert.equal(h.buckets.at(-1), 3);
  assert.equal(upstreamMetrics().requestDuration.get(`${to} SERVFAIL`)!.count, 1);
});
