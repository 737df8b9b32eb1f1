// A Prometheus histogram whose counts are kept elsewhere (upstream exchanges, programming latency)
// and read when the registry is scraped. prom-client's Histogram can only be fed observations one
// by one, which cannot rebuild a sum; this subclass renders the series its reader returns instead
// of the observations it was given (none).
import { Histogram, type MetricType, type Registry } from 'prom-client';

/** One labelled series as its keeper holds it. */
export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Observations at or below each bound, in the order of the bounds (cumulative, as exposed). */
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly count: number;
}

export interface SnapshotHistogramSpec {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly read: () => readonly HistogramSeries[];
}

type Exposition = Awaited<ReturnType<Histogram['get']>>;

export class SnapshotHistogram extends Histogram {
  private readonly spec: SnapshotHistogramSpec;

  constructor(spec: SnapshotHistogramSpec, registers: Registry[]) {
    // No label names: prom-client checks them only on observe(), and the series bring their own.
    super({ name: spec.name, help: spec.help, buckets: [...spec.buckets], registers });
    this.spec = spec;
  }

  override async get(): Promise<Exposition> {
    const { name, help, buckets } = this.spec;
    const values: Exposition['values'] = [];
    for (const s of this.spec.read()) {
      buckets.forEach((le, i) => values.push({ labels: { ...s.labels, le }, value: s.cumulative[i]!, metricName: `${name}_bucket` }));
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
    }
    // prom-client's typings declare its MetricType enum, but the library exports no value for it.
    return { name, help, type: 'histogram' as unknown as MetricType, aggregator: 'sum', values } as Exposition;
  }

  /** What the registry renders the text exposition from; the parent's would render its own (empty) observations. */
  getForPromString(): Promise<Exposition> {
    return this.get();
  }
}
