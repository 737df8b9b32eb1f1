// KubeStore: the sink every object source feeds. It keeps what DNS needs of each object (the held
// forms of translate.ts, grouped by namespace and service) and turns each event into one update of
// the ClusterIndex: a Service or EndpointSlice event rebuilds that one service (all slices carrying
// its name merged), a Namespace event shows or hides a namespace, a Pod event moves its addresses.
// A full resync builds a new state aside and swaps it in with one assignment, so a query sees the
// old data or the new, never a mix. Until the source says it is synced nothing is answered from
// the index, so services are only noted then and built once at the sync: an initial list
// delivers a service and its slices separately, and each would rebuild it.
// Design decision: held slices are shared with the index (see translate.ts), so they are never
// changed in place: a changed slice, or a service's changed list of slices, is a new value.
import { isDeepStrictEqual } from 'node:util';
import { toAddress, addressText, type Address } from '../index/address.js';
import { ClusterIndex } from '../index/cluster-index.js';
import { listOf, type OneOrMore } from '../index/service.js';
import { normalizeIP } from '../dns/names.js';
import {
  heldService,
  heldSlice,
  PortLists,
  sameService,
  sameSlice,
  serviceRecords,
  type HeldService,
  type HeldSlice,
  type TranslateOptions,
} from './translate.js';
import type { EndpointSliceObject, KubeKind, KubeObject, NamespaceObject, ObjectSink, PodObject } from './objects.js';

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
    this.state = new StoreState(options, new ClusterIndex({ ttl: options.ttl, clock }), true);
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
    const next = new StoreState(this.options, index, !this.isSynced);
    next.load(objects);
    this.state = next;
  }

  replaceKind(kind: KubeKind, objects: KubeObject[], namespace?: string): void {
    this.state.replaceKind(kind, objects, namespace);
  }

  markSynced(): void {
    if (!this.isSynced) this.state.buildPending();
    this.isSynced = true;
  }
}

/** One service as held: its Service (once seen) and the slices that name it (which may come first). */
interface ServiceEntry {
  readonly name: string;
  service: HeldService | undefined;
  slices: OneOrMore<HeldSlice>;
}

/** The held objects of one namespace; it may exist before its Namespace object does. */
class NamespaceObjects {
  readonly services = new Map<string, ServiceEntry>();
  readonly slices = new Map<string, HeldSlice>();
  readonly pods = new Map<string, PodObject>();

  constructor(readonly name: string) {}

  entry(service: string): ServiceEntry {
    let entry = this.services.get(service);
    if (!entry) this.services.set(service, (entry = { name: service, service: undefined, slices: NONE }));
    return entry;
  }

  /** Forgets an entry that holds nothing any more. */
  prune(entry: ServiceEntry): void {
    if (!entry.service && listOf(entry.slices).length === 0) this.services.delete(entry.name);
  }
}

const NONE: readonly never[] = Object.freeze([]);

/** The objects of one generation of data and the index built from them. */
class StoreState {
  /** Namespaces whose Namespace object exists. */
  private readonly namespaces = new Set<string>();
  private readonly objects = new Map<string, NamespaceObjects>();
  /** The services whose endpoints hold one of this server's addresses. */
  private readonly dnsServices = new Set<ServiceEntry>();
  private readonly portLists = new PortLists();
  private readonly local: ReadonlySet<Address>;
  private readonly localTexts: readonly string[];
  /** While unsynced: the services to build at the sync; undefined once they are built as they change. */
  private pending: Map<ServiceEntry, NamespaceObjects> | undefined;

  constructor(
    private readonly options: StoreOptions,
    readonly index: ClusterIndex,
    deferred: boolean,
  ) {
    this.pending = deferred ? new Map() : undefined;
    this.localTexts = options.localAddresses.map((ip) => normalizeIP(ip) ?? ip);
    this.local = new Set(options.localAddresses.map(toAddress).filter((a): a is Address => a !== undefined));
    this.updateNameserver();
  }

  /** Fills an empty state: objects first, then the index once, so no service is built twice. */
  load(objects: readonly KubeObject[]): void {
    for (const o of objects) {
      if (o.kind === 'Namespace') this.namespaces.add(o.name);
      else if (o.kind === 'Service') this.in(o.namespace).entry(o.name).service = heldService(o, this.portLists);
      else if (o.kind === 'EndpointSlice') this.putSlice(this.in(o.namespace), o);
      else if (this.options.pods === 'verified') this.in(o.namespace).pods.set(o.name, o);
    }
    for (const ns of this.namespaces) if (this.exposed(ns)) this.index.addNamespace(ns, this.options.pods !== 'disabled');
    for (const held of this.objects.values()) {
      for (const entry of held.services.values()) if (entry.service) this.rebuild(held, entry);
      for (const pod of held.pods.values()) this.podAddresses(pod, 'add');
    }
  }

  /** Builds the services noted while unsynced; from now on each change is built as it comes. */
  buildPending(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.index.bulk(() => {
      for (const [entry, held] of pending ?? []) this.rebuild(held, entry);
    });
  }

  upsert(o: KubeObject): void {
    switch (o.kind) {
      case 'Namespace':
        return this.upsertNamespace(o);
      case 'Service': {
        const held = this.in(o.namespace);
        const entry = held.entry(o.name);
        entry.service = heldService(o, this.portLists);
        return this.rebuild(held, entry);
      }
      case 'EndpointSlice':
        return this.upsertSlice(o);
      case 'Pod':
        return this.upsertPod(o);
    }
  }

  remove(kind: KubeKind, namespace: string, name: string): void {
    if (kind === 'Namespace') {
      if (!this.namespaces.delete(name)) return;
      return this.index.removeNamespace(name);
    }
    const held = this.objects.get(namespace);
    if (!held) return;
    switch (kind) {
      case 'Service': {
        const entry = held.services.get(name);
        if (!entry?.service) return;
        entry.service = undefined;
        this.rebuild(held, entry);
        return held.prune(entry);
      }
      case 'EndpointSlice': {
        const old = held.slices.get(name);
        if (!old) return;
        held.slices.delete(name);
        return this.detach(held, old);
      }
      case 'Pod': {
        const old = held.pods.get(name);
        if (!old) return;
        held.pods.delete(name);
        return this.podAddresses(old, 'remove');
      }
    }
  }

  /** Upserts what changed and removes what is gone; everything else is left as it is. */
  replaceKind(kind: KubeKind, objects: readonly KubeObject[], namespace?: string): void {
    const held = this.heldKeys(kind, namespace);
    // A first list (nothing held yet) has nothing to compare with or remove: no keys to keep.
    const listed = held.length > 0 ? new Set<string>() : undefined;
    for (const o of objects) {
      if (o.kind !== kind) throw new Error(`replaceKind(${kind}) given a ${o.kind}`);
      if (namespace !== undefined && o.kind !== 'Namespace' && o.namespace !== namespace) {
        throw new Error(`replaceKind(${kind}, ${namespace}) given an object of namespace ${o.namespace}`);
      }
      listed?.add(o.kind === 'Namespace' ? o.name : key(o.namespace, o.name));
      if (!listed || !this.holds(o)) this.upsert(o);
    }
    for (const [ns, name] of held) if (!listed!.has(kind === 'Namespace' ? name : key(ns, name))) this.remove(kind, ns, name);
  }

  /** Whether the store already holds `o` as it is. */
  private holds(o: KubeObject): boolean {
    if (o.kind === 'Namespace') return this.namespaces.has(o.name);
    const held = this.objects.get(o.namespace);
    switch (o.kind) {
      case 'Service': {
        const service = held?.services.get(o.name)?.service;
        return service !== undefined && sameService(service, heldService(o, this.portLists));
      }
      case 'EndpointSlice': {
        const slice = held?.slices.get(o.name);
        return slice !== undefined && sameSlice(slice, heldSlice(o, o.service, this.portLists, this.options.endpointPodNames));
      }
      case 'Pod':
        return isDeepStrictEqual(held?.pods.get(o.name), o);
    }
  }

  /** The (namespace, name) of every object of `kind` held now, in `namespace` only when given. */
  private heldKeys(kind: KubeKind, namespace: string | undefined): [string, string][] {
    if (kind === 'Namespace') return [...this.namespaces].map((name) => ['', name]);
    const out: [string, string][] = [];
    for (const held of this.objects.values()) {
      if (namespace !== undefined && held.name !== namespace) continue;
      if (kind === 'Service') {
        for (const entry of held.services.values()) if (entry.service) out.push([held.name, entry.name]);
      } else {
        for (const name of (kind === 'Pod' ? held.pods : held.slices).keys()) out.push([held.name, name]);
      }
    }
    return out;
  }

  private in(namespace: string): NamespaceObjects {
    let held = this.objects.get(namespace);
    if (!held) this.objects.set(namespace, (held = new NamespaceObjects(namespace)));
    return held;
  }

  private upsertNamespace(o: NamespaceObject): void {
    if (this.namespaces.has(o.name)) return;
    this.namespaces.add(o.name);
    if (!this.exposed(o.name)) return;
    this.index.addNamespace(o.name, this.options.pods !== 'disabled');
    const held = this.objects.get(o.name);
    if (!held) return;
    for (const entry of held.services.values()) if (entry.service) this.rebuild(held, entry);
    for (const pod of held.pods.values()) this.podAddresses(pod, 'add');
  }

  private upsertSlice(o: EndpointSliceObject): void {
    const held = this.in(o.namespace);
    const old = held.slices.get(o.name);
    if (old) {
      held.slices.delete(o.name);
      if (old.service !== o.service) this.detach(held, old);
      else this.dropSlice(held.entry(old.service), old);
    }
    const entry = this.putSlice(held, o);
    if (entry) this.rebuild(held, entry);
  }

  /** Holds the slice under its service; undefined (and not held) when it names none. */
  private putSlice(held: NamespaceObjects, o: EndpointSliceObject): ServiceEntry | undefined {
    if (o.service === '') return undefined;
    const entry = held.entry(o.service);
    const slice = heldSlice(o, entry.name, this.portLists, this.options.endpointPodNames);
    held.slices.set(o.name, slice);
    entry.slices = entry.slices === NONE ? slice : listOf(entry.slices).concat(slice);
    return entry;
  }

  /** Takes a slice off its service and brings the service in line. */
  private detach(held: NamespaceObjects, slice: HeldSlice): void {
    const entry = held.services.get(slice.service);
    if (!entry) return;
    this.dropSlice(entry, slice);
    this.rebuild(held, entry);
    held.prune(entry);
  }

  private dropSlice(entry: ServiceEntry, slice: HeldSlice): void {
    const slices = listOf(entry.slices).filter((s) => s !== slice);
    // slice() trims: a list made by filter keeps room for 16 more entries.
    entry.slices = slices.length < 2 ? (slices[0] ?? NONE) : slices.slice();
  }

  private upsertPod(o: PodObject): void {
    if (this.options.pods !== 'verified') return;
    const held = this.in(o.namespace);
    const old = held.pods.get(o.name);
    if (old) this.podAddresses(old, 'remove');
    held.pods.set(o.name, o);
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
  private rebuild(held: NamespaceObjects, entry: ServiceEntry): void {
    if (this.pending) {
      this.pending.set(entry, held);
      return;
    }
    const svc = entry.service;
    const wasDns = this.dnsServices.has(entry);
    const isDns = svc !== undefined && this.holdsLocalAddress(entry);
    if (isDns) this.dnsServices.add(entry);
    else this.dnsServices.delete(entry);

    if (svc && this.exposed(held.name)) {
      this.index.putService(held.name, entry.name, serviceRecords(held.name, entry.name, svc, entry.slices, this.options));
    } else {
      this.index.removeService(held.name, entry.name);
    }
    if (wasDns || isDns) this.updateNameserver();
  }

  private holdsLocalAddress(entry: ServiceEntry): boolean {
    if (this.options.noEndpoints || this.local.size === 0) return false;
    return listOf(entry.slices).some((s) => s.addresses.some((a) => this.local.has(a)));
  }

  /** `ns.dns.<zone>`: the ClusterIPs of the DNS service(s), else this server's own addresses. */
  private updateNameserver(): void {
    const ips = new Set<string>();
    for (const entry of this.dnsServices) {
      const clusterIPs = listOf(entry.service!.clusterIPs).map(addressText);
      for (const ip of clusterIPs.length > 0 ? clusterIPs : this.localTexts) ips.add(ip);
    }
    this.index.setNameserver([...(ips.size > 0 ? ips : this.localTexts)]);
  }

  private exposed(ns: string): boolean {
    return this.namespaces.has(ns) && (this.options.namespaces.size === 0 || this.options.namespaces.has(ns));
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
