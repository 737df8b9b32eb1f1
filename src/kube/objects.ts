// Lean projections of the Kubernetes objects DNS needs. Every source (YAML files now, the API
// watch later) converts each raw object to one of these as it arrives and drops the rest, as
// CoreDNS's object/ package does; everything downstream sees only these shapes.

export interface PortSpec {
  /** Port name; '' for an unnamed port (no SRV record). */
  name: string;
  port: number;
  /** 'TCP' | 'UDP' | 'SCTP' as in the API (default TCP). */
  protocol: string;
}

export interface NamespaceObject {
  kind: 'Namespace';
  name: string;
}

export interface ServiceObject {
  kind: 'Service';
  namespace: string;
  name: string;
  /** spec.type; 'ClusterIP' when absent. */
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /**
   * spec.clusterIPs, else [spec.clusterIP], without empty entries. A headless service has
   * ['None'] (or nothing, for a service that has no IP yet); ExternalName has [].
   */
  clusterIPs: string[];
  /** spec.externalName for type ExternalName, as written (may be an IP address). */
  externalName: string;
  ports: PortSpec[];
  publishNotReadyAddresses: boolean;
}

export interface EndpointEntry {
  addresses: string[];
  /** endpoints[].hostname, if set. */
  hostname: string | undefined;
  /** conditions.ready; unset counts as ready (as the API documents and CoreDNS does). */
  ready: boolean;
  /** targetRef.name when targetRef.kind is Pod, for `endpoint_pod_names`. */
  podName: string | undefined;
}

export interface EndpointSliceObject {
  kind: 'EndpointSlice';
  namespace: string;
  name: string;
  /** The owning service: label `kubernetes.io/service-name` ('' when the label is missing). */
  service: string;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  ports: PortSpec[];
  endpoints: EndpointEntry[];
}

export interface PodObject {
  kind: 'Pod';
  namespace: string;
  name: string;
  /** status.podIPs[].ip, else [status.podIP]; empty while the pod has no IP. */
  ips: string[];
}

export type KubeObject = NamespaceObject | ServiceObject | EndpointSliceObject | PodObject;
export type KubeKind = KubeObject['kind'];

/** Identity of an object: kind, namespace ('' for Namespaces) and name. */
export function objectKey(o: { kind: KubeKind; name: string; namespace?: string }): string {
  return `${o.kind}/${o.namespace ?? ''}/${o.name}`;
}

/**
 * Where sources deliver objects. Each call is applied whole, between two queries.
 * `replaceAll` is a full resync (initial load, re-list, file re-read): afterwards the sink holds
 * exactly `objects`, and queries saw either the old set or the new one, never a mix.
 */
export interface ObjectSink {
  upsert(object: KubeObject): void;
  remove(kind: KubeKind, namespace: string, name: string): void;
  replaceAll(objects: KubeObject[]): void;
  /**
   * A re-list of one kind (after a watch expired): afterwards the sink holds exactly `objects` of
   * that kind (in `namespace` only, when given), reached by changing only what differs, so
   * unchanged names never vanish meanwhile.
   */
  replaceKind(kind: KubeKind, objects: KubeObject[], namespace?: string): void;
  /** The source has delivered its initial state; until then cluster names answer SERVFAIL. */
  markSynced(): void;
}

/** A producer of objects (YAML files, the Kubernetes API). */
export interface ObjectSource {
  start(sink: ObjectSink): Promise<void>;
  stop(): Promise<void>;
}
