// One dnsperf run against a loopback server, and what it reports: queries per second, average
// latency and lost queries from its summary; with `verbose`, every query's latency from its `-v`
// lines ("> NOERROR name type 0.000123"), for percentiles (this dnsperf has no latency histogram).
// Design decision: `-v` only where percentiles are wanted (the fixed-rate runs): printing a line per
// query costs dnsperf CPU that would otherwise go to sending.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const DNSPERF = 'dnsperf';

export interface DnsperfOptions {
  port: number;
  file: string;
  seconds: number;
  transport: 'udp' | 'tcp';
  /** Queries per second; saturation when undefined. */
  qps?: number;
  clients: number;
  /** Queries outstanding at once, over all clients. */
  outstanding: number;
  verbose: boolean;
}

export interface DnsperfResult {
  sent: number;
  completed: number;
  lost: number;
  qps: number;
  avgMs: number;
  /** Responses by RCODE name, as dnsperf counts them. */
  rcodes: Record<string, number>;
  /** Latencies of answered queries in ms, ascending; empty unless verbose. */
  latenciesMs: Float64Array;
}

export function dnsperfArgs(o: DnsperfOptions): string[] {
  const args = ['-s', '127.0.0.1', '-p', String(o.port), '-d', o.file, '-l', String(o.seconds), '-m', o.transport];
  args.push('-c', String(o.clients), '-T', '1', '-q', String(o.outstanding), '-t', '2');
  if (o.qps !== undefined) args.push('-Q', String(o.qps));
  if (o.verbose) args.push('-v');
  return args;
}

/** The summary figures of dnsperf's report. */
export function parseSummary(report: string): Omit<DnsperfResult, 'latenciesMs'> {
  const figure = (label: string) => {
    const m = new RegExp(`${label}:\\s+([\\d.]+)`).exec(report);
    if (!m) throw new Error(`dnsperf's report has no "${label}":\n${report}`);
    return Number(m[1]);
  };
  const rcodes: Record<string, number> = {};
  for (const [, rcode, count] of /Response codes:(.*)/.exec(report)?.[1]?.matchAll(/([A-Z]+) (\d+)/g) ?? []) rcodes[rcode!] = Number(count);
  return {
    rcodes,
    sent: figure('Queries sent'),
    completed: figure('Queries completed'),
    lost: figure('Queries lost'),
    qps: figure('Queries per second'),
    avgMs: figure('Average Latency \\(s\\)') * 1000,
  };
}

/** The latency in ms of one `-v` line, or undefined for other lines and for lost queries ("> T name type"). */
export function parseVerboseLine(line: string): number | undefined {
  if (!line.startsWith('> ') || line.startsWith('> T ')) return undefined;
  const seconds = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

export async function runDnsperf(o: DnsperfOptions): Promise<DnsperfResult> {
  const child = spawn(DNSPERF, dnsperfArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
  let latencies = new Float64Array(o.verbose ? 1 << 16 : 0);
  let count = 0;
  const report: string[] = [];
  const errors: string[] = [];
  child.stderr.on('data', (b: Buffer) => errors.push(b.toString()));
  for await (const line of createInterface({ input: child.stdout })) {
    const ms = o.verbose ? parseVerboseLine(line) : undefined;
    if (ms === undefined) {
      if (!line.startsWith('> ')) report.push(line);
      continue;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  }
  const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once('exit', resolve)));
  if (code !== 0) throw new Error(`dnsperf exited with ${code}: ${errors.join('')}`);
  return { ...parseSummary(report.join('\n')), latenciesMs: latencies.slice(0, count).sort() };
}
