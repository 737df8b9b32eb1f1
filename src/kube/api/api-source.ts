// The live Kubernetes API source: one reflector (list+watch loop) per resource and namespace
// the configuration needs, all feeding one sink. Design decision: start() waits for every first
// list, but at most `startupWaitMs` (5 s, as CoreDNS waits before serving): an unreachable API
// server never fails start-up; the sink stays unsynced, so the cluster zones answer SERVFAIL,
// until every reflector has listed once; afterwards the last known data is served through any
// outage. Only a broken configuration (unreadable kubeconfig, unknown context) fails start().
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log.js';
import type { ObjectSink, ObjectSource } from '../objects.js';
import { DEFAULT_BACKOFF, type BackoffSettings } from './backoff.js';
import type { ApiConnection } from './connection.js';
import { programmingLatency, type ProgrammingLatency } from './programming-latency.js';
import { Reflector, type ReflectorSettings } from './reflector.js';
import { RESOURCES, type ApiResource } from './resources.js';

export interface ApiSourceOptions {
  /** `namespaces`: Services, EndpointSlices and Pods are followed in these only; empty for all. */
  namespaces: ReadonlySet<string>;
  /** `labels`: the label selector of Services and EndpointSlices, canonical. */
  labels: string | undefined;
  /** Follow Pods (`pods verified`). */
  pods: boolean;
  /** Follow EndpointSlices (everything but `noendpoints`). */
  endpoints: boolean;
}

export interface ApiSourceTuning {
  /** Objects per list page. */
  pageSize: number;
  /**
   * A request silent for this long is abandoned. kube-apiserver sends a bookmark about once a
   * minute on an idle watch, so the default (150 s) allows for one lost bookmark and some delay.
   */
  silenceMs: number;
  /** How long start() waits for the first lists. */
  startupWaitMs: number;
  backoff: BackoffSettings;
  /** `timeoutSeconds` of each watch: 5 to 10 minutes, at random, as client-go spreads them. */
  watchTimeoutSeconds: () => number;
}

export const DEFAULT_TUNING: ApiSourceTuning = {
  pageSize: 500,
  silenceMs: 150_000,
  startupWaitMs: 5000,
  backoff: DEFAULT_BACKOFF,
  watchTimeoutSeconds: () => 300 + Math.floor(Math.random() * 301),
};

/** Pods that hold no address any more are of no use to `pods verified`. */
export const POD_FIELD_SELECTOR = 'status.phase!=Failed,status.phase!=Succeeded';

export interface Watched {
  resource: ApiResource;
  namespace: string | undefined;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
}

/** The list+watch streams a configuration needs. */
export function watchedResources(options: ApiSourceOptions): Watched[] {
  const namespaces = options.namespaces.size > 0 ? [...options.namespaces].sort() : [undefined];
  const perNamespace = (resource: ApiResource, labelSelector: string | undefined, fieldSelector: string | undefined) =>
    namespaces.map((namespace) => ({ resource, namespace, labelSelector, fieldSelector }));
  return [
    { resource: RESOURCES.Namespace, namespace: undefined, labelSelector: undefined, fieldSelector: undefined },
    ...perNamespace(RESOURCES.Service, options.labels, undefined),
    // The EndpointSlice controller copies a service's labels onto its slices, so `labels` selects both, as in CoreDNS.
    ...(options.endpoints ? perNamespace(RESOURCES.EndpointSlice, options.labels, undefined) : []),
    ...(options.pods ? perNamespace(RESOURCES.Pod, undefined, POD_FIELD_SELECTOR) : []),
  ];
}

export class ApiSource implements ObjectSource {
  private readonly tuning: ApiSourceTuning;
  private readonly stopping = new AbortController();
  private runs: Promise<void>[] = [];
  private connection: ApiConnection | undefined;

  constructor(
    /** Loads the configuration; its errors fail start(). */
    private readonly connect: () => Promise<ApiConnection>,
    private readonly log: Logger,
    private readonly options: ApiSourceOptions,
    tuning: Partial<ApiSourceTuning> = {},
    private readonly latency: ProgrammingLatency = programmingLatency,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  async start(sink: ObjectSink): Promise<void> {
    const connection = await this.connect();
    const stop = this.stopping.signal;
    if (stop.aborted) return connection.close();
    this.connection = connection;
    const began = performance.now();
    const watched = watchedResources(this.options);
    let pending = watched.length;
    const listed = new AbortController();
    const reflectors = watched.map((w) => {
      const settings: ReflectorSettings = {
        ...w,
        pageSize: this.tuning.pageSize,
        silenceMs: this.tuning.silenceMs,
        backoff: this.tuning.backoff,
        watchTimeoutSeconds: this.tuning.watchTimeoutSeconds,
      };
      return new Reflector(connection, sink, this.log, settings, this.latency, () => {
        if (--pending > 0) return;
        sink.markSynced();
        this.log.info(`kubernetes: synced with ${connection.server} in ${Math.round(performance.now() - began)} ms`);
        listed.abort();
      });
    });
    this.log.info(`kubernetes: following ${reflectors.map((r) => r.name).join(', ')} at ${connection.server}`);
    this.runs = reflectors.map((r) => r.run(stop));
    const waited = AbortSignal.any([listed.signal, stop]);
    try {
      await sleep(this.tuning.startupWaitMs, undefined, { signal: waited });
      const late = reflectors.filter((r) => !r.synced).map((r) => r.name);
      this.log.warn(
        `kubernetes: ${late.join(', ')} not listed after ${this.tuning.startupWaitMs / 1000} s; ` +
          'serving SERVFAIL in the cluster zones until they are',
      );
    } catch {
      // Listed (or stopped) before the wait was over.
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.runs);
    this.connection?.close();
  }
}
