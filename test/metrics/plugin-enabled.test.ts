// coredns_plugin_enabled follows the blocks that run: a series per server, zone and plugin while
// the block runs, kept through a reload's overlap when both configurations have it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { enabledBlocks, type EnabledBlock } from '../../src/metrics/plugin-enabled.js';
import { family, sample } from './exposition.js';

const enabled = async (registry: Registry) =>
  family(await registry.metrics(), 'coredns_plugin_enabled').map((s) => `${s.labels.server} ${s.labels.zone} ${s.labels.name}=${s.value}`);

test('one series per server, zone and plugin of each running block', async () => {
  const registry = new Registry();
  const block: EnabledBlock = { servers: ['dns://127.0.0.1:53', 'dns://[::1]:53'], zones: ['cluster.local.', 'in-addr.arpa.'], names: ['prometheus', 'kubernetes'] };
  enabledBlocks(registry).add(block);
  assert.equal((await enabled(registry)).length, 8);
  assert.equal(sample(await registry.metrics(), 'coredns_plugin_enabled', { server: 'dns://[::1]:53', zone: 'in-addr.arpa.', view: '', name: 'kubernetes' }), 1);
});

test('a reload: the old block stopping after the new one started keeps the series both have, drops the others', async () => {
  const registry = new Registry();
  const old: EnabledBlock = { servers: ['dns://:53'], zones: ['.'], names: ['prometheus', 'cache', 'forward'] };
  const next: EnabledBlock = { servers: ['dns://:53'], zones: ['.'], names: ['prometheus', 'forward'] };
  enabledBlocks(registry).add(old);
  enabledBlocks(registry).add(next);
  enabledBlocks(registry).delete(old);
  assert.deepEqual((await enabled(registry)).sort(), ['dns://:53 . forward=1', 'dns://:53 . prometheus=1']);
});
