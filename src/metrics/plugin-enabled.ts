// coredns_plugin_enabled{server, zone, view, name}: 1 for each plugin of each running server block.
// Design decision: the gauge is computed at scrape time from the blocks that are running now,
// each listed from its start to its stop, so a reload that drops a plugin drops its series, and
// the overlap of old and new configuration during a reload never removes a series both have.
import { Gauge, type Registry } from 'prom-client';
import { NO_VIEW } from './labels.js';
import { ensureMetric } from './register.js';

const NAME = 'coredns_plugin_enabled';

/** The plugins of one server block: its `server` labels (one per listen address), zones and plugin names. */
export interface EnabledBlock {
  readonly servers: readonly string[];
  readonly zones: readonly string[];
  readonly names: readonly string[];
}

const running = new WeakMap<Registry, Set<EnabledBlock>>();

/** The set of running blocks `registry`'s coredns_plugin_enabled is computed from; add on start, delete on stop. */
export function enabledBlocks(registry: Registry): Set<EnabledBlock> {
  let blocks = running.get(registry);
  if (blocks) return blocks;
  const live = new Set<EnabledBlock>();
  ensureMetric(
    registry,
    NAME,
    (registers) =>
      new Gauge({
        name: NAME,
        help: 'A metric that indicates whether a plugin is enabled on per server and zone basis.',
        labelNames: ['server', 'zone', 'view', 'name'],
        registers,
        collect() {
          this.reset();
          for (const b of live) for (const server of b.servers) for (const zone of b.zones) for (const name of b.names) this.set({ server, zone, view: NO_VIEW, name }, 1);
        },
      }),
  );
  running.set(registry, (blocks = live));
  return blocks;
}
