// Capacity is a hard bound: a flood of unique names evicts the least recently used entries
// instead of growing memory, per type, and every eviction is counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CAPACITY } from '../../../plugins/cache/options.js';
import { RCODE } from '../../../src/dns/types.js';
import { answer, ask, denial, makeCache, serve, soa, started, upstream } from './harness.js';

test(`a flood of unique names never holds more than the default ${DEFAULT_CAPACITY} entries`, async () => {
  const c = makeCache();
  const metrics = await started(c);
  try {
    const flood = DEFAULT_CAPACITY + 600;
    const up = upstream((q) => answer(`${q.name}. 300 IN A 192.0.2.1`));
    let most = 0;
    for (let i = 0; i < flood; i++) {
      await serve(c, ask(`n${i}.example.org`), up.next);
      most = Math.max(most, metrics.entries.success);
    }
    assert.equal(most, DEFAULT_CAPACITY);
    assert.equal(metrics.zones['.']!.evictions.success, flood - DEFAULT_CAPACITY);
    await serve(c, ask(`n${flood - 1}.example.org`), up.next);
    assert.equal(up.asked.length, flood, 'the newest name is still cached');
    await serve(c, ask('n0.example.org'), up.next);
    assert.equal(up.asked.length, flood + 1, 'the oldest name was evicted');
  } finally {
    await c.plugin.stop!();
  }
});

test('denials have a capacity of their own', async () => {
  const c = makeCache('cache {\n denial 100\n}');
  const metrics = await started(c);
  try {
    await serve(c, ask('www.example.org'), () => answer('www.example.org. 300 IN A 192.0.2.1'));
    for (let i = 0; i < 1000; i++) await serve(c, ask(`gone${i}.example.org`), () => denial(RCODE.NXDOMAIN, soa(300, 300)));
    assert.deepEqual(metrics.entries, { success: 1, denial: 100 });
    assert.deepEqual(metrics.zones['.']!.evictions, { success: 0, denial: 900 });
  } finally {
    await c.plugin.stop!();
  }
});

test('the least recently used entry goes first, not the oldest', async () => {
  const c = makeCache('cache {\n success 3\n}');
  const up = upstream((q) => answer(`${q.name}. 300 IN A 192.0.2.1`));
  for (const name of ['a', 'b', 'c', 'a', 'd']) await serve(c, ask(`${name}.example.org`), up.next);
  assert.deepEqual(up.asked, ['a.example.org A', 'b.example.org A', 'c.example.org A', 'd.example.org A']);
  for (const name of ['a', 'c', 'd', 'b']) await serve(c, ask(`${name}.example.org`), up.next);
  assert.deepEqual(up.asked.slice(4), ['b.example.org A']);
});
