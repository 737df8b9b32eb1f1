// The metrics of reloading (src/reload.ts, the reload plugin), named as CoreDNS's. They live in
// the process's registry, not in a configuration, so a count survives the reloads it counts.
import { Counter, Gauge, type Registry } from 'prom-client';
import { ensureMetric } from './register.js';

const FAILED = 'coredns_reload_failed_total';
const VERSION = 'coredns_reload_version_info';

export interface ReloadMetrics {
  /** Failed reload attempts. */
  readonly failed: Counter;
  /** 1, labelled with the hash of the Corefile last tried; absent until the first reload. */
  readonly version: Gauge<'hash' | 'value'>;
}

export function reloadMetrics(registry: Registry): ReloadMetrics {
  return {
    failed: ensureMetric(
      registry,
      FAILED,
      (registers) => new Counter({ name: FAILED, help: 'Counter of the number of failed reload attempts.', registers }),
    ),
    version: ensureMetric(
      registry,
      VERSION,
      (registers) =>
        new Gauge({
          name: VERSION,
          help: "A metric with a constant '1' value labeled by hash, and value which type of hash generated.",
          labelNames: ['hash', 'value'] as const,
          registers,
        }),
    ),
  };
}

/** Labels the version gauge with `sha512`, the hash of the Corefile just tried, and drops the previous one. */
export function markTried(metrics: ReloadMetrics, sha512: string): void {
  metrics.version.reset();
  metrics.version.set({ hash: 'sha512', value: sha512 }, 1);
}
