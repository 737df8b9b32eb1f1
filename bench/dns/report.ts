// The benchmark's scenarios and results as tables: one row per scenario (medians of the runs, and
// the spread of QPS), and clusterdns's figures against the targets of issue 6, met or missed.
// Design decision: a target names the scenarios it reads by their labels, so the list of scenarios
// and the targets can change apart, and a target whose scenarios were not run shows "-".
import { median, percentile } from '../common/proc.js';
import type { DnsperfResult } from './dnsperf.js';

export type ServerName = 'clusterdns' | 'knotd' | 'unbound' | 'bare-node';
export type QueryFile = 'mix' | 'a' | 'external-hit' | 'external-miss';

export interface Scenario {
  label: string;
  server: ServerName;
  file: QueryFile;
  transport: 'udp' | 'tcp';
  /** Fixed rate; saturation when undefined. */
  qps?: number;
}

export interface Measured {
  dnsperf: DnsperfResult;
  /** Answers that are neither NOERROR nor NXDOMAIN (SERVFAIL, REFUSED…): a server that fails is not fast. */
  failed: number;
  cpuPercent: number;
  rssMB: number;
}

/** Every scenario, in the order of a run; the targets below read them by these labels. */
export function scenarios(rate: number): Scenario[] {
  const list: Scenario[] = [];
  for (const server of ['clusterdns', 'unbound', 'knotd', 'bare-node'] as const) {
    list.push({ label: `mix udp max ${server}`, server, file: 'mix', transport: 'udp' });
  }
  for (const server of ['clusterdns', 'unbound', 'knotd', 'bare-node'] as const) {
    list.push({ label: `mix udp ${rate / 1000}k/s ${server}`, server, file: 'mix', transport: 'udp', qps: rate });
  }
  for (const server of ['clusterdns', 'unbound', 'knotd'] as const) {
    list.push({ label: `A udp max ${server}`, server, file: 'a', transport: 'udp' });
  }
  for (const server of ['clusterdns', 'unbound', 'knotd'] as const) {
    list.push({ label: `mix tcp max ${server}`, server, file: 'mix', transport: 'tcp' });
  }
  list.push({ label: 'forward hit udp max clusterdns', server: 'clusterdns', file: 'external-hit', transport: 'udp' });
  list.push({ label: 'forward miss udp max clusterdns', server: 'clusterdns', file: 'external-miss', transport: 'udp' });
  return list;
}

function fixed(v: number | undefined, digits: number): string {
  return v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits);
}

export function table(heading: string, list: readonly Scenario[], results: Map<string, Measured[]>): string {
  const lines = [
    heading,
    `${'scenario'.padEnd(34)}${'QPS'.padStart(9)}${'min–max'.padStart(16)}${'avg ms'.padStart(8)}${'p99 ms'.padStart(8)}${'p99.9 ms'.padStart(10)}${'lost'.padStart(8)}${'failed'.padStart(8)}${'CPU %'.padStart(7)}${'RSS MB'.padStart(8)}`,
  ];
  for (const s of list) {
    const runs = results.get(s.label) ?? [];
    const of = (f: (m: Measured) => number | undefined) => median(runs.map(f));
    const qps = runs.map((m) => m.dnsperf.qps);
    const tail = (p: number) => of((m) => percentile(Array.from(m.dnsperf.latenciesMs), p));
    lines.push(
      s.label.padEnd(34) +
        fixed(of((m) => m.dnsperf.qps), 0).padStart(9) +
        `${fixed(Math.min(...qps), 0)}–${fixed(Math.max(...qps), 0)}`.padStart(16) +
        fixed(of((m) => m.dnsperf.avgMs), 3).padStart(8) +
        fixed(tail(99), 3).padStart(8) +
        fixed(tail(99.9), 3).padStart(10) +
        fixed(of((m) => m.dnsperf.lost), 0).padStart(8) +
        fixed(of((m) => m.failed), 0).padStart(8) +
        fixed(of((m) => m.cpuPercent), 0).padStart(7) +
        fixed(of((m) => m.rssMB), 1).padStart(8),
    );
  }
  return lines.join('\n');
}

interface Target {
  what: string;
  measured: (q: (label: string, f: (m: Measured) => number | undefined) => number | undefined) => number | undefined;
  goal: string;
  met: (v: number) => boolean;
  digits: number;
}

function targets(rate: number, readyMB: number): Target[] {
  const qps = (m: Measured) => m.dnsperf.qps;
  const tail = (p: number) => (m: Measured) => percentile(Array.from(m.dnsperf.latenciesMs), p);
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a / b);
  const at = `mix udp ${rate / 1000}k/s clusterdns`;
  return [
    { what: 'in-cluster mix, UDP: clusterdns / unbound-1-thread', measured: (q) => ratio(q('mix udp max clusterdns', qps), q('mix udp max unbound', qps)), goal: '>= 0.85', met: (v) => v >= 0.85, digits: 2 },
    { what: `p99 at ${rate} QPS (ms)`, measured: (q) => q(at, tail(99)), goal: '<= 0.3', met: (v) => v <= 0.3, digits: 3 },
    { what: `p99.9 at ${rate} QPS (ms)`, measured: (q) => q(at, tail(99.9)), goal: '<= 1', met: (v) => v <= 1, digits: 3 },
    { what: 'RSS at ready, whole cluster loaded (MB)', measured: () => readyMB, goal: '<= 67', met: (v) => v <= 67, digits: 1 },
    { what: 'forwarded cache hits / in-cluster mix', measured: (q) => ratio(q('forward hit udp max clusterdns', qps), q('mix udp max clusterdns', qps)), goal: '>= 0.8', met: (v) => v >= 0.8, digits: 2 },
    { what: 'TCP, 16 connections: clusterdns / knotd', measured: (q) => ratio(q('mix tcp max clusterdns', qps), q('mix tcp max knotd', qps)), goal: '>= 0.8', met: (v) => v >= 0.8, digits: 2 },
    { what: 'clusterdns TCP / UDP (mix)', measured: (q) => ratio(q('mix tcp max clusterdns', qps), q('mix udp max clusterdns', qps)), goal: '', met: () => true, digits: 2 },
    { what: 'clusterdns / bare Node ceiling (mix, UDP)', measured: (q) => ratio(q('mix udp max clusterdns', qps), q('mix udp max bare-node', qps)), goal: '', met: () => true, digits: 2 },
  ];
}

export function targetTable(rate: number, readyMB: number, results: Map<string, Measured[]>): string {
  const q = (label: string, f: (m: Measured) => number | undefined) => median((results.get(label) ?? []).map(f));
  const lines = [`${'target'.padEnd(50)}${'measured'.padStart(10)}   goal`];
  for (const t of targets(rate, readyMB)) {
    const v = t.measured(q);
    const verdict = v === undefined || t.goal === '' ? '' : t.met(v) ? '  met' : '  MISSED';
    lines.push(`${t.what.padEnd(50)}${fixed(v, t.digits).padStart(10)}   ${t.goal}${verdict}`);
  }
  return lines.join('\n');
}
