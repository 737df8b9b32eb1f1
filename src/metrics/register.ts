// Get-or-create for the process's one Prometheus registry. A Corefile's setup runs again on every
// reload, and once per server block, against the same registry; a metric is made the first time
// its name is asked for and found by name afterwards, so its counts outlive configurations.
import type { Metric, Registry } from 'prom-client';

/**
 * The metric registered under `name` in `registry`, or the one `create` makes; `create` must pass
 * `registers` on to the metric (prom-client would otherwise register it in its global registry).
 */
export function ensureMetric<M extends Metric>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
