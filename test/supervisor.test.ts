// The supervisor in-process, signals sent through an emitter: start-up and its failures (everything
// opened is closed again), adopting another configuration's endpoints, and the shutdown: /ready 503
// at once, DNS and /health through the lameduck, TCP queries in flight answered, a second signal
// exiting at once with status 2.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type App } from '../src/app.js';
import { parseCorefile } from '../src/config/parse.js';
import { rcodeName } from '../src/dns/classify.js';
import { ConfigError } from '../src/errors.js';
import { memoryLogger } from '../src/log.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { FORCED_EXIT, Supervisor } from '../src/supervisor.js';
import { query } from './support/dns-client.js';
import { repoRoot } from './support/server.js';
import { startFakeApiServer } from './support/fake-apiserver.js';
import { freePort } from './support/unbound.js';
import { until } from './support/until.js';
import { ScriptedUpstream } from './support/upstream.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function corefileAt(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-supervisor-'));
  dirs.push(dir);
  const file = path.join(dir, 'Corefile');
  fs.writeFileSync(file, text);
  return file;
}

const CLUSTER = path.join(repoRoot, 'zones/cluster');

/** A server block on 127.0.0.1 serving the demo cluster, with `extra` directives. */
function block(extra: string): string {
  return `. {\n  bind 127.0.0.1\n  kubernetes cluster.local {\n    objects ${CLUSTER}\n  }\n${extra}\n}\n`;
}

interface Harness {
  supervisor: Supervisor;
  runtime: Runtime;
  logs: string[];
  signals: EventEmitter;
  exits: number[];
  /** The DNS port of the first listener, from its log line. */
  dnsPort(): number;
  http(address: string, pathname: string): Promise<string>;
}

function harness(): Harness {
  const log = memoryLogger();
  const runtime = createRuntime('0.0.0-test', log);
  const signals = new EventEmitter();
  const exits: number[] = [];
  const supervisor = new Supervisor(runtime, { defaultPort: 0, signals, exit: (code) => exits.push(code) });
  return {
    supervisor,
    runtime,
    logs: log.lines,
    signals,
    exits,
    dnsPort: () => Number(/listening on 127\.0\.0\.1 port (\d+)/.exec(log.lines.join('\n'))![1]),
    async http(address, pathname) {
      const res = await fetch(`http://127.0.0.1:${supervisor.http.port(address)}${pathname}`);
      return `${res.status} ${await res.text()}`;
    },
  };
}

async function ask(port: number, name: string, transport: 'udp' | 'tcp' = 'udp'): Promise<string> {
  const m = await query(port, name, 'A', { transport });
  return `${rcodeName(m.rcode)} ${m.answers.map((a) => String(a.data)).join(',')}`.trim();
}

test('start: DNS and the HTTP endpoints are served, the start-up is logged as the CLI always did', async () => {
  const h = harness();
  await h.supervisor.start(corefileAt(block('  health 127.0.0.1:0\n  ready 127.0.0.1:0')));
  try {
    assert.equal(await ask(h.dnsPort(), 'kubernetes.default.svc.cluster.local'), 'NOERROR 10.96.0.1');
    assert.equal(await h.http('127.0.0.1:0', '/health'), '200 OK');
    assert.equal(await h.http('127.0.0.1:0', '/ready'), '200 OK');
    assert.match(h.logs[0]!, /^\[INFO\] clusterdns-0\.0\.0-test listening on 127\.0\.0\.1 port \d+ \(udp, tcp\)$/);
    assert.equal(h.logs.at(-1), '[INFO] started, ready');
  } finally {
    h.signals.emit('SIGTERM');
    await h.supervisor.stopped;
  }
});

test('SIGTERM: /ready 503 at once, DNS and /health answer through the lameduck, then everything closes', async () => {
  const h = harness();
  await h.supervisor.start(corefileAt(block('  health 127.0.0.1:0 {\n    lameduck 400ms\n  }\n  ready 127.0.0.1:0')));
  const dns = h.dnsPort();
  const http = h.supervisor.http.port('127.0.0.1:0')!;
  const began = Date.now();
  let stoppedAt = 0;
  void h.supervisor.stopped.then(() => (stoppedAt = Date.now()));
  h.signals.emit('SIGTERM');
  assert.equal(h.runtime.shuttingDown, true);
  assert.equal(await h.http('127.0.0.1:0', '/ready'), '503 Shutting down');
  assert.equal(await h.http('127.0.0.1:0', '/health'), '200 OK');
  assert.equal(await ask(dns, 'kubernetes.default.svc.cluster.local'), 'NOERROR 10.96.0.1');
  assert.equal(await ask(dns, 'kubernetes.default.svc.cluster.local', 'tcp'), 'NOERROR 10.96.0.1');
  assert.equal(stoppedAt, 0, 'still in the lameduck');
  await h.supervisor.stopped;
  assert.ok(stoppedAt - began >= 400, `stopped after ${stoppedAt - began} ms`);
  await assert.rejects(fetch(`http://127.0.0.1:${http}/health`));
  await assert.rejects(query(dns, 'kubernetes.default.svc.cluster.local', 'A', { transport: 'tcp' }), /ECONNREFUSED/);
  assert.deepEqual(h.signals.listenerCount('SIGTERM') + h.signals.listenerCount('SIGINT'), 0, 'signals handed back');
  assert.deepEqual(
    h.logs.filter((l) => /SIGTERM|lameduck|closed/.test(l)),
    [
      '[INFO] SIGTERM received, shutting down',
      '[INFO] lameduck: answering for 400 ms more while /ready answers 503',
      `[INFO] http: closed 127.0.0.1:${http}`,
      '[INFO] listeners closed, plugins stopped',
    ],
  );
});

test('a TCP query in flight when the listeners close is answered before the process is done', async () => {
  const upstream = await ScriptedUpstream.start();
  upstream.script('slow.example.org', { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.7' }], delayMs: 600 });
  const h = harness();
  try {
    await h.supervisor.start(corefileAt(block(`  health 127.0.0.1:0 {\n    lameduck 200ms\n  }\n  forward . ${upstream.address}`)));
    const dns = h.dnsPort();
    h.signals.emit('SIGINT');
    const answered = ask(dns, 'slow.example.org', 'tcp').then((a) => ({ a, at: Date.now() }));
    await sleep(300);
    await assert.rejects(query(dns, 'kubernetes.default.svc.cluster.local', 'A', { transport: 'tcp' }), 'the listener no longer accepts');
    await h.supervisor.stopped;
    const stoppedAt = Date.now();
    const { a, at } = await answered;
    assert.equal(a, 'NOERROR 192.0.2.7');
    assert.ok(at <= stoppedAt, 'answered before the shutdown finished');
    assert.ok(h.logs.includes('[INFO] SIGINT received, shutting down'));
  } finally {
    await upstream.stop();
  }
});

test('a second signal during the shutdown exits at once with status 2', async () => {
  const h = harness();
  await h.supervisor.start(corefileAt(block('  health 127.0.0.1:0 {\n    lameduck 300ms\n  }')));
  h.signals.emit('SIGTERM');
  assert.deepEqual(h.exits, []);
  h.signals.emit('SIGINT');
  assert.deepEqual(h.exits, [FORCED_EXIT]);
  assert.equal(FORCED_EXIT, 2);
  assert.ok(h.logs.includes('[INFO] SIGINT received again, exiting now'));
  await h.supervisor.stopped;
});

test('a signal while the plugins are still starting shuts down without waiting for them', async () => {
  const api = await startFakeApiServer({ latencyMs: 3000 });
  const h = harness();
  try {
    const file = corefileAt(`. {\n  bind 127.0.0.1\n  kubernetes cluster.local {\n    kubeconfig ${api.kubeconfigPath}\n  }\n  ready 127.0.0.1:0\n}\n`);
    const began = Date.now();
    const starting = h.supervisor.start(file);
    await until('the ready endpoint', () => h.supervisor.http.port('127.0.0.1:0') !== undefined, 2000);
    assert.equal(await h.http('127.0.0.1:0', '/ready'), '503 kubernetes');
    h.signals.emit('SIGTERM');
    await starting;
    await h.supervisor.stopped;
    assert.ok(Date.now() - began < 2000, `done after ${Date.now() - began} ms`);
    assert.equal(h.logs.some((l) => l.includes('started,')), false, 'never announced as started');
  } finally {
    await api.stop();
  }
});

test('a plugin that fails to stop is logged, and the HTTP servers still close', async () => {
  const h = harness();
  await h.supervisor.start(corefileAt(block('  health 127.0.0.1:0')));
  const first = h.supervisor.current!;
  const stuck = { ...first, lameduckMs: 0, stop: () => Promise.reject(new Error('plugin kubernetes: stuck')) } satisfies App;
  await h.supervisor.adopt(stuck);
  await first.stop();
  const http = h.supervisor.http.port('127.0.0.1:0')!;
  h.signals.emit('SIGTERM');
  await h.supervisor.stopped;
  assert.ok(h.logs.includes('[ERROR] shutdown: plugin kubernetes: stuck'), h.logs.join('\n'));
  await assert.rejects(fetch(`http://127.0.0.1:${http}/health`));
});

test('a bad Corefile rejects with its ConfigError, and the signals are handed back', async () => {
  const h = harness();
  const file = corefileAt('. {\n  frobnicate\n}\n');
  await assert.rejects(h.supervisor.start(file), (err) => err instanceof ConfigError && err.message === `${file}:2: unknown directive 'frobnicate'`);
  assert.equal(h.signals.listenerCount('SIGTERM'), 0);
});

test('an HTTP address in use fails the start naming the directive, with the DNS listeners closed again', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  const h = harness();
  const file = corefileAt(block(`  health 127.0.0.1:${port}`));
  try {
    await assert.rejects(h.supervisor.start(file), new RegExp(`^Error: ${file}:6 health: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  } finally {
    taken.close();
  }
  await assert.rejects(query(h.dnsPort(), 'kubernetes.default.svc.cluster.local', 'A', { transport: 'tcp' }), /ECONNREFUSED/);
  assert.equal(h.signals.listenerCount('SIGTERM'), 0);
});

test('adopt: the endpoints of the adopted configuration are served, the others closed; its lameduck applies', async () => {
  const h = harness();
  await h.supervisor.start(corefileAt(block('  health 127.0.0.1:0\n  ready 127.0.0.1:0')));
  const first = h.supervisor.current!;
  const kept = h.supervisor.http.port('127.0.0.1:0')!;
  const other = `127.0.0.1:${await freePort('127.0.0.1')}`;
  const next = await startApp(parseCorefile(block(`  ready ${other}\n  health 127.0.0.1:0 {\n    lameduck 300ms\n  }`), 'Corefile'), {
    log: memoryLogger(),
    defaultPort: 0,
    runtime: h.runtime,
  });
  await next.started;
  await h.supervisor.adopt(next);
  await first.stop();
  assert.equal(h.supervisor.current, next);
  assert.equal(h.supervisor.http.port('127.0.0.1:0'), kept, 'a kept address keeps its server');
  assert.equal(await h.http('127.0.0.1:0', '/health'), '200 OK');
  assert.equal(await h.http('127.0.0.1:0', '/ready'), '404 404 page not found\n', 'ready moved away');
  assert.equal(await h.http(other, '/ready'), '200 OK');
  const began = Date.now();
  h.signals.emit('SIGTERM');
  await h.supervisor.stopped;
  assert.ok(Date.now() - began >= 300, 'the adopted configuration’s lameduck');
  assert.ok(h.logs.includes('[INFO] lameduck: answering for 300 ms more while /ready answers 503'));
});
