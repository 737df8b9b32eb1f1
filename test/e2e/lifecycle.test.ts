// The process's life as Kubernetes sees it, through the real CLI: /ready 503 until the cluster data
// has synced from the (fake) API server, then 200; on SIGTERM /ready 503 at once while DNS and
// /health keep answering for the lameduck; then a TCP query still in flight is answered, the
// process exits 0, and every log line went to standard output.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { rcodeName } from '../../src/dns/classify.js';
import { query } from '../support/dns-client.js';
import { readObjectFiles, startFakeApiServer } from '../support/fake-apiserver.js';
import { repoRoot } from '../support/server.js';
import { freePort } from '../support/unbound.js';
import { until } from '../support/until.js';
import { ScriptedUpstream } from '../support/upstream.js';

const cli = path.join(repoRoot, 'dist/src/cli.js');
const LAMEDUCK_MS = 1000;
/** Longer than the lameduck is left to run once the slow query is asked: it is in flight when the listeners close. */
const UPSTREAM_DELAY_MS = 1200;

async function probe(port: number, pathname: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
  return `${res.status} ${await res.text()}`;
}

test('ready 503 → 200 → 503 at SIGTERM while DNS answers through the lameduck; in-flight TCP answered; exit 0', async () => {
  const api = await startFakeApiServer();
  api.load(readObjectFiles(path.join(repoRoot, 'zones/cluster')));
  // The first lists are held back, so the server is seen not ready before it syncs.
  api.latencyMs = 1500;
  const upstream = await ScriptedUpstream.start();
  upstream.script('slow.example.org', { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.7' }], delayMs: UPSTREAM_DELAY_MS });
  const [healthPort, readyPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-lifecycle-'));
  const corefile = path.join(dir, 'Corefile');
  fs.writeFileSync(
    corefile,
    `. {
  bind 127.0.0.1
  health 127.0.0.1:${healthPort} {
    lameduck ${LAMEDUCK_MS}ms
  }
  ready 127.0.0.1:${readyPort}
  kubernetes cluster.local in-addr.arpa {
    kubeconfig ${api.kubeconfigPath}
  }
  forward . ${upstream.address}
}
`,
  );
  const child = spawn(process.execPath, [cli, '-conf', corefile, '-dns.port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const output = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  /** Waits for `check`, failing with what the process has printed by then. */
  const wait = (what: string, check: () => boolean | Promise<boolean>, ms = 5000) =>
    until(what, check, ms).catch((err: Error) => {
      throw new Error(`${err.message}\n${output()}`);
    });
  try {
    await wait('the ready endpoint', () => stdout.includes(`serving /ready on 127.0.0.1:${readyPort}`));
    const dnsPort = Number(/listening on 127\.0\.0\.1 port (\d+)/.exec(stdout)![1]);

    assert.equal(await probe(readyPort, '/ready'), '503 kubernetes', 'not ready before the sync');
    assert.equal(await probe(healthPort, '/health'), '200 OK', 'healthy all along');
    api.latencyMs = 0;
    await wait('ready', async () => (await probe(readyPort, '/ready')) === '200 OK');
    const ask = async (name: string, transport: 'udp' | 'tcp' = 'udp') => {
      const m = await query(dnsPort, name, 'A', { transport, timeoutMs: 3000 });
      return `${rcodeName(m.rcode)} ${m.answers.map((a) => String(a.data)).join(',')}`;
    };
    assert.equal(await ask('kubernetes.default.svc.cluster.local'), 'NOERROR 10.96.0.1');

    child.kill('SIGTERM');
    const signalled = Date.now();
    await wait('the signal to be seen', () => stdout.includes('SIGTERM received'), 2000);
    assert.equal(await probe(readyPort, '/ready'), '503 Shutting down', 'not ready at once');
    assert.equal(await probe(healthPort, '/health'), '200 OK', 'healthy through the lameduck');
    assert.equal(await ask('kubernetes.default.svc.cluster.local'), 'NOERROR 10.96.0.1', 'DNS answers through the lameduck');
    assert.equal(await ask('web.shop.svc.cluster.local', 'tcp'), 'NOERROR 10.244.1.20,10.244.2.21');
    await sleep(Math.max(0, signalled + LAMEDUCK_MS / 2 - Date.now()));
    const slow = ask('slow.example.org', 'tcp').then((a) => ({ a, at: Date.now() }));

    const { code, at } = await exited;
    assert.equal(code, 0, output());
    assert.ok(at - signalled >= LAMEDUCK_MS && at - signalled < LAMEDUCK_MS + UPSTREAM_DELAY_MS + 2000, `exited ${at - signalled} ms after SIGTERM`);
    const answered = await slow;
    assert.equal(answered.a, 'NOERROR 192.0.2.7', 'the query in flight when the listeners closed was answered');
    assert.ok(answered.at - signalled > LAMEDUCK_MS, `answered ${answered.at - signalled} ms after SIGTERM, after the lameduck`);
    assert.equal(stderr, '', 'logs go to standard output');
    assert.match(stdout, /\[INFO\] lameduck: answering for 1000 ms more while \/ready answers 503\n/);
  } finally {
    child.kill('SIGKILL');
    await upstream.stop();
    await api.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
