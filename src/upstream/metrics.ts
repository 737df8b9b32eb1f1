// Counters of every upstream exchange in the process, kept in plain objects that the prometheus
// plugin will export under CoreDNS's metric names. Process-wide on purpose, as Prometheus metrics
// are: the `to` label ("IP:port") keeps upstreams, and so forward plugins, apart.

/** The bounds of coredns_proxy_request_duration_seconds: 0.25 ms doubling 16 times, as CoreDNS. */
export const DURATION_BUCKETS: readonly number[] = Array.from({ length: 16 }, (_, i) => 0.00025 * 2 ** i);

export interface DurationHistogram {
  readonly labels: { readonly to: string; readonly rcode: string };
  /** Observations at or below each of DURATION_BUCKETS (cumulative, as Prometheus exports them). */
  readonly buckets: number[];
  count: number;
  sum: number;
}

export interface LabeledCount<L> {
  readonly labels: L;
  value: number;
}

export interface UpstreamMetrics {
  /** coredns_proxy_request_duration_seconds{to, rcode}: one per upstream exchange that got an answer. */
  readonly requestDuration: Map<string, DurationHistogram>;
  /** coredns_proxy_healthcheck_failures_total{to} */
  readonly healthcheckFailures: Map<string, LabeledCount<{ to: string }>>;
  /** coredns_proxy_conn_cache_hits_total{to, proto}: a query sent on an open TCP connection. */
  readonly connCacheHits: Map<string, LabeledCount<{ to: string; proto: string }>>;
  /** coredns_proxy_conn_cache_misses_total{to, proto}: a query that had to open one. */
  readonly connCacheMisses: Map<string, LabeledCount<{ to: string; proto: string }>>;
  /**
   * Answers dropped because their source, ID or question did not match a query in flight
   * (spoofing attempts, late answers); clusterdns_proxy_ignored_answers_total{to, reason}.
   */
  readonly ignoredAnswers: Map<string, LabeledCount<{ to: string; reason: IgnoredReason }>>;
  /** coredns_forward_healthcheck_broken_total: queries sent while every upstream was down. */
  healthcheckBroken: number;
  /** coredns_forward_max_concurrent_rejects_total */
  maxConcurrentRejects: number;
}

export type IgnoredReason = 'source' | 'id' | 'question';

const metrics: UpstreamMetrics = {
  requestDuration: new Map(),
  healthcheckFailures: new Map(),
  connCacheHits: new Map(),
  connCacheMisses: new Map(),
  ignoredAnswers: new Map(),
  healthcheckBroken: 0,
  maxConcurrentRejects: 0,
};

/** The live counters; read them, do not replace them. */
export function upstreamMetrics(): UpstreamMetrics {
  return metrics;
}

export function observeRequest(to: string, rcode: string, seconds: number): void {
  const key = `${to} ${rcode}`;
  let h = metrics.requestDuration.get(key);
  if (!h) {
    h = { labels: { to, rcode }, buckets: DURATION_BUCKETS.map(() => 0), count: 0, sum: 0 };
    metrics.requestDuration.set(key, h);
  }
  h.count++;
  h.sum += seconds;
  for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) h.buckets[i]!++;
}

export function countHealthcheckFailure(to: string): void {
  increment(metrics.healthcheckFailures, to, { to });
}

export function countConnection(to: string, proto: string, reused: boolean): void {
  increment(reused ? metrics.connCacheHits : metrics.connCacheMisses, `${to} ${proto}`, { to, proto });
}

export function countIgnored(to: string, reason: IgnoredReason): void {
  increment(metrics.ignoredAnswers, `${to} ${reason}`, { to, reason });
}

/** The value of one labeled counter, 0 when it was never incremented; for tests and the exporter alike. */
export function countOf<L>(map: Map<string, LabeledCount<L>>, ...labelValues: string[]): number {
  return map.get(labelValues.join(' '))?.value ?? 0;
}

function increment<L>(map: Map<string, LabeledCount<L>>, key: string, labels: L): void {
  const entry = map.get(key);
  if (entry) entry.value++;
  else map.set(key, { labels, value: 1 });
}
