// The process's own metrics: build info, panics read from the server's counter, prom-client's
// process_* defaults; registered once per runtime however many blocks and reloads ask.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryLogger } from '../../src/log.js';
import { registerProcessMetrics } from '../../src/metrics/process.js';
import { createRuntime } from '../../src/runtime.js';
import { family, sample } from './exposition.js';

test('coredns_build_info carries the version, an empty revision and the Node version', async () => {
  const runtime = createRuntime('1.2.3', memoryLogger());
  registerProcessMetrics(runtime);
  const text = await runtime.metrics.metrics();
  assert.equal(sample(text, 'coredns_build_info', { version: '1.2.3', revision: '', goversion: process.version }), 1);
});

test('coredns_panics_total is what the server counted when scraped', async () => {
  const runtime = createRuntime('1.2.3', memoryLogger());
  registerProcessMetrics(runtime);
  assert.equal(sample(await runtime.metrics.metrics(), 'coredns_panics_total'), 0);
  runtime.stats.panics += 2;
  assert.equal(sample(await runtime.metrics.metrics(), 'coredns_panics_total'), 2);
});

test('process metrics, and one registration however often asked', async () => {
  const runtime = createRuntime('1.2.3', memoryLogger());
  registerProcessMetrics(runtime);
  const count = runtime.metrics.getMetricsAsArray().length;
  assert.doesNotThrow(() => registerProcessMetrics(runtime));
  assert.equal(runtime.metrics.getMetricsAsArray().length, count);
  const text = await runtime.metrics.metrics();
  assert.equal(family(text, 'process_cpu_user_seconds_total').length, 1);
  assert.ok(sample(text, 'process_resident_memory_bytes') > 0);
});
