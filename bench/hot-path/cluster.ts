// The server's own message handler over a generated cluster, and the questions the hot-path
// benchmark asks it, each pre-encoded once. Design decision: the handler comes from `startApp` on
// a real Corefile (the kubernetes plugin reading the cluster from JSON files), so what is measured
// is the chain the server runs, not a hand-assembled copy of it.
import { handlerOf } from '../../src/app.js';
import { encodeQuery } from '../../src/dns/wire.js';
import { RCODE } from '../../src/dns/types.js';
import type { Handler, Peer } from '../../src/server/handle.js';
import { startServer } from '../../test/support/server.js';
import { clusterLists, podAddress, scaledShape, servicePlan, type ClusterShape, type ServicePlan } from '../scale/generate.js';

export interface Question {
  kind: string;
  /** The query as it arrives from a socket. */
  wire: Buffer;
  rcode: number;
  answers: number;
}

export interface HotPath {
  handler: Handler;
  questions: Question[];
  stop(): Promise<void>;
}

/** The client every question comes from: one object, so the loop allocates nothing of its own. */
export const PEER: Peer = { address: '127.0.0.1', port: 40000 };

/** `cache` puts a `cache` in front of kubernetes: after the first question every answer is a cache hit. */
export async function startHotPath(services: number, cache = false): Promise<HotPath> {
  const shape = scaledShape(services);
  const files = Object.fromEntries(Object.entries(clusterLists(shape)).map(([name, text]) => [`objects/${name}`, text]));
  const corefile = [
    'cluster.local in-addr.arpa {',
    '    bind 127.0.0.1',
    ...(cache ? ['    cache 30'] : []),
    '    kubernetes {',
    '        objects objects',
    '    }',
    '}',
  ].join('\n');
  const server = await startServer(corefile, files);
  return {
    handler: handlerOf(server.app, server.app.listeners[0]!),
    questions: questions(shape),
    stop: () => server.stop(),
  };
}

function questions(shape: ClusterShape): Question[] {
  const cluster = firstService(shape, false);
  const headless = firstService(shape, true);
  const name = (p: ServicePlan) => `${p.name}.${p.namespace}.svc.cluster.local`;
  const pod = headless.pods[1]!;
  const address = podAddress(shape, headless.namespaceOrdinal, pod);
  const ask = (kind: string, qname: string, type: string, rcode: number, answers: number, id: number): Question => ({
    kind,
    wire: encodeQuery({ id, name: qname, type, rd: true }),
    rcode,
    answers,
  });
  return [
    ask('ClusterIP service A', name(cluster), 'A', RCODE.NOERROR, 1, 1),
    ask(`headless service A (${headless.pods.length})`, name(headless), 'A', RCODE.NOERROR, headless.pods.length, 2),
    ask('service SRV', `_http._tcp.${name(cluster)}`, 'SRV', RCODE.NOERROR, 1, 3),
    ask('PTR of a pod address', `${address.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', RCODE.NOERROR, servicesOf(shape, headless.namespaceOrdinal, pod), 4),
    ask('AAAA NODATA', name(cluster), 'AAAA', RCODE.NOERROR, 0, 5),
    ask('NXDOMAIN', `nope.${cluster.namespace}.svc.cluster.local`, 'A', RCODE.NXDOMAIN, 0, 6),
    // No plugin runs: the floor of the server's own work (decode, route, encode).
    ask('REFUSED (outside the zones)', 'example.org', 'A', RCODE.REFUSED, 0, 7),
  ];
}

/** A pod's address has one name per service the pod backs. */
function servicesOf(shape: ClusterShape, namespaceOrdinal: number, pod: number): number {
  let n = 0;
  for (let s = 0; s < shape.services; s++) {
    const plan = servicePlan(shape, s);
    if (plan.namespaceOrdinal === namespaceOrdinal && plan.pods.includes(pod)) n++;
  }
  return n;
}

function firstService(shape: ClusterShape, headless: boolean): ServicePlan {
  for (let s = 0; s < shape.services; s++) {
    const plan = servicePlan(shape, s);
    if (plan.headless === headless) return plan;
  }
  throw new Error(`the cluster has no ${headless ? 'headless' : 'ClusterIP'} service`);
}
