// The cache's counters, kept as plain objects for the `prometheus` plugin to read, named and
// labelled as CoreDNS's (coredns_cache_*{server, type, zones}). Design decision: counting is a
// field increment on the query path; the metric text is made only when someone reads it, from
// the live objects that cacheMetrics() lists.
import { serverLabel, zoneLabel } from '../../src/metrics/labels.js';
import type { CacheType } from './options.js';

export { zoneLabel };

/** The counters of one zone of one cache (the `zones` label). */
export interface ZoneCounters {
  /** coredns_cache_requests_total: questions for names in the zone. */
  requests: number;
  /** coredns_cache_hits_total{type}: answers given from an entry, fresh or stale. */
  hits: Record<CacheType, number>;
  /** coredns_cache_misses_total: requests - hits. */
  misses: number;
  /** coredns_cache_prefetch_total: entries refreshed ahead of expiry. */
  prefetch: number;
  /** coredns_cache_served_stale_total: answers given from expired entries. */
  servedStale: number;
  /** coredns_cache_evictions_total{type}: entries pushed out to make room. */
  evictions: Record<CacheType, number>;
}

/** One cache (one server block's `cache`). */
export interface CacheMetrics {
  /** The `server` label, as CoreDNS writes it: 'dns://:53'. */
  readonly server: string;
  /** coredns_cache_entries{type}: entries held now. */
  readonly entries: Record<CacheType, number>;
  /** Counters by zone, keyed as the `zones` label spells it ('cluster.local.', '.'). */
  readonly zones: Readonly<Record<string, ZoneCounters>>;
}

const live = new Set<CacheMetrics>();

/** Every running cache's metrics, live objects: read them, do not change them. */
export function cacheMetrics(): readonly CacheMetrics[] {
  return [...live];
}

/** Fresh zeroed metrics for a cache on `port` over `zones` (lower-case, no trailing dot). */
export function newCacheMetrics(port: number, zones: readonly string[]): CacheMetrics {
  const counters: Record<string, ZoneCounters> = {};
  for (const zone of zones) {
    counters[zoneLabel(zone)] = {
      requests: 0,
      hits: { success: 0, denial: 0 },
      misses: 0,
      prefetch: 0,
      servedStale: 0,
      evictions: { success: 0, denial: 0 },
    };
  }
  return { server: serverLabel('', port), entries: { success: 0, denial: 0 }, zones: counters };
}

/** Lists `metrics` in cacheMetrics() until unpublished (the plugin's start and stop). */
export function publish(metrics: CacheMetrics): void {
  live.add(metrics);
}

export function unpublish(metrics: CacheMetrics): void {
  live.delete(metrics);
}
