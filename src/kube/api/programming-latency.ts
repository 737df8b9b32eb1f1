// How long a change in the cluster takes to reach the answers, kept as histograms with CoreDNS's
// buckets: `coredns_kubernetes_dns_programming_duration_seconds{service_kind}` (from the
// EndpointSlice controller's trigger time to the index, for headless services, as CoreDNS
// measures it) and `coredns_kubernetes_event_to_index_duration_seconds{resource}` (from a watch
// event's arrival to the index). Design decision: the figures live in one process-wide
// recorder, as CoreDNS's live in Prometheus's default registry; the prometheus plugin will read
// them through `metrics()`, so nothing here knows about the exposition format.
import type { KubeKind } from '../objects.js';
import { RESOURCES } from './resources.js';

/** CoreDNS's buckets: 1 ms doubling 20 times (prometheus.ExponentialBuckets(0.001, 2, 20)). */
export const BUCKETS: readonly number[] = Array.from({ length: 20 }, (_, i) => 0.001 * 2 ** i);

export const PROGRAMMING_METRIC = 'coredns_kubernetes_dns_programming_duration_seconds';
export const EVENT_METRIC = 'coredns_kubernetes_event_to_index_duration_seconds';

const TRIGGER_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export interface HistogramSnapshot {
  /** Cumulative counts per upper bound, +Inf not included (it is `count`). */
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'histogram';
  series: { labels: Record<string, string>; value: HistogramSnapshot }[];
}

export class Histogram {
  private readonly counts = new Array<number>(BUCKETS.length).fill(0);
  private sum = 0;
  private count = 0;

  observe(seconds: number): void {
    const i = BUCKETS.findIndex((le) => seconds <= le);
    if (i >= 0) this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const buckets = BUCKETS.map((le, i) => ({ le, count: (running += this.counts[i]!) }));
    return { buckets, sum: this.sum, count: this.count };
  }
}

export class ProgrammingLatency {
  private readonly programming = new Map<string, Histogram>();
  private readonly events = new Map<string, Histogram>();

  /** A watch event of `kind` reached the index `seconds` after it arrived. */
  eventApplied(kind: KubeKind, seconds: number): void {
    histogram(this.events, RESOURCES[kind].plural).observe(seconds);
  }

  /**
   * A change of an EndpointSlice reached the index at `now` (ms since the epoch); `trigger` is what
   * `lastChangeTrigger` read from it. Clock skew between the control plane and this node can make
   * the difference negative: it counts as zero.
   */
  sliceProgrammed(trigger: number, now: number = Date.now()): void {
    // The trigger time is set only by the EndpointSlice controller, i.e. for services with a selector.
    histogram(this.programming, 'headless_with_selector').observe(Math.max(0, now - trigger) / 1000);
  }

  metrics(): MetricFamily[] {
    const series = (byLabel: Map<string, Histogram>, label: string) =>
      [...byLabel].sort(([a], [b]) => a.localeCompare(b)).map(([value, h]) => ({ labels: { [label]: value }, value: h.snapshot() }));
    return [
      {
        name: PROGRAMMING_METRIC,
        help: 'Histogram of the time (in seconds) it took to program a dns instance.',
        type: 'histogram',
        series: series(this.programming, 'service_kind'),
      },
      {
        name: EVENT_METRIC,
        help: 'Histogram of the time (in seconds) from a watch event arriving to the index holding it.',
        type: 'histogram',
        series: series(this.events, 'resource'),
      },
    ];
  }
}

/** The process's figures. */
export const programmingLatency = new ProgrammingLatency();

/**
 * The last-change-trigger-time of a raw EndpointSlice, in ms since the epoch, when the slice
 * belongs to a headless service (the controller labels those slices) and carries one; `invalid`
 * holds an annotation that is not an RFC 3339 time.
 */
export function lastChangeTrigger(raw: unknown): { at: number } | { invalid: string } | undefined {
  const metadata = (raw as { metadata?: { labels?: unknown; annotations?: unknown } } | null)?.metadata;
  const labels = metadata?.labels as Record<string, unknown> | undefined;
  const annotations = metadata?.annotations as Record<string, unknown> | undefined;
  if (typeof labels !== 'object' || labels === null || !Object.hasOwn(labels, HEADLESS_LABEL)) return undefined;
  const text = typeof annotations === 'object' && annotations !== null ? annotations[TRIGGER_ANNOTATION] : undefined;
  if (text === undefined) return undefined;
  const at = typeof text === 'string' && RFC3339.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? { invalid: String(text) } : { at };
}

function histogram(byLabel: Map<string, Histogram>, label: string): Histogram {
  let h = byLabel.get(label);
  if (!h) byLabel.set(label, (h = new Histogram()));
  return h;
}
