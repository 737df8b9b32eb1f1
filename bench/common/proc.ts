// What the benchmarks read about a process from outside it, and the arithmetic of their tables:
// resident memory and CPU time from /proc, a free loopback port, medians and percentiles.
// Design decision: /proc is read, never the process asked, so the measurement costs the measured
// server nothing and works the same for clusterdns, knotd and unbound.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The environment clusterdns runs with in production (the Dockerfile and manifests/ set it; a test
 * checks they agree), given to it here too so the figures are the ones operators get. glibc's
 * malloc otherwise keeps up to eight arenas per core, one for each thread that ever allocated
 * (libuv's pool, V8's GC helpers), and holds on to what they freed: two arenas cost ~7 MB less
 * resident memory at 100,000 services and no time we could measure. glibc reads it once, at exec.
 */
export const SERVER_ENVIRONMENT = { MALLOC_ARENA_MAX: '2' } as const;

/** Linux's USER_HZ, the unit of /proc/PID/stat times. */
const CLOCK_TICKS = 100;

/** VmRSS and VmHWM of a process, in MB. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** User plus system CPU time of a process so far, in seconds. */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command (which may hold spaces) start at the state; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A free loopback port for UDP and TCP (asked of TCP, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export function median(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  return known.length === 0 ? undefined : known[Math.floor((known.length - 1) / 2)];
}

/** The `p`-th percentile of ascending `sorted` (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
