// Helpers for the API source's tests: a loopback HTTP server whose answers the test writes (for
// what the fake API server cannot do: garbage lines, stalls, TLS), kubeconfig files, a
// connection that sees every request, a sink that records every call, and a store to ask.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import type { ApiConnection } from '../../../src/kube/api/connection.js';
import type { KubeKind, KubeObject, ObjectSink } from '../../../src/kube/objects.js';
import { KubeStore } from '../../../src/kube/store.js';
import { kubernetesPlugin } from '../../../plugins/kubernetes/index.js';
import { makeQuery, options as harnessOptions, zoneText } from '../../plugins/kubernetes/harness.js';

export interface RawServer {
  readonly url: string;
  /** Every request received: path and headers. */
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  stop(): Promise<void>;
}

/** Starts an HTTP(S) server on 127.0.0.1 that answers with `handler`; stop() cuts every connection. */
export async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void, tls?: { key: string; cert: string }): Promise<RawServer> {
  const server = tls ? createTlsServer(tls) : createServer();
  const sockets = new Set<Socket>();
  const requests: RawServer['requests'] = [];
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdns-api-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface KubeconfigContext {
  name: string;
  server: string;
  token?: string;
  insecure?: boolean;
}

/** Writes a kubeconfig with one cluster and user per context; the first context is current. */
export function writeKubeconfig(path: string, contexts: KubeconfigContext[]): string {
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.insecure ? { 'insecure-skip-tls-verify': true } : {}) } })),
      users: contexts.map((c) => ({ name: c.name, user: c.token ? { token: c.token } : {} })),
      contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name } })),
      'current-context': contexts[0]!.name,
    }),
  );
  return path;
}

/** Polls `check` every 10 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Wraps a connection: `before` sees every path before it is requested (and may change the cluster). */
export function instrumented(connection: ApiConnection, before: (path: string) => void | Promise<void>): ApiConnection & { log: { path: string; at: number }[] } {
  const log: { path: string; at: number }[] = [];
  return {
    server: connection.server,
    log,
    async get(path, signal) {
      log.push({ path, at: Date.now() });
      await before(path);
      return connection.get(path, signal);
    },
    close: () => connection.close(),
  };
}

/** A sink over a real KubeStore that records each call and runs `check` after it. */
export class RecordingSink implements ObjectSink {
  readonly calls: string[] = [];
  check: () => void = () => undefined;
  /** Makes the next upsert throw, as a bug in the store would. */
  failNextUpsert = false;

  constructor(readonly store: KubeStore) {}

  upsert(object: KubeObject): void {
    this.calls.push(`upsert ${object.kind} ${object.kind === 'Namespace' ? '' : object.namespace}/${object.name}`);
    if (this.failNextUpsert) {
      this.failNextUpsert = false;
      throw new Error('the store failed');
    }
    this.store.upsert(object);
    this.check();
  }

  remove(kind: KubeKind, namespace: string, name: string): void {
    this.calls.push(`remove ${kind} ${namespace}/${name}`);
    this.store.remove(kind, namespace, name);
    this.check();
  }

  replaceAll(objects: KubeObject[]): void {
    this.calls.push(`replaceAll (${objects.length})`);
    this.store.replaceAll(objects);
    this.check();
  }

  replaceKind(kind: KubeKind, objects: KubeObject[], namespace?: string): void {
    this.calls.push(`replaceKind ${kind}${namespace === undefined ? '' : ` in ${namespace}`} (${objects.length})`);
    this.store.replaceKind(kind, objects, namespace);
    this.check();
  }

  markSynced(): void {
    this.calls.push('markSynced');
    this.store.markSynced();
  }
}

/** A store serving cluster.local with `pods verified`, and a way to ask it `name. TYPE`. */
export function clusterStore(): { store: KubeStore; ask: (q: string) => { rcode: string; answers: string[] } } {
  const options = harnessOptions({ zones: ['cluster.local'], pods: 'verified' });
  const store = new KubeStore({ ...options, localAddresses: [] });
  const plugin = kubernetesPlugin(options, store, { start: async () => undefined, stop: async () => undefined });
  const names = Object.fromEntries(Object.entries(RCODE).map(([name, code]) => [code, name]));
  return {
    store,
    ask: (q) => {
      const reply = plugin.serve(makeQuery(q), () => assert.fail('no next plugin')) as Reply;
      return { rcode: names[reply.rcode]!, answers: reply.answers.map(zoneText).sort() };
    },
  };
}
