// KubeStore: the sink every object source feeds. It keeps the lean objects by key and turns each
// event into one update of the ClusterIndex: a Service or EndpointSlice event rebuilds that one
// service (all slices carrying its name merged), a Namespace event shows or hides a namespace,
// a Pod event moves its addresses. A full resync builds a new state aside and swaps it in with
// one assignment, so a query sees the old data or the new, never a mix.
import { isDeepStrictEqual } from 'node:util';
import { ClusterIndex } from '../index/cluster-index.js';
import { normalizeIP } from '../dns/names.js';
import { serviceNames, type TranslateOptions } from './translate.js';
import type {
  EndpointSliceObject,
  KubeKind,
  KubeObject,
  NamespaceObject,
  ObjectSink,
  PodObject,
  ServiceObject,
} from './objects.js';

export type PodMode = 'disabled' | 'insecure' | 'verified';

export interface StoreOptions extends TranslateOptions {
  /** `namespaces`: only these are exposed; empty exposes every namespace. */
  namespaces: ReadonlySet<string>;
  pods: PodMode;
  /**
   * This server's own addresses. A service whose endpoints hold one is the DNS service, and its
   * ClusterIPs are `ns.dns.<zone>`; without one, these addresses are.
   */
  localAddresses: readonly string[];
}

export class KubeStore implements ObjectSink {
  private state: StoreState;
  private isSynced = false;

  constructor(
    private readonly options: StoreOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.state = new StoreState(options, new ClusterIndex({ ttl: options.ttl, clock }));
  }

  /** The index to answer from; read it per query, since a resync replaces it. */
  get index(): ClusterIndex {
    return this.state.index;
  }

  /** Whether the source has delivered its initial state. */
  get synced(): boolean {
    return this.isSynced;
  }

  upsert(object: KubeObject): void {
    this.state.upsert(object);
  }

  remove(kind: KubeKind, namespace: string, name: string): void {
    this.state.remove(kind, namespace, name);
  }

  replaceAll(objects: KubeObject[]): void {
    const index = new ClusterIndex({ ttl: this.options.ttl, clock: this.clock, generation: this.index.generation + 1 });
    const next = new StoreState(this.options, index);
    next.load(objects);
    this.state = next;
  }

  replaceKind(kind: KubeKind, objects: KubeObject[], namespace?: string): void {
    this.state.replaceKind(kind, objects, namespace);
  }

  markSynced(): void {
    this.isSynced = true;
  }
}

/** The objects of one generation of data and the index built from them. */
class StoreState {
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, ServiceObject>();
  private readonly slices = new Map<string, EndpointSliceObject>();
  /** Service key → keys of the slices that name it. */
  private readonly slicesOf = new Map<string, Set<string>>();
  private readonly pods = new Map<string, PodObject>();
  /** Keys of the services whose endpoints hold one of this server's addresses. */
  private readonly dnsServices = new Set<string>();
  private readonly local: ReadonlySet<string>;

  constructor(
    private readonly options: StoreOptions,
    readonly index: ClusterIndex,
  ) {
    this.local = new Set(options.localAddresses.map((ip) => normalizeIP(ip) ?? ip));
    this.updateNameserver();
  }

  /** Fills an empty state: objects first, then the index once, so no service is built twice. */
  load(objects: readonly KubeObject[]): void {
    for (const o of objects) {
      if (o.kind === 'Namespace') this.namespaces.add(o.name);
      else if (o.kind === 'Service') this.services.set(key(o.namespace, o.name), o);
      else if (o.kind === 'EndpointSlice') this.putSlice(o);
      else if (this.options.pods === 'verified') this.pods.set(key(o.namespace, o.name), o);
    }
    for (const ns of this.namespaces) if (this.exposed(ns)) this.index.addNamespace(ns, this.options.pods !== 'disabled');
    for (const k of this.services.keys()) this.rebuild(k);
    for (const pod of this.pods.values()) this.podAddresses(pod, 'add');
  }

  upsert(o: KubeObject): void {
    switch (o.kind) {
      case 'Namespace':
        return this.upsertNamespace(o);
      case 'Service':
        this.services.set(key(o.namespace, o.name), o);
        return this.rebuild(key(o.namespace, o.name));
      case 'EndpointSlice':
        return this.upsertSlice(o);
      case 'Pod':
        return this.upsertPod(o);
    }
  }

  remove(kind: KubeKind, namespace: string, name: string): void {
    const k = key(namespace, name);
    switch (kind) {
      case 'Namespace':
        if (!this.namespaces.delete(name)) return;
        return this.index.removeNamespace(name);
      case 'Service':
        if (!this.services.delete(k)) return;
        return this.rebuild(k);
      case 'EndpointSlice': {
        const old = this.slices.get(k);
        if (!old) return;
        this.dropSlice(k, old);
        return this.rebuild(key(old.namespace, old.service));
      }
      case 'Pod': {
        const old = this.pods.get(k);
        if (!old) return;
        this.pods.delete(k);
        return this.podAddresses(old, 'remove');
      }
    }
  }

  /** Upserts what changed and removes what is gone; everything else is left as it is. */
  replaceKind(kind: KubeKind, objects: readonly KubeObject[], namespace?: string): void {
    const held = this.held(kind);
    const listed = new Set<string>();
    for (const o of objects) {
      if (o.kind !== kind) throw new Error(`replaceKind(${kind}) given a ${o.kind}`);
      if (namespace !== undefined && o.kind !== 'Namespace' && o.namespace !== namespace) {
        throw new Error(`replaceKind(${kind}, ${namespace}) given an object of namespace ${o.namespace}`);
      }
      const k = o.kind === 'Namespace' ? o.name : key(o.namespace, o.name);
      listed.add(k);
      if (!isDeepStrictEqual(held.get(k), o)) this.upsert(o);
    }
    for (const k of held.keys()) {
      if (listed.has(k)) continue;
      const [ns, name] = kind === 'Namespace' ? ['', k] : splitKey(k);
      if (namespace === undefined || ns === namespace) this.remove(kind, ns, name);
    }
  }

  /** The objects of one kind held now, by key (namespaces by name). */
  private held(kind: KubeKind): ReadonlyMap<string, KubeObject> {
    switch (kind) {
      case 'Namespace':
        return new Map([...this.namespaces].map((name) => [name, { kind, name }]));
      case 'Service':
        return this.services;
      case 'EndpointSlice':
        return this.slices;
      case 'Pod':
        return this.pods;
    }
  }

  private upsertNamespace(o: NamespaceObject): void {
    if (this.namespaces.has(o.name)) return;
    this.namespaces.add(o.name);
    if (!this.exposed(o.name)) return;
    this.index.addNamespace(o.name, this.options.pods !== 'disabled');
    for (const [k, svc] of this.services) if (svc.namespace === o.name) this.rebuild(k);
    for (const pod of this.pods.values()) if (pod.namespace === o.name) this.podAddresses(pod, 'add');
  }

  private upsertSlice(o: EndpointSliceObject): void {
    const k = key(o.namespace, o.name);
    const old = this.slices.get(k);
    if (old) this.dropSlice(k, old);
    this.putSlice(o);
    if (old && old.service !== o.service) this.rebuild(key(old.namespace, old.service));
    if (o.service !== '') this.rebuild(key(o.namespace, o.service));
  }

  private putSlice(o: EndpointSliceObject): void {
    if (o.service === '') return;
    const k = key(o.namespace, o.name);
    this.slices.set(k, o);
    const owner = key(o.namespace, o.service);
    let set = this.slicesOf.get(owner);
    if (!set) this.slicesOf.set(owner, (set = new Set()));
    set.add(k);
  }

  private dropSlice(k: string, o: EndpointSliceObject): void {
    this.slices.delete(k);
    const owner = key(o.namespace, o.service);
    const set = this.slicesOf.get(owner);
    set?.delete(k);
    if (set?.size === 0) this.slicesOf.delete(owner);
  }

  private upsertPod(o: PodObject): void {
    if (this.options.pods !== 'verified') return;
    const k = key(o.namespace, o.name);
    const old = this.pods.get(k);
    if (old) this.podAddresses(old, 'remove');
    this.pods.set(k, o);
    this.podAddresses(o, 'add');
  }

  private podAddresses(pod: PodObject, change: 'add' | 'remove'): void {
    if (!this.exposed(pod.namespace)) return;
    for (const raw of pod.ips) {
      const ip = normalizeIP(raw);
      if (ip === undefined) continue;
      if (change === 'add') this.index.addPodAddress(pod.namespace, ip);
      else this.index.removePodAddress(pod.namespace, ip);
    }
  }

  /** Brings one service's names in the index in line with the objects held now. */
  private rebuild(serviceKey: string): void {
    const svc = this.services.get(serviceKey);
    const wasDns = this.dnsServices.has(serviceKey);
    const isDns = svc !== undefined && this.holdsLocalAddress(serviceKey);
    if (isDns) this.dnsServices.add(serviceKey);
    else this.dnsServices.delete(serviceKey);

    if (svc && this.exposed(svc.namespace)) {
      const slices = [...(this.slicesOf.get(serviceKey) ?? [])].map((k) => this.slices.get(k)!);
      this.index.putService(svc.namespace, svc.name, serviceNames(svc, slices, this.options));
    } else {
      const [ns, name] = splitKey(serviceKey);
      this.index.removeService(ns, name);
    }
    if (wasDns || isDns) this.updateNameserver();
  }

  private holdsLocalAddress(serviceKey: string): boolean {
    if (this.options.noEndpoints || this.local.size === 0) return false;
    for (const k of this.slicesOf.get(serviceKey) ?? []) {
      for (const e of this.slices.get(k)!.endpoints) {
        if (e.addresses.some((ip) => this.local.has(normalizeIP(ip) ?? ip))) return true;
      }
    }
    return false;
  }

  /** `ns.dns.<zone>`: the ClusterIPs of the DNS service(s), else this server's own addresses. */
  private updateNameserver(): void {
    const ips = new Set<string>();
    for (const k of this.dnsServices) {
      const svc = this.services.get(k)!;
      const clusterIPs = svc.clusterIPs.map(normalizeIP).filter((ip): ip is string => ip !== undefined);
      for (const ip of clusterIPs.length > 0 ? clusterIPs : this.local) ips.add(ip);
    }
    this.index.setNameserver([...(ips.size > 0 ? ips : this.local)]);
  }

  private exposed(ns: string): boolean {
    return this.namespaces.has(ns) && (this.options.namespaces.size === 0 || this.options.namespaces.has(ns));
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function splitKey(k: string): [string, string] {
  const slash = k.indexOf('/');
  return [k.slice(0, slash), k.slice(slash + 1)];
}
