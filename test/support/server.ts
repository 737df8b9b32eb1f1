// Starts the real server in-process for end-to-end tests: a Corefile given as text (server block
// keys without a port get an ephemeral one shared by UDP and TCP), a memory logger, and a
// query helper bound to the chosen port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App } from '../../src/app.js';
import { parseCorefile } from '../../src/config/parse.js';
import { memoryLogger } from '../../src/log.js';
import type { DecodedMessage } from '../../src/dns/wire.js';
import { query, type QueryOptions } from './dns-client.js';
import { createRuntime } from '../../src/runtime.js';

export interface TestServer {
  readonly app: App;
  readonly port: number;
  readonly dir: string;
  readonly logs: string[];
  query(name: string, type: string, options?: QueryOptions): Promise<DecodedMessage>;
  stop(): Promise<void>;
}

/**
 * `files` are written into a fresh temporary directory that also holds the Corefile. Resolves once
 * the plugins have started too, unless `waitForStart` is false (then only the listeners are open).
 */
export async function startServer(corefile: string, files: Record<string, string> = {}, waitForStart = true): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-test-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const file = path.join(dir, 'Corefile');
  fs.writeFileSync(file, corefile);
  const log = memoryLogger();
  const app = await startApp(parseCorefile(corefile, file), { log, defaultPort: 0, runtime: createRuntime('0.0.0-test', log) });
  if (waitForStart) {
    try {
      await app.started;
    } catch (err) {
      await app.stop();
      throw err;
    }
  }
  const port = app.listeners[0]!.port;
  return {
    app,
    port,
    dir,
    logs: log.lines,
    query: (name, type, options) => query(port, name, type, options),
    stop: async () => {
      await app.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The repository's root, for tests that read zones/ or run the built CLI. */
export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
