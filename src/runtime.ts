// What lives for the whole process, across reloads of the Corefile: the Prometheus registry, the
// server's own counters, the shutdown state, and the HTTP endpoints a configuration asks for.
// Design decision: a configuration (an App) is replaceable at any moment (reload), so everything
// an operator watches from outside (metrics, probes) hangs off the runtime, not off the App.
import { Registry } from 'prom-client';
import type { Logger } from './log.js';
import { newStats, type ServerStats } from './server/stats.js';

export interface Runtime {
  /** clusterdns's version, for coredns_build_info and the start-up line. */
  readonly version: string;
  readonly log: Logger;
  /** The registry /metrics exports; every metric of the process is registered here. */
  readonly metrics: Registry;
  /** Counters of the DNS server itself, shared by every configuration the process runs. */
  readonly stats: ServerStats;
  /** Set once SIGTERM/SIGINT arrived: `ready` answers 503 from then on while DNS still answers. */
  shuttingDown: boolean;
}

/** An HTTP answer, as the endpoints of `health`, `ready` and `prometheus` give them. */
export interface HttpAnswer {
  status: number;
  body: string;
  /** Content-Type; text/plain; charset=utf-8 when absent. */
  contentType?: string;
}

/** One HTTP endpoint a configuration serves: `GET path` on `address`. */
export interface HttpRoute {
  /** As the Corefile writes it: ':8080', '127.0.0.1:8181', '[::1]:9153'. */
  readonly address: string;
  readonly path: string;
  /** Which directive asked for it, for messages ('Corefile:12 health'). */
  readonly origin: string;
  handle(query: URLSearchParams): HttpAnswer | Promise<HttpAnswer>;
}

/** How `reload` wants the Corefile checked. */
export interface ReloadSettings {
  intervalMs: number;
  jitterMs: number;
}

/** A runtime with an empty registry and zeroed counters; metrics are registered by who owns them. */
export function createRuntime(version: string, log: Logger): Runtime {
  return { version, log, metrics: new Registry(), stats: newStats(), shuttingDown: false };
}
