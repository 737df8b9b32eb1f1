// The benchmark cluster and its DNS records, the same for every server: clusterdns reads the
// Kubernetes objects (bench/scale/generate.ts with this file's shape), and the peers are given the
// records clusterdns derives from them, written out here by the rules of CoreDNS's kubernetes plugin.
// Design decision: the records are computed from the same service plans as the objects, never
// by asking clusterdns, so a test can hold clusterdns's answers against them.
import { ipToDashed } from '../../src/dns/names.js';
import { servicePlan, podAddress, endpointHostname, type ClusterShape, type ServicePlan } from '../scale/generate.js';

/** 10,000 services in 100 namespaces; a tenth of them headless with 3 endpoints, the others with 1 endpoint each. */
export const DNS_SHAPE: ClusterShape = {
  services: 10_000,
  namespaces: 100,
  headlessShare: 0.1,
  headlessEndpoints: 3,
  clusterIPEndpoints: { min: 1, max: 1 },
  pods: 10_000,
};

export const ZONE = 'cluster.local';
/** The reverse zone every generated address (10.0.0.0/8) falls in. */
export const REVERSE_ZONE = '10.in-addr.arpa';
/** clusterdns's default TTL, given to the peers' records too. */
export const TTL = 5;
/** The port and protocol every generated service names (so `_http._tcp` SRV questions). */
const SERVICE_PORT = 80;
const ENDPOINT_PORT = 8080;

export interface Rr {
  /** Absolute, without the final dot. */
  name: string;
  type: 'A' | 'SRV' | 'PTR';
  /** The RDATA in zone-file form; names in it end with a dot. */
  data: string;
}

export function serviceName(plan: ServicePlan): string {
  return `${plan.name}.${plan.namespace}.svc.${ZONE}`;
}

/** The names of a service's endpoints with their addresses: hostnames for headless services, dashed addresses otherwise. */
export function endpointNames(shape: ClusterShape, plan: ServicePlan): { name: string; address: string }[] {
  return plan.pods.map((pod, i) => {
    const address = podAddress(shape, plan.namespaceOrdinal, pod);
    const label = plan.headless ? endpointHostname(plan.name, i) : ipToDashed(address);
    return { name: `${label}.${serviceName(plan)}`, address };
  });
}

export function reverseName(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** Every record of the cluster: A of services and endpoints, `_http._tcp` SRV, PTR of every address. */
export function* clusterRecords(shape: ClusterShape): Generator<Rr> {
  const ptrs = new Map<string, Set<string>>();
  const addPtr = (address: string, target: string) => {
    const targets = ptrs.get(address) ?? new Set<string>();
    targets.add(target);
    ptrs.set(address, targets);
  };
  for (let s = 0; s < shape.services; s++) {
    const plan = servicePlan(shape, s);
    const name = serviceName(plan);
    const endpoints = endpointNames(shape, plan);
    if (plan.headless) {
      // CoreDNS's SRV weight: 100 shared evenly over the records, rounded down.
      const weight = Math.max(1, Math.floor(100 / endpoints.length));
      for (const e of endpoints) yield { name, type: 'A', data: e.address };
      for (const e of endpoints) yield { name: `_http._tcp.${name}`, type: 'SRV', data: `0 ${weight} ${ENDPOINT_PORT} ${e.name}.` };
    } else {
      yield { name, type: 'A', data: plan.clusterIP! };
      yield { name: `_http._tcp.${name}`, type: 'SRV', data: `0 100 ${SERVICE_PORT} ${name}.` };
      addPtr(plan.clusterIP!, name);
    }
    for (const e of endpoints) {
      yield { name: e.name, type: 'A', data: e.address };
      addPtr(e.address, e.name);
    }
  }
  for (const [address, targets] of ptrs) {
    for (const target of [...targets].sort()) yield { name: reverseName(address), type: 'PTR', data: `${target}.` };
  }
}
