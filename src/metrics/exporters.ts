// The counters other parts keep as plain objects (the caches, the upstream exchanges, the
// Kubernetes programming latency), exposed under CoreDNS's names and labels. Design decision:
// nothing is copied on the query path; each metric reads the live objects when the registry is
// scraped (prom-client's `collect`), so counting stays a field increment where it happens.
import { Counter, Gauge, type Registry } from 'prom-client';
import { cacheMetrics, type ZoneCounters } from '../../plugins/cache/index.js';
import type { CacheType } from '../../plugins/cache/options.js';
import { BUCKETS as PROGRAMMING_BUCKETS, programmingLatency } from '../kube/api/programming-latency.js';
import { DURATION_BUCKETS, upstreamMetrics, type LabeledCount } from '../upstream/metrics.js';
import { NO_VIEW } from './labels.js';
import { ensureMetric } from './register.js';
import { SnapshotHistogram } from './snapshot-histogram.js';

/** The `proxy_name` label: every upstream exchange of clusterdns is made by `forward`. */
const PROXY_NAME = 'forward';
const CACHE_TYPES: readonly CacheType[] = ['success', 'denial'];

type Labels = Record<string, string>;
type Fill = (add: (labels: Labels, value: number) => void) => void;

/** Registers, once per registry, every metric read from the plain counters. */
export function registerExporters(registry: Registry): void {
  const counter = (name: string, help: string, labelNames: string[], fill: Fill) =>
    ensureMetric(
      registry,
      name,
      (registers) =>
        new Counter({
          name,
          help,
          labelNames,
          registers,
          collect() {
            this.reset();
            fill((labels, value) => this.inc(labels, value));
          },
        }),
    );
  registerCache(registry, counter);
  registerUpstream(registry, counter);
  for (const family of programmingLatency.metrics()) {
    ensureMetric(
      registry,
      family.name,
      (registers) =>
        new SnapshotHistogram(
          {
            name: family.name,
            help: family.help,
            buckets: PROGRAMMING_BUCKETS,
            read: () =>
              (programmingLatency.metrics().find((f) => f.name === family.name)?.series ?? []).map((s) => ({
                labels: s.labels,
                cumulative: s.value.buckets.map((b) => b.count),
                sum: s.value.sum,
                count: s.value.count,
              })),
          },
          registers,
        ),
    );
  }
}

type CounterMaker = (name: string, help: string, labelNames: string[], fill: Fill) => Counter;

/**
 * coredns_cache_*{server, [type,] zones, view}. As in CoreDNS, `zones` names all the zones of one
 * cache, comma-separated, and its counters are the sums over them.
 */
function registerCache(registry: Registry, counter: CounterMaker): void {
  const caches = () =>
    cacheMetrics().map((m) => ({ m, labels: { server: m.server, zones: Object.keys(m.zones).join(','), view: NO_VIEW }, zones: Object.values(m.zones) }));
  const sum = (zones: readonly ZoneCounters[], pick: (z: ZoneCounters) => number) => zones.reduce((total, z) => total + pick(z), 0);
  const plain =
    (pick: (z: ZoneCounters) => number): Fill =>
    (add) => {
      for (const c of caches()) add(c.labels, sum(c.zones, pick));
    };
  const typed =
    (pick: (z: ZoneCounters, type: CacheType) => number): Fill =>
    (add) => {
      for (const c of caches()) for (const type of CACHE_TYPES) add({ ...c.labels, type }, sum(c.zones, (z) => pick(z, type)));
    };
  const zoneLabels = ['server', 'zones', 'view'];
  const typedLabels = ['server', 'type', 'zones', 'view'];
  counter('coredns_cache_requests_total', 'The count of cache requests.', zoneLabels, plain((z) => z.requests));
  counter('coredns_cache_hits_total', 'The count of cache hits.', typedLabels, typed((z, type) => z.hits[type]));
  counter(
    'coredns_cache_misses_total',
    'The count of cache misses. Deprecated, derive misses from cache hits/requests counters.',
    zoneLabels,
    plain((z) => z.misses),
  );
  counter('coredns_cache_prefetch_total', 'The number of times the cache has prefetched a cached item.', zoneLabels, plain((z) => z.prefetch));
  counter('coredns_cache_served_stale_total', 'The number of requests served from stale cache entries.', zoneLabels, plain((z) => z.servedStale));
  counter('coredns_cache_evictions_total', 'The count of cache evictions.', typedLabels, typed((z, type) => z.evictions[type]));
  const name = 'coredns_cache_entries';
  ensureMetric(
    registry,
    name,
    (registers) =>
      new Gauge({
        name,
        help: 'The number of elements in the cache.',
        labelNames: typedLabels,
        registers,
        collect() {
          this.reset();
          for (const c of caches()) for (const type of CACHE_TYPES) this.set({ ...c.labels, type }, c.m.entries[type]);
        },
      }),
  );
}

/** coredns_proxy_* (plugin/pkg/proxy), coredns_forward_* (plugin/forward) and our ignored answers. */
function registerUpstream(registry: Registry, counter: CounterMaker): void {
  const u = upstreamMetrics();
  const each =
    <L extends object>(map: Map<string, LabeledCount<L>>): Fill =>
    (add) => {
      for (const { labels, value } of map.values()) add({ proxy_name: PROXY_NAME, ...labels }, value);
    };
  const total = (read: () => number): Fill => (add) => add({}, read());
  counter('coredns_proxy_healthcheck_failures_total', 'Counter of the number of failed healthchecks.', ['proxy_name', 'to'], each(u.healthcheckFailures));
  counter(
    'coredns_proxy_conn_cache_hits_total',
    'Counter of connection cache hits per upstream and protocol.',
    ['proxy_name', 'to', 'proto'],
    each(u.connCacheHits),
  );
  counter(
    'coredns_proxy_conn_cache_misses_total',
    'Counter of connection cache misses per upstream and protocol.',
    ['proxy_name', 'to', 'proto'],
    each(u.connCacheMisses),
  );
  counter(
    'clusterdns_proxy_ignored_answers_total',
    'Counter of upstream answers dropped because their source, ID or question matched no query in flight.',
    ['proxy_name', 'to', 'reason'],
    each(u.ignoredAnswers),
  );
  counter('coredns_forward_healthcheck_broken_total', 'Counter of the number of complete failures of the healthchecks.', [], total(() => u.healthcheckBroken));
  counter(
    'coredns_forward_max_concurrent_rejects_total',
    'Counter of the number of queries rejected because the concurrent queries were at maximum.',
    [],
    total(() => u.maxConcurrentRejects),
  );
  const name = 'coredns_proxy_request_duration_seconds';
  ensureMetric(
    registry,
    name,
    (registers) =>
      new SnapshotHistogram(
        {
          name,
          help: 'Histogram of the time each request took.',
          buckets: DURATION_BUCKETS,
          read: () =>
            [...u.requestDuration.values()].map((h) => ({
              labels: { proxy_name: PROXY_NAME, ...h.labels },
              cumulative: h.buckets,
              sum: h.sum,
              count: h.count,
            })),
        },
        registers,
      ),
  );
}
