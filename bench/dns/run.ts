// The DNS performance benchmark (`npm run bench`): clusterdns against knotd (1 worker), unbound
// (1 thread) and a bare Node UDP responder, all on loopback and all serving the same generated
// cluster, loaded by dnsperf for a fixed time at saturation and at a fixed rate. Each scenario is
// run `--runs` times, interleaved (every scenario once, then again), and the table shows medians,
// the servers' CPU and RSS from /proc, and clusterdns's ratios against the targets of issue 6.
// Design decision: every server is started once and kept for all runs (only the one under load is
// busy), clusterdns reads the cluster through the fake API server (the file source's YAML parser
// needs ~770 MB for 10,000 services, which would swamp the memory figure), and everything is bounded
// in time and stopped by PID.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkApiServer, type ApiServerProcess } from '../common/apiserver.js';
import { startProcess, type ServerProcess } from '../common/process.js';
import { cpuSecondsOf, freePort, memoryOf, SERVER_ENVIRONMENT } from '../common/proc.js';
import type { Started } from '../scale/apiserver.js';
import { scaledShape, servicePlan, type ClusterShape } from '../scale/generate.js';
import { Prober } from '../scale/probe.js';
import { clusterRecords, DNS_SHAPE, serviceName, type Rr } from './cluster.js';
import { runDnsperf } from './dnsperf.js';
import { EXTERNAL_ADDRESS, EXTERNAL_HIT_ZONE, knotConfig, knotZones, unboundClusterConfig, unboundUpstreamConfig } from './peers.js';
import { aQueries, externalHitQueries, externalMissQueries, mixQueries } from './queries.js';
import { scenarios, table, targetTable, type Measured, type QueryFile, type Scenario, type ServerName } from './report.js';

interface Settings {
  shape: ClusterShape;
  runs: number;
  seconds: number;
  rate: number;
  /** Labels of the scenarios to run (all when empty). */
  only: string[];
}

const CLI = new URL('../../src/cli.js', import.meta.url).pathname;
const BARE_NODE = new URL('./bare-node.js', import.meta.url).pathname;
const INSTALL = new URL('../../../bench/dns/install.sh', import.meta.url).pathname;
const KNOTD = '/usr/sbin/knotd';
const UNBOUND = '/usr/sbin/unbound';
const START_DEADLINE_MS = 60_000;
/** dnsperf's UDP sockets and queries in flight; for TCP, 16 pipelined connections. */
const UDP_LOAD = { clients: 4, outstanding: 100 };
const TCP_LOAD = { clients: 16, outstanding: 256 };

function parseArgs(argv: readonly string[]): Settings {
  const get = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const quick = argv.includes('--quick');
  return {
    shape: scaledShape(Number(get('--services', String(DNS_SHAPE.services))), DNS_SHAPE),
    runs: Number(get('--runs', quick ? '1' : '3')),
    seconds: Number(get('--seconds', quick ? '3' : '10')),
    rate: Number(get('--rate', '20000')),
    only: get('--only', '').split(',').filter((s) => s !== ''),
  };
}

/** install.sh installs what is missing (as root), and does nothing when all is there. */
function ensureTools(): void {
  execFileSync('sh', [INSTALL], { stdio: 'inherit' });
}

/** Whether `name` answers `type` with `data` among its records. */
async function answersWith(prober: Prober, name: string, type: string, data: string): Promise<boolean> {
  const reply = await prober.ask(name, type, 200);
  return reply?.answers.some((rr) => String(rr.data) === data) ?? false;
}

interface Servers {
  /** clusterdns's VmRSS once it answers for the whole cluster, before any load. */
  clusterdnsReadyMB: number;
  processes: Map<ServerName, ServerProcess>;
  ports: Map<ServerName, number>;
  stop(): Promise<void>;
}

async function startServers(dir: string, shape: ClusterShape, records: readonly Rr[]): Promise<Servers> {
  const processes = new Map<ServerName, ServerProcess>();
  const ports = new Map<ServerName, number>();
  /** Every process started, the upstream too, in order: stopped in reverse. */
  const running: ServerProcess[] = [];
  let api: ApiServerProcess | undefined;
  const probers: Prober[] = [];
  const stop = async () => {
    for (const p of probers) p.close();
    for (const p of running.reverse()) await p.stop();
    await api?.stop();
  };
  try {
    // The last service is a ClusterIP service: it answers only once every list has been applied.
    const last = servicePlan(shape, shape.services - 1);
    const lastName = serviceName(last);
    const lastAddress = last.clusterIP ?? records.find((rr) => rr.name === lastName)!.data;

    const answersLast = (p: Prober) => answersWith(p, lastName, 'A', lastAddress);
    const start = async (name: ServerName | 'upstream', port: number, command: string, args: string[], ready: (p: Prober) => Promise<boolean>) => {
      const p = new Prober(port);
      probers.push(p);
      const env = name === 'clusterdns' ? SERVER_ENVIRONMENT : {};
      const started = await startProcess(name, command, args, () => ready(p), START_DEADLINE_MS, env);
      running.push(started);
      if (name !== 'upstream') {
        processes.set(name, started);
        ports.set(name, port);
      }
    };

    const upstreamPort = await freePort();
    writeFileSync(join(dir, 'upstream.conf'), unboundUpstreamConfig(dir, upstreamPort));
    await start('upstream', upstreamPort, UNBOUND, ['-d', '-c', join(dir, 'upstream.conf')], (p) => answersWith(p, `a.${EXTERNAL_HIT_ZONE}`, 'A', EXTERNAL_ADDRESS));

    api = forkApiServer();
    const { kubeconfig } = (await api.ask({ do: 'start', shape })) as Started;
    const port = await freePort();
    writeFileSync(join(dir, 'Corefile'), corefile(port, kubeconfig, upstreamPort));
    await start('clusterdns', port, process.execPath, [CLI, '-conf', join(dir, 'Corefile')], answersLast);
    const clusterdnsReadyMB = memoryOf(processes.get('clusterdns')!.pid).rss;

    const knotPort = await freePort();
    for (const [zone, text] of knotZones(records)) writeFileSync(join(dir, `${zone}.zone`), text);
    writeFileSync(join(dir, 'knot.conf'), knotConfig(dir, knotPort));
    await start('knotd', knotPort, KNOTD, ['-c', join(dir, 'knot.conf')], answersLast);

    const unboundPort = await freePort();
    writeFileSync(join(dir, 'unbound.conf'), unboundClusterConfig(dir, unboundPort, records));
    await start('unbound', unboundPort, UNBOUND, ['-d', '-c', join(dir, 'unbound.conf')], answersLast);

    const barePort = await freePort();
    await start('bare-node', barePort, process.execPath, [BARE_NODE, String(barePort)], async (p) => (await p.ask('x', 'A', 200)) !== undefined);
    return { clusterdnsReadyMB, processes, ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The cluster zones served by kubernetes alone, everything else forwarded and cached, on one port. */
function corefile(port: number, kubeconfig: string, upstreamPort: number): string {
  return [
    `cluster.local:${port} in-addr.arpa:${port} {`,
    '  kubernetes cluster.local in-addr.arpa {',
    `    kubeconfig ${kubeconfig}`,
    '  }',
    '}',
    `.:${port} {`,
    `  forward . 127.0.0.1:${upstreamPort}`,
    '  cache 30',
    '}',
    '',
  ].join('\n');
}

async function measure(settings: Settings, scenario: Scenario, servers: Servers, files: Record<QueryFile, string>): Promise<Measured> {
  const pid = servers.processes.get(scenario.server)!.pid;
  const load = scenario.transport === 'tcp' ? TCP_LOAD : UDP_LOAD;
  const cpuBefore = cpuSecondsOf(pid);
  const dnsperf = await runDnsperf({
    port: servers.ports.get(scenario.server)!,
    file: files[scenario.file],
    seconds: settings.seconds,
    transport: scenario.transport,
    qps: scenario.qps,
    ...load,
    verbose: scenario.qps !== undefined,
  });
  const cpuPercent = ((cpuSecondsOf(pid) - cpuBefore) / settings.seconds) * 100;
  const failed = Object.entries(dnsperf.rcodes).reduce((n, [rcode, count]) => (rcode === 'NOERROR' || rcode === 'NXDOMAIN' ? n : n + count), 0);
  return { dnsperf, failed, cpuPercent, rssMB: memoryOf(pid).rss };
}

async function main(): Promise<void> {
  const settings = parseArgs(process.argv.slice(2));
  const loadAtStart = loadavg();
  ensureTools();
  const list = scenarios(settings.rate).filter((s) => settings.only.length === 0 || settings.only.includes(s.label));
  const dir = mkdtempSync(join(tmpdir(), 'clusterdns-bench-dns-'));
  let servers: Servers | undefined;
  try {
    const files: Record<QueryFile, string> = { mix: join(dir, 'mix.txt'), a: join(dir, 'a.txt'), 'external-hit': join(dir, 'external-hit.txt'), 'external-miss': join(dir, 'external-miss.txt') };
    writeFileSync(files.mix, mixQueries(settings.shape));
    writeFileSync(files.a, aQueries(settings.shape));
    writeFileSync(files['external-hit'], externalHitQueries());
    writeFileSync(files['external-miss'], externalMissQueries());
    servers = await startServers(dir, settings.shape, [...clusterRecords(settings.shape)]);
    const results = new Map<string, Measured[]>();
    for (let run = 1; run <= settings.runs; run++) {
      for (const s of list) {
        process.stderr.write(`run ${run} of ${settings.runs}: ${s.label}…\n`);
        const m = await measure(settings, s, servers, files);
        results.set(s.label, [...(results.get(s.label) ?? []), m]);
      }
    }
    const heading = `${settings.shape.services} services in ${settings.shape.namespaces} namespaces; ${settings.runs} runs of ${settings.seconds} s each, interleaved; medians (QPS: min–max); node ${process.version}`;
    console.log(table(heading, list, results));
    console.log();
    console.log(targetTable(settings.rate, servers.clusterdnsReadyMB, results));
    console.log();
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
    console.log(`${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average ${load(loadAtStart)} at the start, ${load(loadavg())} at the end`);
  } finally {
    await servers?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
