// `reload` through the real CLI, with the Corefile mounted the way a ConfigMap is (a `..data`
// symlink swapped for each update): a valid change is picked up and answered from while queries
// keep being answered; an invalid one leaves the old configuration answering, is logged with its
// FILE:LINE and counted in coredns_reload_failed_total on /metrics.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { query } from '../support/dns-client.js';
import { repoRoot } from '../support/server.js';
import { freePort } from '../support/unbound.js';
import { until } from '../support/until.js';

const cli = path.join(repoRoot, 'dist/src/cli.js');

/** A ConfigMap volume: `Corefile` → `..data/Corefile`, `..data` → a timestamped directory swapped on update. */
function configMap(dir: string) {
  let version = 0;
  const update = (text: string) => {
    const target = path.join(dir, `..${++version}`);
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'Corefile'), text);
    fs.symlinkSync(path.basename(target), path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  };
  return { update, path: path.join(dir, 'Corefile') };
}

test('a ConfigMap update is reloaded without a lost query; a broken one keeps the old configuration and is counted', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-reload-'));
  const metricsPort = await freePort('127.0.0.1');
  const objects = (ip: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {clusterIP: ${ip}}\n`;
  fs.writeFileSync(path.join(dir, 'old.yaml'), objects('10.96.0.1'));
  fs.writeFileSync(path.join(dir, 'new.yaml'), objects('10.96.0.2'));
  const corefile = (file: string, extra = '') =>
    `cluster.local {\n  bind 127.0.0.1\n  reload 2s 1s\n  prometheus 127.0.0.1:${metricsPort}\n  kubernetes {\n    objects ${path.join(dir, file)}\n  }\n${extra}}\n`;
  const mount = configMap(dir);
  mount.update(corefile('old.yaml'));
  fs.symlinkSync('..data/Corefile', mount.path);

  const child = spawn(process.execPath, [cli, '-conf', mount.path, '-dns.port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stdout += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await until('started', () => stdout.includes('started, ready'), 5000);
    const port = Number(/listening on 127\.0\.0\.1 port (\d+)/.exec(stdout)![1]);
    const answer = async () => {
      const m = await query(port, 'web.shop.svc.cluster.local', 'A', { timeoutMs: 2000 });
      return m.answers.map((a) => String(a.data)).join(',');
    };
    assert.equal(await answer(), '10.96.0.1');

    mount.update(corefile('new.yaml'));
    const seen: string[] = [];
    await until(
      'the new configuration answering',
      async () => {
        seen.push(await answer());
        return seen.at(-1) === '10.96.0.2';
      },
      8000,
    );
    assert.deepEqual([...new Set(seen)].filter((a) => a !== '10.96.0.1' && a !== '10.96.0.2'), [], 'every query answered, old or new');
    assert.match(stdout, /\[INFO\] Reloading complete\n/);

    mount.update(corefile('new.yaml', '  nonsense here\n'));
    await until('the failed reload', () => stdout.includes('reload failed'), 8000);
    assert.match(stdout, new RegExp(`\\[ERROR\\] plugin/reload: Corefile changed but reload failed: ${mount.path.replace(/[.]/g, '\\.')}:8: unknown directive 'nonsense'`));
    assert.equal(await answer(), '10.96.0.2', 'the old configuration keeps answering');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^coredns_reload_failed_total 1$/m);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stdout);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
