// A fake Kubernetes API server for tests and benchmarks: real HTTP on loopback, speaking the
// list/watch protocol of kube-apiserver for Namespaces, Services, Pods and EndpointSlices, so
// production code (and @kubernetes/client-node) talks to it unmodified through a kubeconfig.
// Design decision: the test drives the cluster in-process (create/update/patch/remove, compact,
// dropWatches, restart, failNext) while clients only see the HTTP side, and `stop()` closes every
// socket and timer it opened, so a test that stops it can exit.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { discoveryDocument } from './fake-apiserver/discovery.js';
import { serveList } from './fake-apiserver/list.js';
import { resourceOfKind, routeResource } from './fake-apiserver/resources.js';
import { sendStatus, status } from './fake-apiserver/status.js';
import { objectJson, VersionedStore, type ApiObject, type Stored } from './fake-apiserver/store.js';
import { serveWatch } from './fake-apiserver/watch.js';

export type { ApiObject } from './fake-apiserver/store.js';
export { readObjectFiles } from './fake-apiserver/files.js';

export interface FakeApiServerOptions {
  /** Port on 127.0.0.1 (default 0: an ephemeral one, kept across restarts). */
  port?: number;
  /** The bearer token clients must send (default: random). */
  token?: string;
  /** How many changes watches can replay and paginated lists can reach back over (default 10,000). */
  historyLimit?: number;
  /** Interval of BOOKMARK events for watches that allow them (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /** Delay before every answer (default 0). */
  latencyMs?: number;
}

export interface RequestRecord {
  method: string;
  /** Path and query string, as sent. */
  path: string;
}

export class FakeApiServer {
  /** Delay before every answer; may be changed at any time. */
  latencyMs: number;
  /** Every request received, in order. */
  readonly requests: RequestRecord[] = [];
  readonly token: string;
  private readonly store: VersionedStore;
  private readonly bookmarkIntervalMs: number;
  private port: number;
  private server: Server | undefined;
  private dir: string | undefined;
  private readonly watches = new Set<ServerResponse>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private failures = { count: 0, code: 500 };

  constructor(options: FakeApiServerOptions = {}) {
    this.port = options.port ?? 0;
    this.token = options.token ?? randomBytes(16).toString('hex');
    this.store = new VersionedStore(options.historyLimit ?? 10_000);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1000;
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** `http://127.0.0.1:PORT`; valid once started. */
  get url(): string {
    if (this.port === 0) throw new Error('the fake API server has not been started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig for this server (written at the first start, removed by stop). */
  get kubeconfigPath(): string {
    if (!this.dir) throw new Error('the fake API server has not been started');
    return join(this.dir, 'kubeconfig');
  }

  /** The current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.store.revision);
  }

  /** Watch connections open now. */
  get openWatches(): number {
    return this.watches.size;
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('the fake API server is already running');
    const server = createServer((req, res) => this.receive(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    if (!this.dir) {
      this.dir = mkdtempSync(join(tmpdir(), 'fake-apiserver-'));
      writeFileSync(this.kubeconfigPath, this.kubeconfig());
    }
  }

  /** Goes down for good: listener, connections and timers closed, kubeconfig removed. */
  async stop(): Promise<void> {
    await this.down();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /**
   * An apiserver restart: every connection is cut, the port stays closed for `downMs`, then the
   * server listens again on the same port with the same objects and history.
   */
  async restart(downMs = 0): Promise<void> {
    await this.down();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }

  /** Creates each object of a served kind (others, such as Deployments, are skipped); returns how many. */
  load(objects: Iterable<ApiObject>): number {
    let count = 0;
    for (const object of objects) {
      if (!resourceOfKind(object.kind ?? '')) continue;
      this.store.create(object);
      count++;
    }
    return count;
  }

  /** Creates the object; the server fills uid, creationTimestamp and resourceVersion. */
  create(object: ApiObject): ApiObject {
    return toObject(this.store.create(object));
  }

  /** Replaces the whole object (identified by kind, namespace and name). */
  update(object: ApiObject): ApiObject {
    return toObject(this.store.update(object));
  }

  /** Updates the object with what `change` returns, or with the copy it was given after changing it. */
  patch(kind: string, namespace: string, name: string, change: (object: ApiObject) => ApiObject | void): ApiObject {
    const current = this.get(kind, namespace, name);
    if (!current) throw new Error(`${kind} ${namespace}/${name} not found`);
    return this.update(change(current) ?? current);
  }

  /** Deletes the object; returns its last state. */
  remove(kind: string, namespace: string, name: string): ApiObject {
    return toObject(this.store.remove(kind, namespace, name));
  }

  /** A copy of the object as stored, or undefined. `namespace` is ignored for Namespaces. */
  get(kind: string, namespace: string, name: string): ApiObject | undefined {
    const stored = this.store.get(kind, namespace, name);
    return stored && toObject(stored);
  }

  /** Forgets all history: watches from an older resourceVersion, and older continue tokens, get 410 Expired. */
  compact(): void {
    this.store.compact();
  }

  /** Cuts every open watch connection abruptly, as a network failure would. */
  dropWatches(): void {
    for (const res of this.watches) res.destroy();
  }

  /** Answers the next `count` list and watch requests with HTTP `code` and a Status body. */
  failNext(count: number, code: number): void {
    this.failures = { count, code };
  }

  private async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ method: req.method ?? '', path: req.url ?? '' });
    if (this.latencyMs <= 0) return this.answer(req, res);
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.answer(req, res);
    }, this.latencyMs);
    this.delayed.add(timer);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${this.token}`) return sendStatus(res, status(401, 'Unauthorized'));
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'GET') return sendStatus(res, status(405, `the fake API server only reads; ${req.method} is not allowed`));
    const document = discoveryDocument(url.pathname, `127.0.0.1:${this.port}`);
    if (document) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(document));
      return;
    }
    const target = routeResource(url.pathname);
    if (!target) return sendStatus(res, status(404, 'the server could not find the requested resource'));
    if (target.name !== undefined) {
      const stored = this.store.get(target.resource.kind, target.namespace, target.name);
      if (!stored) return sendStatus(res, status(404, `${target.resource.plural} "${target.name}" not found`));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(objectJson(stored));
      return;
    }
    if (this.failures.count > 0) {
      this.failures.count--;
      return sendStatus(res, status(this.failures.code, `injected failure ${this.failures.code}`));
    }
    const watch = url.searchParams.get('watch');
    if (watch === 'true' || watch === '1') {
      this.watches.add(res);
      res.on('close', () => this.watches.delete(res));
      return serveWatch(res, this.store, target, url.searchParams, { bookmarkIntervalMs: this.bookmarkIntervalMs });
    }
    serveList(res, this.store, target, url.searchParams).catch(() => res.destroy());
  }

  private kubeconfig(): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: this.token } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'default' } }],
      'current-context': 'fake',
    });
  }
}

/** Creates a fake API server and starts it. */
export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const server = new FakeApiServer(options);
  await server.start();
  return server;
}

/** Starts a fake API server that stops when the test `t` ends (node:test's `t.after`). */
export async function fakeApiServerFor(t: { after(fn: () => Promise<void>): unknown }, options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const server = await startFakeApiServer(options);
  t.after(() => server.stop());
  return server;
}

function toObject(stored: Stored): ApiObject {
  return JSON.parse(objectJson(stored)) as ApiObject;
}
