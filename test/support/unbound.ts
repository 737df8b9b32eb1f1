// Debian's unbound as a real upstream for end-to-end tests: started in the foreground with a config
// of its own on 127.0.0.x (authoritative for a small test zone through local-data, no root hints:
// every other name is NXDOMAIN from a static root, so nothing ever leaves loopback), and stopped by
// PID. Forward zones can point it back at us, for loop tests.
// Design decision: a missing binary skips the tests that need it, with a reason saying so, except
// under CI=true, where it fails them: CI installs unbound, so its absence there is a broken setup.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { query } from './dns-client.js';

export const UNBOUND = '/usr/sbin/unbound';

export interface UnboundOptions {
  /** Loopback address to listen on (default 127.0.0.2, so it is not mistaken for the server under test). */
  address?: string;
  /** local-data lines ("www.example.test. 60 IN A 192.0.2.1"); their zones are served as static. */
  zones?: Record<string, readonly string[]>;
  /** Zones unbound forwards to "IP@port" (for loops back to the server under test); '.' is the root. */
  forward?: Record<string, string>;
  /** The port to listen on (default: a free one), for a server that must name it before unbound starts. */
  port?: number;
}

export interface Unbound {
  readonly address: string;
  readonly port: number;
  /** "IP:port" as a Corefile names this upstream. */
  readonly upstream: string;
  readonly output: string[];
  stop(): Promise<void>;
}

/**
 * Why unbound tests cannot run here (a reason for `{ skip }`), or undefined when they can. Under
 * CI=true a missing binary is not a reason to skip: the test runs and fails on start.
 */
export function unboundSkipReason(): string | undefined {
  if (fs.existsSync(UNBOUND) || process.env.CI === 'true') return undefined;
  return `${UNBOUND} is not installed (apt-get install unbound); CI installs it, so these tests run there`;
}

const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 3000;

export async function startUnbound(options: UnboundOptions = {}): Promise<Unbound> {
  if (!fs.existsSync(UNBOUND)) throw new Error(`${UNBOUND} is missing: install the unbound package`);
  const address = options.address ?? '127.0.0.2';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-unbound-'));
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(address));
    const file = path.join(dir, 'unbound.conf');
    fs.writeFileSync(file, config(address, port, dir, options));
    const child = spawn(UNBOUND, ['-d', '-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const stop = async () => {
      await kill(child);
      fs.rmSync(dir, { recursive: true, force: true });
    };
    if (await answering(child, address, port)) {
      return { address, port, upstream: `${address}:${port}`, output, stop };
    }
    await kill(child);
    // Another process may have taken the port between our probe and unbound's bind: try another.
    if (attempt === 3 || options.port !== undefined) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`unbound did not start on ${address}:${port}:\n${output.join('\n')}`);
    }
  }
}

/** The `server:` lines of an unbound in the foreground on one loopback port, one thread, with its files in `dir` (shared with the DNS benchmark). */
export function unboundServerLines(address: string, port: number, dir: string): string[] {
  return [
    'server:',
    `  interface: ${address}@${port}`,
    `  port: ${port}`,
    '  do-ip6: no',
    '  do-daemonize: no',
    '  chroot: ""',
    '  username: ""',
    `  directory: "${dir}"`,
    '  pidfile: ""',
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 0',
    '  num-threads: 1',
  ];
}

function config(address: string, port: number, dir: string, options: UnboundOptions): string {
  const lines = [
    ...unboundServerLines(address, port, dir),
    '  do-not-query-localhost: no',
    '  incoming-num-tcp: 256',
    '  access-control: 127.0.0.0/8 allow',
    '  module-config: "iterator"',
  ];
  const forward = Object.entries(options.forward ?? {}).map(([zone, to]) => [zone === '.' ? '' : zone, to] as const);
  if (!forward.some(([zone]) => zone === '')) {
    lines.push(
      '  local-zone: "." static',
      '  local-data: ". 86400 IN SOA root.test. hostmaster.test. 1 1800 900 604800 60"',
      '  local-data: ". 86400 IN NS root.test."',
    );
  }
  for (const [zone, data] of Object.entries(options.zones ?? {})) {
    lines.push(`  local-zone: "${zone}." static`);
    for (const rr of data) lines.push(`  local-data: '${rr}'`);
  }
  for (const [zone] of forward) if (zone !== '') lines.push(`  local-zone: "${zone}." transparent`);
  for (const [zone, to] of forward) lines.push('forward-zone:', `  name: "${zone}."`, `  forward-addr: ${to}`);
  lines.push('remote-control:', '  control-enable: no', '');
  return lines.join('\n');
}

/** A port free for both UDP and TCP on `address` right now. */
export async function freePort(address: string): Promise<number> {
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, address, resolve));
  const port = udp.address().port;
  const tcp = net.createServer();
  const free = await new Promise<boolean>((resolve) => {
    tcp.once('error', () => resolve(false));
    tcp.listen(port, address, () => resolve(true));
  });
  udp.close();
  if (free) await new Promise((resolve) => tcp.close(resolve));
  return free ? port : freePort(address);
}

async function answering(child: ChildProcess, address: string, port: number): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      await query(port, 'localhost', 'A', { host: address, timeoutMs: 200 });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
