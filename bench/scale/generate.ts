// A large synthetic cluster as raw Kubernetes objects (what `kubectl get -o json` would show),
// for the scale benchmark: it loads the fake API server and, written as JSON lists, the file source.
// Design decision: everything is derived from the object's ordinal, never from a random source,
// so every run, every process and the churn of updates agree on names and addresses without
// sharing state. Endpoints point at a fixed pool of pods per namespace: a headless service's five
// endpoints are its own pods (StatefulSet-style hostnames), and each ClusterIP service selects
// one to three of the namespace's pods, as Deployments behind both kinds of service do.
import type { ApiObject } from '../../test/support/fake-apiserver.js';

export interface ClusterShape {
  services: number;
  namespaces: number;
  /** Share of the services that are headless (0..1). */
  headlessShare: number;
  /** Endpoints of each headless service. */
  headlessEndpoints: number;
  /** A ClusterIP service has min..max endpoints, cycling through the values in between. */
  clusterIPEndpoints: { min: number; max: number };
  /** Pods backing the services (spread evenly over the namespaces). */
  pods: number;
}

export const DEFAULT_SHAPE: ClusterShape = {
  services: 100_000,
  namespaces: 1_000,
  headlessShare: 0.3,
  headlessEndpoints: 5,
  clusterIPEndpoints: { min: 1, max: 3 },
  pods: 150_000,
};

/** `base` (the default cluster unless given) with `services` services, namespaces and pods in proportion. */
export function scaledShape(services: number, base: ClusterShape = DEFAULT_SHAPE): ClusterShape {
  const scale = services / base.services;
  return {
    ...base,
    services,
    namespaces: Math.max(1, Math.round(base.namespaces * scale)),
    pods: Math.round(base.pods * scale),
  };
}

export interface ClusterCounts {
  namespaces: number;
  services: number;
  headless: number;
  endpointSlices: number;
  /** Endpoint entries over all slices (a pod behind two services counts twice). */
  endpoints: number;
  pods: number;
}

/** One service of the cluster, as the generator lays it out. */
export interface ServicePlan {
  namespace: string;
  namespaceOrdinal: number;
  name: string;
  headless: boolean;
  /** Undefined for a headless service. */
  clusterIP: string | undefined;
  /** Ordinals (within the namespace's pod pool) of the pods behind it. */
  pods: number[];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const SERVICE_CIDR_BASE = ip4(10, 96, 0, 0);
const POD_CIDR_BASE = ip4(10, 128, 0, 0);
/** A pod address no generated pod has: the churn moves endpoints there and back. */
const MOVED_CIDR_BASE = ip4(10, 192, 0, 0);

function namespaceName(ordinal: number): string {
  return `ns-${String(ordinal).padStart(4, '0')}`;
}

/** Services are dealt to namespaces round-robin; the first `headlessShare` of each namespace are headless. */
export function servicePlan(shape: ClusterShape, ordinal: number): ServicePlan {
  const ns = ordinal % shape.namespaces;
  const inNamespace = Math.floor(ordinal / shape.namespaces);
  const perNamespace = Math.ceil(shape.services / shape.namespaces);
  const headlessPerNamespace = Math.round(perNamespace * shape.headlessShare);
  const headless = inNamespace < headlessPerNamespace;
  const pool = podsPerNamespace(shape);
  let pods: number[];
  if (headless) {
    const first = inNamespace * shape.headlessEndpoints;
    pods = range(shape.headlessEndpoints, (i) => (first + i) % pool);
  } else {
    const { min, max } = shape.clusterIPEndpoints;
    const count = min + (ordinal % (max - min + 1));
    const first = (inNamespace - headlessPerNamespace) * max;
    pods = range(count, (i) => (first + i) % pool);
  }
  return {
    namespace: namespaceName(ns),
    namespaceOrdinal: ns,
    name: `svc-${String(ordinal).padStart(6, '0')}`,
    headless,
    clusterIP: headless ? undefined : ipText(SERVICE_CIDR_BASE + 1 + ordinal),
    pods,
  };
}

function podsPerNamespace(shape: ClusterShape): number {
  return Math.max(1, Math.round(shape.pods / shape.namespaces));
}

/** The address of pod `pod` of namespace `namespace` (by ordinals); `moved` gives its alternative address. */
export function podAddress(shape: ClusterShape, namespaceOrdinal: number, pod: number, moved = false): string {
  return ipText((moved ? MOVED_CIDR_BASE : POD_CIDR_BASE) + namespaceOrdinal * podsPerNamespace(shape) + pod);
}

/** The hostname of a headless service's `i`-th endpoint. */
export function endpointHostname(service: string, i: number): string {
  return `${service}-${i}`;
}

/** Every object of the cluster: the namespaces, then each service followed by its EndpointSlice. */
export function* clusterObjects(shape: ClusterShape): Generator<ApiObject> {
  for (let n = 0; n < shape.namespaces; n++) {
    yield { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(n) } };
  }
  for (let s = 0; s < shape.services; s++) {
    const plan = servicePlan(shape, s);
    yield serviceObject(plan);
    yield endpointSliceObject(shape, plan, new Set());
  }
}

function serviceObject(plan: ServicePlan): ApiObject {
  const spec = plan.headless
    ? { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }
    : {
        type: 'ClusterIP',
        clusterIP: plan.clusterIP,
        clusterIPs: [plan.clusterIP],
        ipFamilies: ['IPv4'],
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: plan.name, namespace: plan.namespace, labels: { app: plan.name } },
    spec: { ...spec, selector: { app: plan.name }, sessionAffinity: 'None' },
  };
}

/** The service's one EndpointSlice; the endpoints whose index is in `moved` sit at their alternative address. */
export function endpointSliceObject(shape: ClusterShape, plan: ServicePlan, moved: ReadonlySet<number>): ApiObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${plan.name}-abcde`, namespace: plan.namespace, labels: { [SERVICE_NAME_LABEL]: plan.name } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: plan.pods.map((pod, i) => ({
      addresses: [podAddress(shape, plan.namespaceOrdinal, pod, moved.has(i))],
      conditions: { ready: true, serving: true, terminating: false },
      ...(plan.headless ? { hostname: endpointHostname(plan.name, i) } : {}),
      targetRef: { kind: 'Pod', namespace: plan.namespace, name: `pod-${pod}` },
    })),
  };
}

export function clusterCounts(shape: ClusterShape): ClusterCounts {
  let headless = 0;
  let endpoints = 0;
  for (let s = 0; s < shape.services; s++) {
    const plan = servicePlan(shape, s);
    if (plan.headless) headless++;
    endpoints += plan.pods.length;
  }
  return {
    namespaces: shape.namespaces,
    services: shape.services,
    headless,
    endpointSlices: shape.services,
    endpoints,
    pods: podsPerNamespace(shape) * shape.namespaces,
  };
}

/** The cluster as typed lists, one JSON document per kind: the form the file source reads fastest. */
export function clusterLists(shape: ClusterShape): Record<string, string> {
  const byKind = new Map<string, ApiObject[]>();
  for (const o of clusterObjects(shape)) {
    const list = byKind.get(o.kind!) ?? [];
    list.push(o);
    byKind.set(o.kind!, list);
  }
  const files: Record<string, string> = {};
  for (const [kind, items] of byKind) {
    files[`${kind.toLowerCase()}s.json`] = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
  }
  return files;
}

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

function ipText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function range(count: number, f: (i: number) => number): number[] {
  return Array.from({ length: count }, (_, i) => f(i));
}
