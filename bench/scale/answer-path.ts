// The kubernetes plugin's answer path in one process: microseconds per question for the kinds of
// names a cluster has, over a generated cluster (10,000 services by default). It shows what
// deriving record sets per question costs, since the index keeps services as compact facts.
// Design decision: each question is asked enough times to take about a second, after a warm-up,
// and every answer is checked once so a broken lookup cannot pass for a fast one.
import { performance } from 'node:perf_hooks';
import { answer } from '../../plugins/kubernetes/answer.js';
import { projectObject } from '../../src/kube/project.js';
import type { Reply, RR } from '../../src/dns/types.js';
import type { KubeObject } from '../../src/kube/objects.js';
import { KubeStore } from '../../src/kube/store.js';
import { makeQuery, options } from '../../test/plugins/kubernetes/harness.js';
import { clusterObjects, endpointHostname, podAddress, scaledShape, servicePlan } from './generate.js';

const shape = scaledShape(Number(process.argv[2] ?? 10_000));
const o = options({ zones: ['cluster.local', 'in-addr.arpa'] });
const store = new KubeStore({ ...o, localAddresses: [] });
store.replaceAll([...clusterObjects(shape)].map((raw) => (projectObject(raw) as { object: KubeObject }).object));
store.markSynced();

const last = (headless: boolean) => {
  for (let s = shape.services - 1; s >= 0; s--) if (servicePlan(shape, s).headless === headless) return servicePlan(shape, s);
  throw new Error(`no ${headless ? 'headless' : 'ClusterIP'} service`);
};
const cluster = last(false);
const headless = last(true);
const svc = (p: typeof cluster) => `${p.name}.${p.namespace}.svc.cluster.local`;
const reverse = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa`;

const questions: [string, string, number][] = [
  ['ClusterIP service A', `${svc(cluster)}. A`, 1],
  [`headless service A (${headless.pods.length})`, `${svc(headless)}. A`, headless.pods.length],
  ['endpoint A', `${endpointHostname(headless.name, 1)}.${svc(headless)}. A`, 1],
  ['service SRV', `_http._tcp.${svc(cluster)}. SRV`, 1],
  [`headless service SRV (${headless.pods.length})`, `${svc(headless)}. SRV`, headless.pods.length],
  ['PTR of a pod address', `${reverse(podAddress(shape, headless.namespaceOrdinal, headless.pods[1]!))}. PTR`, 1],
  ['NXDOMAIN', `nope.${cluster.namespace}.svc.cluster.local. A`, 0],
];

// No memo: every question is derived, which is what this measures (a repeated question is a memo
// hit in the plugin, measured with the whole server by bench/hot-path).
const data = { options: o, store, memo: { get: () => undefined, keep: (_q: unknown, r: Reply) => r, soa: (zone: string, make: (zone: string) => RR) => make(zone) } };
const next = () => {
  throw new Error('the cluster zone answers without the next plugin');
};
for (const [what, text, minimum] of questions) {
  const query = makeQuery(text);
  const ask = () => answer(data, query, next);
  const first = ask();
  if (!('answers' in first) || first.answers.length < minimum) throw new Error(`${text}: expected ${minimum} answers`);
  for (let i = 0; i < 10_000; i++) ask();
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 1000) for (let i = 0; i < 1000; i++, n++) ask();
  console.log(`${what.padEnd(30)} ${(((performance.now() - t) / n) * 1000).toFixed(2)} µs`);
}
