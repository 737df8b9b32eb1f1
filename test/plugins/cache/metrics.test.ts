// The counters the prometheus plugin will read: listed while the cache runs, labelled by server
// and zone as CoreDNS labels them, each counting what its name says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheMetrics } from '../../../plugins/cache/index.js';
import { RCODE } from '../../../src/dns/types.js';
import { answer, ask, denial, makeCache, serve, soa, started, upstream } from './harness.js';

test('a cache lists its metrics from start to stop', async () => {
  const c = makeCache('cache example.org');
  assert.equal(cacheMetrics().length, 0);
  const metrics = await started(c);
  assert.deepEqual(cacheMetrics(), [metrics]);
  assert.equal(metrics.server, 'dns://:53');
  await c.plugin.stop!();
  assert.equal(cacheMetrics().length, 0);
});

test('counters by zone (the longest zone that holds the name) and type', async () => {
  const c = makeCache('cache example.org sub.example.org');
  const metrics = await started(c);
  try {
    const up = upstream((q) => (q.name.startsWith('gone') ? denial(RCODE.NXDOMAIN, soa(60, 60)) : answer(`${q.name}. 60 IN A 192.0.2.1`)));
    const questions = ['a.example.org', 'a.example.org', 'a.example.org', 'gone.example.org', 'gone.example.org', 'b.sub.example.org', 'other.net'];
    for (const name of questions) await serve(c, ask(name), up.next);
    assert.deepEqual(metrics.zones, {
      'example.org.': { requests: 5, hits: { success: 2, denial: 1 }, misses: 2, prefetch: 0, servedStale: 0, evictions: { success: 0, denial: 0 } },
      'sub.example.org.': { requests: 1, hits: { success: 0, denial: 0 }, misses: 1, prefetch: 0, servedStale: 0, evictions: { success: 0, denial: 0 } },
    });
    assert.deepEqual(metrics.entries, { success: 2, denial: 1 });
  } finally {
    await c.plugin.stop!();
  }
});

test('the root zone is labelled "."', async () => {
  const c = makeCache();
  const metrics = await started(c);
  await c.plugin.stop!();
  assert.deepEqual(Object.keys(metrics.zones), ['.']);
});
