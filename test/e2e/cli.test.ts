// The clusterdns command as an operator runs it: flags, exit codes, errors that name file:line,
// and the demo cluster answering the real `dig`.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/server.js';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'dist/src/cli.js');

async function clusterdns(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 10_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function tempCorefile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-cli-'));
  const file = path.join(dir, 'Corefile');
  fs.writeFileSync(file, text);
  return file;
}

test('--help and -h print usage and exit 0', async () => {
  for (const flag of ['--help', '-h']) {
    const r = await clusterdns(flag);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: clusterdns \[-conf FILE\]/);
  }
});

test('--version and -version print the package version', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-version']) {
    const r = await clusterdns(flag);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^clusterdns-${pkg.version.replace(/\./g, '\\.')}\\n`));
  }
});

test('an unknown flag exits 2 with the flag named', async () => {
  const r = await clusterdns('--bogus');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown flag --bogus/);
});

test('a missing value exits 2', async () => {
  const r = await clusterdns('-conf');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /flag -conf needs a value/);
});

test('a Corefile with an unknown directive exits 1 naming file and line', async () => {
  const file = tempCorefile('.:1053 {\n  errors\n  frobnicate yes\n}\n');
  const r = await clusterdns('-conf', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:3: unknown directive 'frobnicate'`));
});

test('a missing Corefile exits 1 naming it', async () => {
  const r = await clusterdns('--conf=/nonexistent/Corefile');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/nonexistent\/Corefile/);
});

test('the demo cluster answers dig over UDP and TCP, and SIGTERM exits 0', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const demo = fs
    .readFileSync(path.join(repoRoot, 'zones/Corefile'), 'utf8')
    .replace(':1053', `:${port}`)
    .replace(/objects cluster/, `objects ${path.join(repoRoot, 'zones/cluster')}`);
  const file = tempCorefile(demo);
  const child = spawn(process.execPath, [cli, '-conf', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  try {
    await waitFor(() => /started, ready/.test(out), 5000, () => out);
    const a = await run('dig', ['@127.0.0.1', '-p', String(port), '+norec', '+time=2', '+tries=1', 'kubernetes.default.svc.cluster.local']);
    assert.match(a.stdout, /status: NOERROR/);
    assert.match(a.stdout, /flags: qr aa/);
    assert.match(a.stdout, /kubernetes\.default\.svc\.cluster\.local\.\s+5\s+IN\s+A\s+10\.96\.0\.1/);
    const srv = await run('dig', ['@127.0.0.1', '-p', String(port), '+tcp', '+time=2', '+tries=1', '-t', 'SRV', '_https._tcp.kubernetes.default.svc.cluster.local']);
    assert.match(srv.stdout, /SRV\s+0 100 443 kubernetes\.default\.svc\.cluster\.local\./);
    assert.match(srv.stdout, /\(TCP\)/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
  }
});

async function waitFor(cond: () => boolean, ms: number, describe: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out; output so far:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
