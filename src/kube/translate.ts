// Translation of one Service and its EndpointSlices into the DNS facts the index stores: the
// service name's records, the names below it (endpoints, `_port._proto`) and its PTRs. All of the
// schema's rules about services live here, applied once per update; the answering side only
// copies what this produced. SRV weights follow CoreDNS: priority 0, weight 100/N where N counts
// every (address, port) pair before duplicates are dropped.
import { ipFamily, ipToDashed, lowerName, normalizeIP } from '../dns/names.js';
import {
  nameRecords,
  type GlueRecord,
  type NameRecords,
  type NamedRecords,
  type PtrRecord,
  type ServiceNames,
  type SrvRecord,
} from '../index/records.js';
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

/** One address of a published endpoint, under the name it is known by. */
interface Endpoint {
  name: string;
  ip: string;
  ports: PortSpec[];
}

/** One candidate SRV: its target and port (undefined for a portless endpoint) and the target's address. */
interface SrvCandidate {
  target: string;
  port: number | undefined;
  ip: string;
}

const NOTHING: ServiceNames = { records: undefined, below: [], ptr: [] };
const MAX_LABEL = 63;

export function serviceNames(
  svc: ServiceObject,
  slices: Iterable<EndpointSliceObject>,
  options: TranslateOptions,
): ServiceNames {
  if (svc.type === 'ExternalName') return externalName(svc, options.ttl);
  const self = `${lowerName(svc.name)}.${lowerName(svc.namespace)}.svc`;

  const endpoints = options.noEndpoints ? [] : publishedEndpoints(svc, slices, options.endpointPodNames);
  const below = endpointNames(endpoints, self, options.ttl);
  const endpointPtr: PtrRecord[] = endpoints.map((e) => ({ ip: e.ip, target: `${e.name}.${self}`, clusterIP: false }));

  if (isHeadless(svc)) {
    if (endpoints.length === 0) return NOTHING;
    const candidates = endpoints.flatMap((e) => portCandidates(e, e.ports, self));
    const records = served(options.ttl, endpoints.map((e) => e.ip), candidates);
    return { records, below: [...below, ...headlessPorts(endpoints, self, options.ttl)], ptr: endpointPtr };
  }

  const clusterIPs = unique(svc.clusterIPs.map(normalizeIP).filter((ip): ip is string => ip !== undefined));
  const clusterPtr: PtrRecord[] = clusterIPs.map((ip) => ({ ip, target: self, clusterIP: true }));
  if (options.ignoreEmptyService && endpoints.length === 0) return { records: undefined, below: [], ptr: clusterPtr };
  const toService = (port: number | undefined): SrvCandidate[] => clusterIPs.map((ip) => ({ target: self, port, ip }));
  const records = served(options.ttl, clusterIPs, svc.ports.flatMap((p) => toService(p.port)));
  const ports = svc.ports
    .filter((p) => p.name !== '')
    .map((p) => ({ labels: portLabels(p), records: served(options.ttl, [], toService(p.port)) }));
  return { records, below: [...below, ...ports], ptr: [...clusterPtr, ...endpointPtr] };
}

/** Headless: spec.clusterIP None, or no address at all yet. */
function isHeadless(svc: ServiceObject): boolean {
  return svc.clusterIPs.length === 0 || svc.clusterIPs.includes('None');
}

function externalName(svc: ServiceObject, ttl: number): ServiceNames {
  const target = lowerName(svc.externalName).replace(/\.$/, '');
  // An address is not a CNAME target (CoreDNS serves nothing for it); neither is a malformed name.
  if (ipFamily(target) !== 0 || !isHostName(target)) return NOTHING;
  return { records: nameRecords(ttl, { cname: target }), below: [], ptr: [] };
}

function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((l) => l.length > 0 && l.length <= MAX_LABEL);
}

/**
 * The endpoints DNS publishes: ready ones (unset counts as ready), or all with
 * publishNotReadyAddresses; one entry per (name, address), ports merged across slices.
 */
function publishedEndpoints(svc: ServiceObject, slices: Iterable<EndpointSliceObject>, podNames: boolean): Endpoint[] {
  const byKey = new Map<string, Endpoint>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const entry of slice.endpoints) {
      if (!entry.ready && !svc.publishNotReadyAddresses) continue;
      for (const raw of entry.addresses) {
        const ip = normalizeIP(raw);
        if (ip === undefined) continue;
        const name = endpointName(entry.hostname, podNames ? entry.podName : undefined, ip);
        const key = `${name} ${ip}`;
        const known = byKey.get(key);
        if (!known) byKey.set(key, { name, ip, ports: [...slice.ports] });
        else for (const p of slice.ports) if (!known.ports.some((k) => samePort(k, p))) known.ports.push(p);
      }
    }
  }
  return [...byKey.values()];
}

/** Hostname, else (with endpoint_pod_names) the pod's name if it fits in a label, else the dashed address. */
function endpointName(hostname: string | undefined, podName: string | undefined, ip: string): string {
  if (hostname) return lowerName(hostname);
  if (podName && podName.length <= MAX_LABEL && !podName.includes('.')) return lowerName(podName);
  return ipToDashed(ip);
}

function samePort(a: PortSpec, b: PortSpec): boolean {
  return a.name === b.name && a.port === b.port && protocolOf(a) === protocolOf(b);
}

function protocolOf(p: PortSpec): string {
  return (p.protocol || 'TCP').toLowerCase();
}

function portLabels(p: PortSpec): string[] {
  return [`_${p.name.toLowerCase()}`, `_${protocolOf(p)}`];
}

/** One candidate per port; a portless endpoint still counts once toward N but yields no SRV. */
function portCandidates(e: Endpoint, ports: readonly PortSpec[], service: string): SrvCandidate[] {
  const target = `${e.name}.${service}`;
  if (ports.length === 0) return [{ target, port: undefined, ip: e.ip }];
  return ports.map((p) => ({ target, port: p.port, ip: e.ip }));
}

/** `<endpoint>.<service>` names: the addresses of each endpoint name, and its SRV over its ports. */
function endpointNames(endpoints: readonly Endpoint[], service: string, ttl: number): NamedRecords[] {
  const byName = new Map<string, Endpoint[]>();
  for (const e of endpoints) {
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  return [...byName].map(([name, list]) => ({
    labels: [name],
    records: served(ttl, list.map((e) => e.ip), list.flatMap((e) => portCandidates(e, e.ports, service))),
  }));
}

/** `_port._proto.<headless service>`: one SRV per published endpoint carrying that named port. */
function headlessPorts(endpoints: readonly Endpoint[], service: string, ttl: number): NamedRecords[] {
  const byPort = new Map<string, { labels: string[]; candidates: SrvCandidate[] }>();
  for (const e of endpoints) {
    for (const p of e.ports) {
      if (p.name === '') continue;
      const labels = portLabels(p);
      const key = labels.join('.');
      let group = byPort.get(key);
      if (!group) byPort.set(key, (group = { labels, candidates: [] }));
      group.candidates.push(...portCandidates(e, [p], service));
    }
  }
  return [...byPort.values()].map((g) => ({ labels: g.labels, records: served(ttl, [], g.candidates) }));
}

/** The records of a name with these addresses and these SRV candidates. */
function served(ttl: number, ips: readonly string[], candidates: readonly SrvCandidate[]): NameRecords {
  const all = unique(ips);
  const a = all.filter((ip) => ipFamily(ip) === 4);
  const aaaa = a.length === all.length ? undefined : all.filter((ip) => ipFamily(ip) === 6);
  const { srv, glue } = srvOf(candidates);
  return nameRecords(ttl, { a, aaaa, srv, glue });
}

/** SRV records and their glue, each de-duplicated, with CoreDNS's weights. */
function srvOf(candidates: readonly SrvCandidate[]): { srv: SrvRecord[] | undefined; glue: GlueRecord[] | undefined } {
  if (candidates.length === 0) return { srv: undefined, glue: undefined };
  const weight = Math.max(1, Math.floor(100 / candidates.length));
  const srvRecord = (c: SrvCandidate, port: number): SrvRecord => ({ priority: 0, weight, port, target: c.target });
  const glueRecord = (c: SrvCandidate): GlueRecord => ({ name: c.target, type: ipFamily(c.ip) === 4 ? 'A' : 'AAAA', address: c.ip });
  // Most names (one endpoint, one port) have a single candidate: nothing to de-duplicate.
  if (candidates.length === 1) {
    const c = candidates[0]!;
    if (c.port === undefined) return { srv: undefined, glue: undefined };
    return { srv: [srvRecord(c, c.port)], glue: [glueRecord(c)] };
  }
  const srv = new Map<string, SrvRecord>();
  const glue = new Map<string, GlueRecord>();
  for (const c of candidates) {
    if (c.port === undefined) continue;
    srv.set(`${c.target} ${c.port}`, srvRecord(c, c.port));
    glue.set(`${c.target} ${c.ip}`, glueRecord(c));
  }
  return { srv: [...srv.values()], glue: [...glue.values()] };
}

function unique<T>(items: readonly T[]): T[] {
  return items.length < 2 ? [...items] : [...new Set(items)];
}
