// Translation of Services and EndpointSlices into what the store holds and the index serves. Each
// object is first reduced to its held form (HeldService, HeldSlice: addresses parsed, endpoint
// labels resolved, port lists shared), and a service with its slices becomes one ServiceRecords:
// which endpoints are published, under which names, with which ports. All of the schema's rules
// about which names exist live here, applied once per update; the index derives record sets.
// Design decision: a slice's held form is already an endpoint group the index can serve, so the
// common service (slices fully ready, no address twice) shares its slices' arrays with the index
// instead of copying them; the store therefore replaces held arrays and never changes them.
import { ipFamily, lowerName } from '../dns/names.js';
import { toAddress, type Address } from '../index/address.js';
import { listOf, ServiceRecords, type EndpointGroup, type OneOrMore } from '../index/service.js';
import type { EndpointSliceObject, PortSpec, ServiceObject } from './objects.js';

export interface TranslateOptions {
  ttl: number;
  /** `noendpoints`: endpoints are not served at all. */
  noEndpoints: boolean;
  /** `endpoint_pod_names`: an endpoint without hostname is named after its pod. */
  endpointPodNames: boolean;
  /** `ignore empty_service`: a ClusterIP service without ready endpoints does not exist. */
  ignoreEmptyService: boolean;
}

/** A Service as the store holds it: what DNS reads of it. */
export interface HeldService {
  readonly type: ServiceObject['type'];
  /** spec.clusterIP None, or no address at all yet. */
  readonly headless: boolean;
  /** Distinct, without None. */
  readonly clusterIPs: OneOrMore<Address>;
  readonly externalName: string;
  readonly ports: readonly PortSpec[];
  readonly publishNotReadyAddresses: boolean;
}

/** An EndpointSlice as the store holds it: one entry per IP address (FQDN slices have none). */
export interface HeldSlice extends EndpointGroup {
  readonly service: string;
  /** `ready[i]` for `addresses[i]`; absent when every one is ready. */
  readonly ready: readonly boolean[] | undefined;
}

const NONE: readonly never[] = Object.freeze([]);
const MAX_LABEL = 63;

/** Shares equal port lists: a cluster has few distinct ones, and 100,000 copies of each otherwise. */
export class PortLists {
  private readonly lists = new Map<string, readonly PortSpec[]>();

  intern(ports: readonly PortSpec[]): readonly PortSpec[] {
    if (ports.length === 0) return NONE;
    const key = ports.length === 1 ? portKey(ports[0]!) : ports.map(portKey).join(',');
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = Object.freeze(ports.map((p) => Object.freeze({ ...p })))));
    return list;
  }
}

export function heldService(svc: ServiceObject, ports: PortLists): HeldService {
  const headless = svc.clusterIPs.length === 0 || svc.clusterIPs.includes('None');
  return {
    type: svc.type,
    headless,
    clusterIPs: headless ? NONE : distinct(svc.clusterIPs),
    externalName: svc.type === 'ExternalName' ? svc.externalName : '',
    ports: ports.intern(svc.ports),
    publishNotReadyAddresses: svc.publishNotReadyAddresses,
  };
}

/** The slice's addresses with the names they are published under (hostname; pod name with `endpoint_pod_names`). */
export function heldSlice(slice: EndpointSliceObject, service: string, ports: PortLists, podNames: boolean): HeldSlice {
  const usable = slice.addressType === 'FQDN' ? [] : slice.endpoints;
  let count = 0;
  for (const e of usable) count += e.addresses.length;
  // Exact-length arrays: these live as long as the slice, and arrays grown by push keep spare room.
  const addresses = new Array<Address>(count);
  const labels = new Array<string | undefined>(count);
  const ready = new Array<boolean>(count);
  let n = 0;
  let named = false;
  let allReady = true;
  for (const e of usable) {
    const label = endpointLabel(e.hostname, podNames ? e.podName : undefined);
    for (const raw of e.addresses) {
      const address = toAddress(raw);
      if (address === undefined) continue;
      addresses[n] = address;
      labels[n] = label;
      ready[n] = e.ready;
      named ||= label !== undefined;
      allReady &&= e.ready;
      n++;
    }
  }
  // Addresses that are not IPs were counted but skipped: the lists are cut to what was kept.
  if (n < count) [addresses, labels, ready].forEach((list) => (list.length = n));
  return {
    service,
    ports: ports.intern(slice.ports),
    addresses,
    labels: named ? labels : undefined,
    ready: allReady ? undefined : ready,
  };
}

/** Whether two held slices publish the same (their port lists are shared, so compared by identity). */
export function sameSlice(a: HeldSlice, b: HeldSlice): boolean {
  return (
    a.service === b.service &&
    a.ports === b.ports &&
    sameList(a.addresses, b.addresses) &&
    sameList(a.labels, b.labels) &&
    sameList(a.ready, b.ready)
  );
}

export function sameService(a: HeldService, b: HeldService): boolean {
  return (
    a.type === b.type &&
    a.headless === b.headless &&
    a.externalName === b.externalName &&
    a.ports === b.ports &&
    a.publishNotReadyAddresses === b.publishNotReadyAddresses &&
    sameList(listOf(a.clusterIPs), listOf(b.clusterIPs))
  );
}

/** The service's names and PTRs in the index, or undefined when it has none. */
export function serviceRecords(
  namespace: string,
  name: string,
  svc: HeldService,
  slices: OneOrMore<HeldSlice>,
  options: TranslateOptions,
): ServiceRecords | undefined {
  if (svc.type === 'ExternalName') {
    const target = lowerName(svc.externalName).replace(/\.$/, '');
    // An address is not a CNAME target (CoreDNS serves nothing for it); neither is a malformed name.
    if (ipFamily(target) !== 0 || !isHostName(target)) return undefined;
    return new ServiceRecords(namespace, name, options.ttl, {
      clusterIPs: NONE,
      headless: false,
      ports: NONE,
      endpoints: NONE,
      named: true,
      cname: target,
    });
  }
  const endpoints = options.noEndpoints ? NONE : published(slices, svc.publishNotReadyAddresses);
  const empty = listOf(endpoints).every((g) => g.addresses.length === 0);
  if (svc.headless && empty) return undefined;
  const named = svc.headless || !(options.ignoreEmptyService && empty);
  return new ServiceRecords(namespace, name, options.ttl, {
    clusterIPs: svc.clusterIPs,
    headless: svc.headless,
    ports: svc.headless ? NONE : svc.ports,
    endpoints: named ? endpoints : NONE,
    named,
    cname: undefined,
  });
}

function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => l.length > 0 && l.length <= MAX_LABEL);
}

/** Hostname, else (with endpoint_pod_names) the pod's name if it fits in a label; undefined: named after the address. */
function endpointLabel(hostname: string | undefined, podName: string | undefined): string | undefined {
  if (hostname) return lowerName(hostname);
  if (podName && podName.length <= MAX_LABEL && !podName.includes('.')) return lowerName(podName);
  return undefined;
}

/**
 * The endpoints DNS publishes: ready ones (unset counts as ready), or all with
 * publishNotReadyAddresses; one entry per (name, address), ports merged across slices.
 */
function published(held: OneOrMore<HeldSlice>, notReadyToo: boolean): OneOrMore<EndpointGroup> {
  const slices = listOf(held);
  if (slices.every((s) => notReadyToo || s.ready === undefined) && distinctAddresses(slices)) return held;
  const byKey = new Map<string, { label: string | undefined; address: Address; ports: PortSpec[] }>();
  for (const slice of slices) {
    for (let i = 0; i < slice.addresses.length; i++) {
      if (!notReadyToo && slice.ready && !slice.ready[i]) continue;
      const label = slice.labels?.[i];
      const address = slice.addresses[i]!;
      const key = `${label ?? ''} ${address}`;
      const known = byKey.get(key);
      if (!known) byKey.set(key, { label, address, ports: [...slice.ports] });
      else for (const p of slice.ports) if (!known.ports.some((k) => samePort(k, p))) known.ports.push(p);
    }
  }
  // Endpoints whose merged ports are equal share a group.
  const groups = new Map<string, { ports: PortSpec[]; addresses: Address[]; labels: (string | undefined)[] }>();
  for (const e of byKey.values()) {
    const key = e.ports.map(portKey).join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports: e.ports, addresses: [], labels: [] }));
    group.addresses.push(e.address);
    group.labels.push(e.label);
  }
  return [...groups.values()].map((g) => ({ ...g, labels: g.labels.some((l) => l !== undefined) ? g.labels : undefined }));
}

/** No address twice across the slices: then no endpoint needs merging. */
function distinctAddresses(slices: readonly HeldSlice[]): boolean {
  const all = slices.length === 1 ? slices[0]!.addresses : slices.flatMap((s) => s.addresses);
  // A service's few endpoints are compared pairwise; a set pays off only for long lists.
  if (all.length <= 16) return all.every((address, i) => all.indexOf(address) === i);
  return new Set(all).size === all.length;
}

function portKey(p: PortSpec): string {
  return `${p.name}/${p.port}/${p.protocol}`;
}

function samePort(a: PortSpec, b: PortSpec): boolean {
  return a.name === b.name && a.port === b.port && a.protocol.toLowerCase() === b.protocol.toLowerCase();
}

function distinct(ips: readonly string[]): OneOrMore<Address> {
  const out: Address[] = [];
  for (const ip of ips) {
    const address = toAddress(ip);
    if (address !== undefined && !out.includes(address)) out.push(address);
  }
  if (out.length < 2) return out.length === 0 ? NONE : out[0]!;
  return out.slice();
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
