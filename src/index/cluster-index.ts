// ClusterIndex: every name of the cluster schema, relative to the cluster zone, with the records
// it answers, plus the reverse map. It knows DNS facts only (no Kubernetes types): its writers
// hand it whole services (ServiceRecords, which answer for the names below them), its readers
// walk it synchronously. Every write is one update: it bumps the generation and the
// last-modified time that serves as the SOA serial.
import { ipFamily, ipToDashed } from '../dns/names.js';
import { addressText } from './address.js';
import { nameRecords, type IndexEntry, type NameRecords } from './records.js';
import { PtrMap } from './reverse.js';
import { ServiceRecords } from './service.js';
import { NameNode } from './trie.js';

/** The schema version published at `dns-version.<zone>` (TXT, fixed TTL). */
export const SCHEMA_VERSION = '1.1.0';
const SCHEMA_TTL = 28800;

export interface ClusterIndexOptions {
  /** TTL of the records the index makes itself (the name server's addresses). */
  ttl: number;
  /** Milliseconds since the epoch; Date.now by default. */
  clock?: () => number;
  /** The generation to start from, so a replacement index continues its predecessor's count. */
  generation?: number;
}

export class ClusterIndex {
  private readonly root = new NameNode('');
  private readonly svc: NameNode;
  private readonly pod: NameNode;
  private readonly nameserverNode: NameNode;
  private readonly ptr = new PtrMap();
  /** Services that have PTRs but no name (`ignore empty_service`), by `namespace/name`. */
  private readonly unnamed = new Map<string, ServiceRecords>();
  private readonly ttl: number;
  private readonly clock: () => number;
  private gen: number;
  private lastModified: number;

  constructor(options: ClusterIndexOptions) {
    this.ttl = options.ttl;
    this.clock = options.clock ?? Date.now;
    this.gen = options.generation ?? 0;
    this.lastModified = Math.floor(this.clock() / 1000);
    this.svc = this.root.ensureChild('svc');
    this.pod = this.root.ensureChild('pod');
    this.root.ensureChild('dns-version').records = nameRecords(SCHEMA_TTL, { txt: [SCHEMA_VERSION] });
    this.nameserverNode = this.root.ensureChild('dns').ensureChild('ns');
    this.nameserverNode.records = nameRecords(this.ttl, {});
  }

  /** Incremented by every update. */
  get generation(): number {
    return this.gen;
  }

  /** Unix seconds of the last update (the SOA serial). */
  get modified(): number {
    return this.lastModified;
  }

  /** What is at `name[start, end)`, a name relative to the cluster zone; lower-case. */
  find(name: string, start: number, end: number): IndexEntry | undefined {
    return this.root.find(name, start, end);
  }

  /** PTR targets of an address in canonical form, relative to the cluster zone. */
  ptrTargets(ip: string): readonly string[] | undefined {
    return this.ptr.targets(ip);
  }

  /**
   * What the index holds, counted for operators (the debug view): a walk over every service,
   * milliseconds for 100,000 of them, so it is not for the answer path.
   */
  census(): IndexCensus {
    const c: IndexCensus = {
      namespaces: 0,
      services: { clusterIP: 0, headless: 0, externalName: 0 },
      endpoints: 0,
      names: 0,
      podAddresses: 0,
      ptrAddresses: this.ptr.size,
    };
    for (const ns of this.svc.childNodes()) {
      c.namespaces++;
      for (const node of ns.childNodes()) {
        const service = node.records;
        if (!(service instanceof ServiceRecords)) continue;
        if (service.cname !== undefined) c.services.externalName++;
        else if (service.headless) c.services.headless++;
        else c.services.clusterIP++;
        const labels = new Set<string>();
        for (const g of service.endpoints) {
          c.endpoints += g.addresses.length;
          for (let i = 0; i < g.addresses.length; i++) labels.add(g.labels?.[i] ?? ipToDashed(addressText(g.addresses[i]!)));
        }
        c.names += 1 + labels.size;
      }
    }
    for (const ns of this.pod.childNodes()) c.podAddresses += ns.pods?.size ?? 0;
    return c;
  }

  /** The addresses of `ns.dns.<zone>`, which the zone's NS record names. */
  get nameserver(): NameRecords {
    return this.nameserverNode.records!;
  }

  setNameserver(addresses: readonly string[]): void {
    const a = addresses.filter((ip) => ipFamily(ip) === 4);
    const aaaa = addresses.filter((ip) => ipFamily(ip) === 6);
    this.nameserverNode.records = nameRecords(this.ttl, { a, aaaa });
    this.touch();
  }

  /** Makes `<ns>.svc` exist, and `<ns>.pod` too when pod names are served. */
  addNamespace(ns: string, withPods: boolean): void {
    this.svc.ensureChild(ns);
    if (withPods) this.pod.ensureChild(ns).pods ??= new Map();
    this.touch();
  }

  /** Removes the namespace and everything in it, PTRs included. */
  removeNamespace(ns: string): void {
    for (const node of this.svc.child(ns)?.childNodes() ?? []) this.withdraw(node.records);
    for (const [key, service] of this.unnamed) {
      if (service.namespace !== ns) continue;
      this.ptr.remove(service);
      this.unnamed.delete(key);
    }
    this.svc.removeChild(ns);
    this.pod.removeChild(ns);
    this.touch();
  }

  /** Replaces everything the service `ns/name` had in the index with `service` (nothing when undefined). */
  putService(ns: string, name: string, service: ServiceRecords | undefined): void {
    if (this.unnamed.size > 0) {
      const key = serviceKey(ns, name);
      this.withdraw(this.unnamed.get(key));
      this.unnamed.delete(key);
    }
    if (service?.named) {
      // A replaced service keeps its node: no churn in its namespace's map of children.
      const node = this.svc.ensureChild(ns).ensureChild(name);
      this.withdraw(node.records);
      node.records = service;
    } else {
      const parent = this.svc.child(ns);
      this.withdraw(parent?.child(name)?.records);
      parent?.removeChild(name);
      if (service) this.unnamed.set(serviceKey(ns, name), service);
    }
    if (service) this.ptr.add(service);
    this.touch();
  }

  /** Runs `load`, which puts many services at once (the first build of a cluster), at the cost of few. */
  bulk(load: () => void): void {
    this.ptr.bulk(load);
  }

  removeService(ns: string, name: string): void {
    this.putService(ns, name, undefined);
  }

  /** Counts one more pod of `ns` holding `ip`; no-op when the namespace serves no pod names. */
  addPodAddress(ns: string, ip: string): void {
    const pods = this.pod.child(ns)?.pods;
    if (!pods) return;
    pods.set(ip, (pods.get(ip) ?? 0) + 1);
    this.touch();
  }

  removePodAddress(ns: string, ip: string): void {
    const pods = this.pod.child(ns)?.pods;
    const count = pods?.get(ip);
    if (!pods || count === undefined) return;
    if (count > 1) pods.set(ip, count - 1);
    else pods.delete(ip);
    this.touch();
  }

  private withdraw(records: NameRecords | undefined): void {
    if (records instanceof ServiceRecords) this.ptr.remove(records);
  }

  private touch(): void {
    this.gen++;
    this.lastModified = Math.floor(this.clock() / 1000);
  }
}

/** Counts of what a ClusterIndex holds. */
export interface IndexCensus {
  /** Namespaces whose names are served. */
  namespaces: number;
  /** Services with a name, by kind (services that only have PTRs, `ignore empty_service`, are not counted). */
  services: { clusterIP: number; headless: number; externalName: number };
  /** Endpoint addresses published under services. */
  endpoints: number;
  /** Service names and the endpoint names below them (`_port._proto` names not counted). */
  names: number;
  /** Distinct pod addresses per namespace (`pods verified` only; 0 otherwise). */
  podAddresses: number;
  /** Addresses with a PTR record. */
  ptrAddresses: number;
}

function serviceKey(ns: string, name: string): string {
  return `${ns}/${name}`;
}
