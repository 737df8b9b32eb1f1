// dnsperf's query files ("NAME TYPE" per line): the in-cluster mix, an A-only set, and the external
// names of the forward path (a small warm set that the cache answers, and a large set it never holds).
// Design decision: questions are picked by a fixed stride through the services, never at random, so
// every server is asked the same questions in the same order.
import { servicePlan, type ClusterShape } from '../scale/generate.js';
import { endpointNames, reverseName, serviceName } from './cluster.js';
import { EXTERNAL_HIT_ZONE, EXTERNAL_MISS_ZONE } from './peers.js';

export const QUERIES_PER_FILE = 100_000;
/** Distinct names of the cache-hit set: few enough to stay cached, as a cluster's popular names do. */
const HIT_NAMES = 100;
/** Distinct names of the cache-miss set: more than any run asks. */
export const MISS_NAMES = 200_000;
/** A prime stride, so consecutive questions land in different namespaces and kinds of service. */
const STRIDE = 7919;

export type QueryKind = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'NXDOMAIN';

/** The in-cluster mix, out of 20: 70 % A, 10 % AAAA (NODATA), 10 % SRV, 5 % PTR, 5 % NXDOMAIN. */
const MIX: readonly QueryKind[] = [...Array<QueryKind>(14).fill('A'), 'AAAA', 'AAAA', 'SRV', 'SRV', 'PTR', 'NXDOMAIN'];

/** The `i`-th question of a kind: A alternates between service and endpoint names, PTR between ClusterIPs and endpoints. */
export function question(shape: ClusterShape, kind: QueryKind, i: number): string {
  // A and PTR alternate between two names of a service: questions i and i + 1 share the service, so
  // each is asked both (the stride is odd: by i alone, even i would only ever reach even services).
  const n = kind === 'A' || kind === 'PTR' ? Math.floor(i / 2) : i;
  const plan = servicePlan(shape, (n * STRIDE) % shape.services);
  const endpoints = endpointNames(shape, plan);
  const endpoint = endpoints[n % endpoints.length]!;
  const service = serviceName(plan);
  switch (kind) {
    case 'A':
      return `${i % 2 === 0 ? service : endpoint.name} A`;
    case 'AAAA':
      return `${service} AAAA`;
    case 'SRV':
      return `_http._tcp.${service} SRV`;
    case 'PTR':
      return `${reverseName(i % 2 === 0 && plan.clusterIP ? plan.clusterIP : endpoint.address)} PTR`;
    case 'NXDOMAIN':
      return `missing-${i}.${plan.namespace}.svc.cluster.local A`;
  }
}

function lines(count: number, line: (i: number) => string): string {
  return `${Array.from({ length: count }, (_, i) => line(i)).join('\n')}\n`;
}

export function mixQueries(shape: ClusterShape): string {
  // Each kind counts its own questions, so no question repeats before its kind has gone through every service.
  const asked = new Map<QueryKind, number>();
  return lines(QUERIES_PER_FILE, (i) => {
    const kind = MIX[i % MIX.length]!;
    const n = asked.get(kind) ?? 0;
    asked.set(kind, n + 1);
    return question(shape, kind, n);
  });
}

export function aQueries(shape: ClusterShape): string {
  return lines(QUERIES_PER_FILE, (i) => question(shape, 'A', i));
}

export function externalHitQueries(): string {
  return lines(HIT_NAMES, (i) => `www-${i}.${EXTERNAL_HIT_ZONE} A`);
}

export function externalMissQueries(): string {
  return lines(MISS_NAMES, (i) => `q${i}.${EXTERNAL_MISS_ZONE} A`);
}
