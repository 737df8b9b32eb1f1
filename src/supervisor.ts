// The process around the configurations: starts the first one from the Corefile, serves the HTTP
// endpoints of whichever configuration runs (`adopt`, also the way `reload` installs a new one),
// and shuts down on SIGTERM or SIGINT the way a Kubernetes pod should: /ready answers 503 at once,
// DNS and /health keep answering for the lameduck (`health { lameduck }`) while endpoints are
// withdrawn from Services, then the DNS listeners close (TCP queries in flight are answered
// first), the plugins stop and the HTTP servers close.
// With `reload`, the Corefile is watched from the end of start-up until the shutdown, and each
// change is started beside the running configuration and takes it over (src/reload.ts).
// Design decision: a second signal during the shutdown ends the process at once with status 2, as
// CoreDNS's second SIGINT does ("force quit"): whoever sends it does not want to wait any more.
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type App } from './app.js';
import { loadCorefile } from './config/parse.js';
import { HttpServers } from './http/servers.js';
import { reloadApp, watchCorefile } from './reload.js';
import type { Runtime } from './runtime.js';

export interface SupervisorOptions {
  /** Port for server blocks whose keys name none (`-dns.port`). */
  defaultPort?: number;
  /** Where SIGTERM and SIGINT come from: the process by default, an emitter in tests. */
  signals?: NodeJS.EventEmitter;
  /** Ends the process at once (the second signal): process.exit by default. */
  exit?: (code: number) => void;
}

/** The exit status of a shutdown cut short by a second signal. */
export const FORCED_EXIT = 2;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export class Supervisor {
  /** The HTTP endpoints of the running configuration (tests read bound ports from it). */
  readonly http: HttpServers;
  /** Resolves once a signal's shutdown has closed everything. */
  readonly stopped: Promise<void>;
  private running: App | undefined;
  /** The first configuration's way to listening with its HTTP endpoints; undefined before start(). */
  private launched: Promise<unknown> | undefined;
  private stopping = false;
  private markStopped!: () => void;
  private markStopping!: () => void;
  private readonly stoppingBegun: Promise<void>;
  private readonly signals: NodeJS.EventEmitter;
  private readonly exit: (code: number) => void;
  private readonly handlers = SIGNALS.map((name) => [name, () => this.signal(name)] as const);
  /** Ends the Corefile watch at shutdown. */
  private readonly watching = new AbortController();

  constructor(
    private readonly runtime: Runtime,
    private readonly options: SupervisorOptions = {},
  ) {
    this.http = new HttpServers(runtime.log);
    this.signals = options.signals ?? process;
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.stopped = new Promise((resolve) => (this.markStopped = resolve));
    this.stoppingBegun = new Promise((resolve) => (this.markStopping = resolve));
  }

  /** The running configuration: the one adopted last (what a reload replaces). */
  get current(): App | undefined {
    return this.running;
  }

  /**
   * Runs the Corefile at `corefilePath`: resolves once its plugins have started (or a signal came
   * first); rejects, with everything it opened closed again, on a bad Corefile, an address in use
   * or a plugin that failed to start. Signals are handled from the first moment.
   */
  async start(corefilePath: string): Promise<void> {
    const { log } = this.runtime;
    for (const [name, handler] of this.handlers) this.signals.on(name, handler);
    const launching = this.launch(corefilePath);
    this.launched = launching;
    try {
      const app = await launching;
      await Promise.race([app.started, this.stoppingBegun]);
    } catch (err) {
      await this.current?.stop();
      await this.http.close();
      this.release();
      throw err;
    }
    if (this.runtime.shuttingDown) return;
    log.info(this.current!.ready() ? 'started, ready' : 'started, not ready yet (waiting for the cluster data)');
    this.watch(corefilePath);
  }

  /** With `reload`: checks the Corefile until the shutdown and swaps in each changed one that starts. */
  private watch(corefilePath: string): void {
    const settings = this.running?.reload;
    if (!settings) return;
    const { log } = this.runtime;
    const options = { log, defaultPort: this.options.defaultPort, runtime: this.runtime };
    const reload = async () => {
      const current = this.running!;
      const next = await reloadApp(current, corefilePath, options);
      if (next === current) return current.reload;
      if (this.stopping) {
        // The shutdown began during the reload and stopped what was running then: this goes too.
        await next.stop();
        return undefined;
      }
      try {
        await this.adopt(next);
      } catch (err) {
        // DNS already runs on the new configuration; only its HTTP endpoints are missing.
        this.running = next;
        log.error(`plugin/reload: ${(err as Error).message}`);
      }
      return next.reload;
    };
    watchCorefile(corefilePath, settings, reload, this.watching.signal).catch((err: unknown) => log.error(`plugin/reload: ${(err as Error).message}`));
  }

  /**
   * Makes `next` the running configuration: the HTTP servers serve its routes from now on (opened,
   * kept with new routes, or closed as addresses come and go) and a shutdown stops it. The
   * configuration it replaces is the caller's to retire. Rejects, having changed nothing, when
   * an address of `next` cannot be bound.
   */
  async adopt(next: App): Promise<void> {
    await this.http.apply(next.routes);
    this.running = next;
  }

  private async launch(corefilePath: string): Promise<App> {
    const { log, version } = this.runtime;
    const app = await startApp(loadCorefile(corefilePath), { log, defaultPort: this.options.defaultPort, runtime: this.runtime });
    for (const l of app.listeners) log.info(`clusterdns-${version} listening on ${l.addresses.join(', ')} port ${l.port} (udp, tcp)`);
    try {
      await this.adopt(app);
    } catch (err) {
      await app.stop();
      throw err;
    }
    return app;
  }

  private signal(signal: string): void {
    if (this.stopping) {
      this.runtime.log.info(`${signal} received again, exiting now`);
      this.exit(FORCED_EXIT);
      return;
    }
    this.runtime.log.info(`${signal} received, shutting down`);
    this.runtime.shuttingDown = true;
    this.stopping = true;
    this.watching.abort();
    this.markStopping();
    void this.shutdown();
  }

  private async shutdown(): Promise<void> {
    const { log } = this.runtime;
    // A signal during start-up waits for the listeners to be open, so there is one thing to close.
    const launched = await this.launched?.then(
      () => true,
      () => false,
    );
    const app = this.running;
    if (launched && app) {
      if (app.lameduckMs > 0) {
        log.info(`lameduck: answering for ${app.lameduckMs} ms more while /ready answers 503`);
        await sleep(app.lameduckMs);
      }
      try {
        await app.stop();
      } catch (err) {
        // A plugin that fails to stop must not keep the HTTP servers, and so the process, alive.
        log.error(`shutdown: ${(err as Error).message}`);
      }
      await this.http.close();
      log.info('listeners closed, plugins stopped');
    }
    this.release();
    this.markStopped();
  }

  private release(): void {
    for (const [name, handler] of this.handlers) this.signals.off(name, handler);
  }
}
