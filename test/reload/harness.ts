// Helpers for the reload tests: a configuration started from a Corefile written in a temporary
// directory (beside the Kubernetes objects it names), rewriting that Corefile, and a bounded loop
// of UDP and TCP queries that records what every query got while a reload happens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { startApp, type App, type AppOptions } from '../../src/app.js';
import { parseCorefile } from '../../src/config/parse.js';
import { memoryLogger } from '../../src/log.js';
import { createRuntime } from '../../src/runtime.js';
import { query } from '../support/dns-client.js';

/** One ClusterIP Service, web.default, at `ip` (and its namespace): the objects file a Corefile can name. */
export function serviceYaml(ip: string): string {
  return [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: default}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web, namespace: default}',
    `spec: {type: ClusterIP, clusterIP: ${ip}, clusterIPs: [${ip}], ports: [{name: http, port: 80, protocol: TCP}]}`,
    '',
  ].join('\n');
}

/** `cluster.local` served from the objects file `objects` (relative to the Corefile), plus `extra` text. */
export function clusterCorefile(objects: string, extra = ''): string {
  return `cluster.local {\n    kubernetes cluster.local {\n        objects ${objects}\n    }\n}\n${extra}`;
}

export interface Running {
  readonly dir: string;
  readonly file: string;
  readonly options: AppOptions;
  readonly logs: string[];
  /** The first configuration, started and waited for. */
  readonly app: App;
  /** Replaces the Corefile's content. */
  write(text: string): void;
  /** Has `app` stopped after the test; returns it. */
  track(app: App): App;
  metrics(): Promise<string>;
}

/**
 * Starts `corefile` from a fresh directory that also holds `files`; keys without a port get an
 * ephemeral one. The configuration, and every one passed to `track`, is stopped after the test.
 */
export async function startRunning(t: TestContext, corefile: string, files: Record<string, string>): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-reload-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const file = path.join(dir, 'Corefile');
  fs.writeFileSync(file, corefile);
  const log = memoryLogger();
  const options: AppOptions = { log, defaultPort: 0, runtime: createRuntime('0.0.0-test', log) };
  const apps: App[] = [];
  const track = (app: App) => {
    apps.push(app);
    return app;
  };
  t.after(async () => {
    for (const a of apps.reverse()) await a.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const app = track(await startApp(parseCorefile(corefile, file), options));
  await app.started;
  return {
    dir,
    file,
    options,
    logs: log.lines,
    app,
    track,
    write: (text) => fs.writeFileSync(file, text),
    metrics: () => options.runtime.metrics.metrics(),
  };
}

/** What one query of the loop got: the A record's address, or what went wrong. */
export interface Outcome {
  readonly transport: 'udp' | 'tcp';
  readonly address?: string;
  readonly failure?: string;
}

const LOOP_GAP_MS = 2;
/** Caps the loop whatever the clock does: 2 s at one query every 2 ms. */
const LOOP_MAX = 1000;

/**
 * Asks `name` A at `port` for `ms`, a query every 2 ms (about 500 a second), alternating UDP and
 * TCP, without waiting for answers; calls `during` once, a third of the way in. Resolves with
 * every outcome in the order the queries were sent.
 */
export async function queryLoop(port: number, name: string, ms: number, during: () => Promise<void>): Promise<Outcome[]> {
  const pending: Promise<Outcome>[] = [];
  let action: Promise<void> | undefined;
  const start = Date.now();
  for (let i = 0; i < LOOP_MAX && Date.now() - start < ms; i++) {
    if (!action && Date.now() - start >= ms / 3) action = during();
    const transport = i % 2 === 0 ? 'udp' : 'tcp';
    pending.push(
      query(port, name, 'A', { transport, timeoutMs: 1500 }).then(
        (m) => (m.rcode === 0 && m.answers.length === 1 ? { transport, address: String(m.answers[0]!.data) } : { transport, failure: `rcode ${m.rcode}, ${m.answers.length} answers` }),
        (err: Error) => ({ transport, failure: err.message }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, LOOP_GAP_MS));
  }
  await action;
  return Promise.all(pending);
}
