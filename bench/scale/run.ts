// The scale benchmark (`npm run bench:scale`): a generated cluster served by the fake API server
// in one process, clusterdns reading it through a kubeconfig in another, and this process
// measuring from outside: time from clusterdns's start to its first correct answers, its
// resident memory (/proc/PID/status), and the time from an EndpointSlice write to the changed
// answer under a steady stream of writes. Prints one column per run and their medians.
// Design decision: everything is bounded (runs, seconds, a deadline per wait) and on loopback;
// `--source files` serves the same cluster from JSON files instead (no update stream then: the
// file source re-reads every file on each change, which is not what it is for).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ipToDashed } from '../../src/dns/names.js';
import { forkApiServer, type ApiServerProcess } from '../common/apiserver.js';
import { cpuSecondsOf, freePort, median, memoryOf, percentile, SERVER_ENVIRONMENT } from '../common/proc.js';
import type { Listed, ListServing, Started } from './apiserver.js';
import {
  clusterCounts,
  clusterLists,
  DEFAULT_SHAPE,
  endpointHostname,
  podAddress,
  scaledShape,
  servicePlan,
  type ClusterShape,
} from './generate.js';
import { Prober } from './probe.js';

interface Settings {
  shape: ClusterShape;
  runs: number;
  seconds: number;
  rate: number;
  source: 'api' | 'files';
  settleMs: number;
  /** Extra flags for clusterdns's node (heap limits, for instance). */
  nodeOptions: string[];
}

interface RunResult {
  fakeLoadMs: number | undefined;
  fakeRawListMs: number | undefined;
  fakeServingMs: number | undefined;
  readyMs: number;
  cpuAtReadyMs: number;
  rssReadyMB: number;
  rssSettledMB: number;
  rssAfterUpdatesMB: number | undefined;
  peakMB: number;
  p50: number | undefined;
  p99: number | undefined;
  max: number | undefined;
  updates: number;
  missed: number;
}

/** The CLI of the same build as this file (dist/, or a private build directory). */
const CLI = new URL('../../src/cli.js', import.meta.url).pathname;
const READY_DEADLINE_MS = 120_000;
const ANSWER_DEADLINE_MS = 5_000;
/** The page size of clusterdns's lists, for the fake server's own measurement. */
const PAGE_SIZE = 500;

function parseArgs(argv: readonly string[]): Settings {
  const get = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
  };
  const source = get('--source', 'api');
  if (source !== 'api' && source !== 'files') throw new Error(`--source is api or files, not ${source}`);
  return {
    shape: scaledShape(Number(get('--services', String(DEFAULT_SHAPE.services)))),
    runs: Number(get('--runs', '3')),
    seconds: Number(get('--seconds', '30')),
    rate: Number(get('--rate', '100')),
    source,
    settleMs: Number(get('--settle', '60000')),
    nodeOptions: get('--node-options', '').split(' ').filter((o) => o !== ''),
  };
}

/** The name and address that show an EndpointSlice write has been applied. */
function changedName(shape: ClusterShape, service: number, endpoint: number, moved: boolean): { name: string; address: string } {
  const plan = servicePlan(shape, service);
  const address = podAddress(shape, plan.namespaceOrdinal, plan.pods[endpoint]!, moved);
  const label = plan.headless ? endpointHostname(plan.name, endpoint) : ipToDashed(address);
  return { name: `${label}.${plan.name}.${plan.namespace}.svc.cluster.local`, address };
}

/** Asks until `name` answers `address`; the milliseconds that took, or undefined past the deadline. */
async function timeUntilAnswered(prober: Prober, name: string, address: string, since: number): Promise<number | undefined> {
  while (performance.now() - since < ANSWER_DEADLINE_MS) {
    if (await prober.answers(name, address, 250)) return performance.now() - since;
  }
  return undefined;
}

/** Writes `rate` slice updates a second for `seconds`, each followed until its answer shows. */
async function updateStream(
  settings: Settings,
  prober: Prober,
  move: (service: number, endpoint: number, moved: boolean) => Promise<unknown>,
): Promise<{ latencies: number[]; missed: number }> {
  const { shape, rate, seconds } = settings;
  const total = Math.round(rate * seconds);
  const movedEndpoint = new Map<number, number>();
  const latencies: number[] = [];
  let missed = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    // A stride through the services, so consecutive writes hit different namespaces and kinds.
    const service = (i * 7919) % shape.services;
    const endpoint = i % servicePlan(shape, service).pods.length;
    const moved = movedEndpoint.get(service) !== endpoint;
    if (moved) movedEndpoint.set(service, endpoint);
    else movedEndpoint.delete(service);
    const { name, address } = changedName(shape, service, endpoint, moved);
    const sent = performance.now();
    const follow = async () => {
      await move(service, endpoint, moved);
      const ms = await timeUntilAnswered(prober, name, address, sent);
      if (ms === undefined) missed++;
      else latencies.push(ms);
    };
    inFlight.push(follow());
  }
  await Promise.all(inFlight);
  return { latencies: latencies.sort((a, b) => a - b), missed };
}

async function oneRun(settings: Settings): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdns-scale-'));
  const port = await freePort();
  let api: ApiServerProcess | undefined;
  let server: ChildProcess | undefined;
  try {
    let stanza: string;
    let started: Started | undefined;
    let rawList: Listed | undefined;
    if (settings.source === 'api') {
      api = forkApiServer();
      started = (await api.ask({ do: 'start', shape: settings.shape })) as Started;
      rawList = (await api.ask({ do: 'list', pageSize: PAGE_SIZE })) as Listed;
      stanza = `kubeconfig ${started.kubeconfig}`;
    } else {
      mkdirSync(join(dir, 'cluster'));
      for (const [file, text] of Object.entries(clusterLists(settings.shape))) writeFileSync(join(dir, 'cluster', file), text);
      stanza = `objects ${join(dir, 'cluster')}`;
    }
    const corefile = join(dir, 'Corefile');
    writeFileSync(corefile, `.:${port} {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    ${stanza}\n  }\n}\n`);

    const last = (headless: boolean) => {
      for (let s = settings.shape.services - 1; s >= 0; s--) if (servicePlan(settings.shape, s).headless === headless) return s;
      throw new Error(`the cluster has no ${headless ? 'headless' : 'ClusterIP'} service`);
    };
    const checks = [last(true), last(false)].map((s) => changedName(settings.shape, s, 0, false));
    const prober = new Prober(port);
    const log = join(dir, 'clusterdns.log');
    const t0 = performance.now();
    server = spawn(process.execPath, [...settings.nodeOptions, CLI, '-conf', corefile], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...SERVER_ENVIRONMENT },
    });
    const output: Buffer[] = [];
    server.stdout!.on('data', (b: Buffer) => output.push(b));
    server.stderr!.on('data', (b: Buffer) => output.push(b));
    let readyMs: number | undefined;
    while (readyMs === undefined && performance.now() - t0 < READY_DEADLINE_MS && server.exitCode === null) {
      const ok = await Promise.all(checks.map((c) => prober.answers(c.name, c.address, 200)));
      if (ok.every(Boolean)) readyMs = performance.now() - t0;
      else await sleep(10);
    }
    writeFileSync(log, Buffer.concat(output));
    if (readyMs === undefined) throw new Error(`clusterdns did not answer correctly within ${READY_DEADLINE_MS} ms; its log: ${log}`);
    const atReady = memoryOf(server.pid!);
    const cpuAtReady = cpuSecondsOf(server.pid!);
    await sleep(settings.settleMs);
    const settled = memoryOf(server.pid!);

    let stream: { latencies: number[]; missed: number } | undefined;
    let afterUpdates: number | undefined;
    if (api) {
      const { ask } = api;
      stream = await updateStream(settings, prober, (service, endpoint, moved) => ask({ do: 'move', service, endpoint, moved }));
      afterUpdates = memoryOf(server.pid!).rss;
    }
    const serving = api ? ((await api.ask({ do: 'serving' })) as ListServing) : undefined;
    const peak = memoryOf(server.pid!).peak;
    prober.close();
    return {
      fakeLoadMs: started?.loadMs,
      fakeRawListMs: rawList?.ms,
      fakeServingMs: serving?.ms,
      readyMs,
      cpuAtReadyMs: cpuAtReady * 1000,
      rssReadyMB: atReady.rss,
      rssSettledMB: settled.rss,
      rssAfterUpdatesMB: afterUpdates,
      peakMB: peak,
      p50: stream && percentile(stream.latencies, 50),
      p99: stream && percentile(stream.latencies, 99),
      max: stream?.latencies.at(-1),
      updates: stream?.latencies.length ?? 0,
      missed: stream?.missed ?? 0,
    };
  } finally {
    server?.kill('SIGTERM');
    if (server && server.exitCode === null) await once(server, 'exit');
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(settings: Settings, results: readonly RunResult[]): string {
  const counts = clusterCounts(settings.shape);
  const formulaMB = (counts.pods + counts.services) / 1000 + 54;
  const perThousand = (mb: number) => mb / ((counts.pods + counts.services) / 1000);
  const rows: [string, (r: RunResult) => number | undefined, number, string][] = [
    ['fake API server: load cluster (ms)', (r) => r.fakeLoadMs, 0, ''],
    ['fake API server: lists, raw client (ms)', (r) => r.fakeRawListMs, 0, ''],
    ['fake API server: lists to clusterdns (ms)', (r) => r.fakeServingMs, 0, ''],
    ['ready from process start (ms)', (r) => r.readyMs, 0, '< 5000'],
    ['  clusterdns CPU time until then (ms)', (r) => r.cpuAtReadyMs, 0, ''],
    ['RSS at ready (MB)', (r) => r.rssReadyMB, 1, ''],
    [`RSS ready + ${settings.settleMs / 1000} s, idle (MB)`, (r) => r.rssSettledMB, 1, ''],
    ['RSS steady, after the update stream (MB)', (r) => r.rssAfterUpdatesMB, 1, `<= ${(formulaMB / 2).toFixed(0)}`],
    ['  per 1,000 pods + services (MB)', (r) => r.rssAfterUpdatesMB && perThousand(r.rssAfterUpdatesMB), 3, `<= ${perThousand(formulaMB / 2).toFixed(3)}`],
    ['peak RSS, VmHWM (MB)', (r) => r.peakMB, 1, ''],
    ['event to answer p50 (ms)', (r) => r.p50, 1, ''],
    ['event to answer p99 (ms)', (r) => r.p99, 1, '< 50'],
    ['event to answer max (ms)', (r) => r.max, 1, ''],
    ['updates answered', (r) => r.updates, 0, ''],
    ['updates not seen within 5 s', (r) => r.missed, 0, '0'],
  ];
  const cell = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits)).padStart(9);
  const lines = [
    `${counts.services} services (${counts.headless} headless) in ${counts.namespaces} namespaces, ${counts.endpointSlices} EndpointSlices, ` +
      `${counts.endpoints} endpoints on ${counts.pods} pods; source: ${settings.source === 'api' ? 'kubeconfig → fake API server' : 'objects (JSON files)'}; ` +
      `${settings.rate} updates/s for ${settings.seconds} s; node ${process.version}` +
      (settings.nodeOptions.length > 0 ? `; clusterdns runs with ${settings.nodeOptions.join(' ')}` : ''),
    `${''.padEnd(44)}${results.map((_, i) => `run ${i + 1}`.padStart(9)).join('')}${'median'.padStart(9)}   target`,
  ];
  for (const [label, read, digits, target] of rows) {
    const values = results.map(read);
    lines.push(`${label.padEnd(44)}${values.map((v) => cell(v, digits)).join('')}${cell(median(values), digits)}   ${target}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const settings = parseArgs(process.argv.slice(2));
  const results: RunResult[] = [];
  for (let i = 0; i < settings.runs; i++) {
    process.stderr.write(`run ${i + 1} of ${settings.runs}…\n`);
    results.push(await oneRun(settings));
  }
  console.log(table(settings, results));
}

await main();
