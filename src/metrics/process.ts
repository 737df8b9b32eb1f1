// What the process says about itself: coredns_build_info (with Node's version where CoreDNS puts
// Go's), coredns_panics_total read from the server's own counter, and prom-client's default
// process_* and nodejs_* metrics, the counterpart of the Go client's process and go_* collectors.
import { collectDefaultMetrics, Counter, Gauge } from 'prom-client';
import type { Runtime } from '../runtime.js';
import { ensureMetric } from './register.js';

/** A metric collectDefaultMetrics registers, to know whether it already ran on a registry. */
const DEFAULT_METRIC = 'process_cpu_user_seconds_total';

/** Registers the process metrics in `runtime.metrics`, once however often it is called. */
export function registerProcessMetrics(runtime: Runtime): void {
  const registry = runtime.metrics;
  ensureMetric(registry, 'coredns_build_info', (registers) => {
    const info = new Gauge({
      name: 'coredns_build_info',
      help: "A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.",
      labelNames: ['version', 'revision', 'goversion'],
      registers,
    });
    info.set({ version: runtime.version, revision: '', goversion: process.version }, 1);
    return info;
  });
  ensureMetric(
    registry,
    'coredns_panics_total',
    (registers) =>
      new Counter({
        name: 'coredns_panics_total',
        help: 'A metrics that counts the number of panics.',
        registers,
        collect() {
          this.reset();
          this.inc(runtime.stats.panics);
        },
      }),
  );
  if (!registry.getSingleMetric(DEFAULT_METRIC)) collectDefaultMetrics({ register: registry });
}
