// The names of one service, kept as compact DNS facts (its addresses, ports and endpoints) and
// turned into records only when a question reaches one of them. Design decision: a cluster of
// 100,000 services has ~600,000 names (services, endpoints, `_port._proto`); holding each as a
// ready record set took kilobytes per service, where the facts take a few array slots and a
// record set is a short loop over one service's endpoints. The service's own name is this object
// (its record fields are getters); a name below it is a small view the lookup makes.
// SRV rules (CoreDNS): priority 0, weight 100/N where N counts every (address, port) pair before
// duplicates go; a portless endpoint counts once toward N but yields no SRV.
import { dashedToIP, ipToDashed } from '../dns/names.js';
import { addressText, isIPv4, toAddress, type Address } from './address.js';
import type { GlueRecord, IndexEntry, NameRecords, SrvRecord } from './records.js';

export interface ServicePort {
  /** '' for an unnamed port (no `_port._proto` name). */
  readonly name: string;
  readonly port: number;
  /** 'TCP' | 'UDP' | 'SCTP'. */
  readonly protocol: string;
}

/** Endpoints sharing one port list: `labels[i]` names `addresses[i]`. */
export interface EndpointGroup {
  readonly ports: readonly ServicePort[];
  readonly addresses: readonly Address[];
  /** An endpoint's label, or undefined when it is named after its address (`10-0-0-1`); absent when all are. */
  readonly labels: readonly (string | undefined)[] | undefined;
}

/** One value or several: most services have one ClusterIP and one slice, and an array costs 56 bytes. */
export type OneOrMore<T> = T | readonly T[];

export function listOf<T>(items: OneOrMore<T>): readonly T[] {
  return Array.isArray(items) ? items : [items as T];
}

export interface ServiceFacts {
  /** The service name's addresses; none for a headless service, whose name has its endpoints'. */
  readonly clusterIPs: OneOrMore<Address>;
  readonly headless: boolean;
  /** The service's ports: SRV records of a ClusterIP service point at the service itself. */
  readonly ports: readonly ServicePort[];
  readonly endpoints: OneOrMore<EndpointGroup>;
  /** False for a service that has PTRs only (`ignore empty_service`): none of its names exists. */
  readonly named: boolean;
  /** An ExternalName's target (absolute, lower-case): the service's only record. */
  readonly cname: string | undefined;
}

/**
 * One SRV candidate: its target, by the endpoint's label below the service (undefined: the service
 * itself), its port (undefined for a portless endpoint) and the target's address. Labels rather
 * than whole names, so telling duplicates apart compares short strings.
 */
interface Candidate {
  readonly label: string | undefined;
  readonly port: number | undefined;
  readonly address: Address;
}

const NONE: readonly never[] = Object.freeze([]);
const EMPTY_NON_TERMINAL: IndexEntry = Object.freeze({ records: undefined, pods: undefined });

export class ServiceRecords implements NameRecords {
  readonly headless: boolean;
  readonly ports: readonly ServicePort[];
  readonly named: boolean;
  readonly cname: string | undefined;
  private readonly heldClusterIPs: OneOrMore<Address>;
  private readonly heldEndpoints: OneOrMore<EndpointGroup>;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly ttl: number,
    facts: ServiceFacts,
  ) {
    this.heldClusterIPs = facts.clusterIPs;
    this.headless = facts.headless;
    this.ports = facts.ports;
    this.heldEndpoints = facts.endpoints;
    this.named = facts.named;
    this.cname = facts.cname;
  }

  get clusterIPs(): readonly Address[] {
    return listOf(this.heldClusterIPs);
  }

  get endpoints(): readonly EndpointGroup[] {
    return listOf(this.heldEndpoints);
  }

  /** `<name>.<namespace>.svc`, relative to the cluster zone. */
  get self(): string {
    return `${this.name}.${this.namespace}.svc`;
  }

  get a(): readonly string[] {
    return texts(this.ownAddresses(), 4);
  }

  get aaaa(): readonly string[] {
    return texts(this.ownAddresses(), 6);
  }

  get srv(): readonly SrvRecord[] {
    return srvRecords(this.ownCandidates(), this.self);
  }

  get glue(): readonly GlueRecord[] {
    return glueRecords(this.ownCandidates(), this.self);
  }

  get txt(): undefined {
    return undefined;
  }

  /** The name `name[start, end)` below this service (an endpoint or `_port._proto`), if it exists. */
  below(name: string, start: number, end: number): IndexEntry | undefined {
    if (this.cname !== undefined) return undefined;
    const dot = name.lastIndexOf('.', end - 1);
    if (dot < start) {
      const label = name.slice(start, end);
      if (label.startsWith('_')) return this.hasProtocol(label) ? EMPTY_NON_TERMINAL : undefined;
      return this.endpointName(label);
    }
    if (name.lastIndexOf('.', dot - 1) >= start) return undefined;
    return this.portName(name.slice(start, dot), name.slice(dot + 1, end));
  }

  /** Every address this service has a PTR for. */
  ptrAddresses(): readonly Address[] {
    const groups = this.endpoints;
    const clusterIPs = this.clusterIPs;
    if (groups.length === 0) return clusterIPs;
    if (clusterIPs.length === 0 && groups.length === 1) return groups[0]!.addresses;
    return clusterIPs.concat(...groups.map((g) => g.addresses));
  }

  /** Adds this service's PTR targets of `address` to `out`; true when it is one of its ClusterIPs. */
  ptrTargets(address: Address, out: string[]): boolean {
    if (this.clusterIPs.includes(address)) {
      out.push(this.self);
      return true;
    }
    for (const g of this.endpoints) {
      for (let i = 0; i < g.addresses.length; i++) {
        if (g.addresses[i] === address) out.push(`${endpointLabel(g, i)}.${this.self}`);
      }
    }
    return false;
  }

  private ownAddresses(): readonly Address[] {
    if (!this.headless) return this.clusterIPs;
    const groups = this.endpoints;
    return groups.length === 1 ? groups[0]!.addresses : groups.flatMap((g) => g.addresses);
  }

  private ownCandidates(): Candidate[] {
    const out: Candidate[] = [];
    if (this.headless) {
      for (const g of this.endpoints) {
        for (let i = 0; i < g.addresses.length; i++) endpointCandidates(g, i, endpointLabel(g, i), out);
      }
      return out;
    }
    for (const p of this.ports) for (const address of this.clusterIPs) out.push({ label: undefined, port: p.port, address });
    return out;
  }

  private endpointName(label: string): IndexEntry | undefined {
    // An endpoint without a label is named after its address: compare addresses, parsed only if needed.
    let dashed: Address | null | undefined = null;
    const addresses: Address[] = [];
    const candidates: Candidate[] = [];
    for (const g of this.endpoints) {
      for (let i = 0; i < g.addresses.length; i++) {
        const own = g.labels?.[i];
        const address = g.addresses[i]!;
        if (own === undefined) {
          if (dashed === null) dashed = addressOfLabel(label);
          if (address !== dashed || ipToDashed(addressText(address)) !== label) continue;
        } else if (own !== label) {
          continue;
        }
        addresses.push(address);
        endpointCandidates(g, i, label, candidates);
      }
    }
    if (addresses.length === 0) return undefined;
    return { records: new DerivedRecords(this.ttl, this.self, addresses, candidates), pods: undefined };
  }

  private portName(portLabel: string, protocolLabel: string): IndexEntry | undefined {
    const matches = (p: ServicePort) => p.name !== '' && portLabel === `_${p.name}` && protocolLabel === `_${p.protocol.toLowerCase()}`;
    const candidates: Candidate[] = [];
    if (this.headless) {
      for (const g of this.endpoints) {
        for (const p of g.ports) {
          if (!matches(p)) continue;
          for (let i = 0; i < g.addresses.length; i++) {
            candidates.push({ label: endpointLabel(g, i), port: p.port, address: g.addresses[i]! });
          }
        }
      }
    } else if (this.named) {
      for (const p of this.ports) {
        if (matches(p)) for (const address of this.clusterIPs) candidates.push({ label: undefined, port: p.port, address });
      }
    }
    return candidates.length > 0 ? { records: new DerivedRecords(this.ttl, this.self, NONE, candidates), pods: undefined } : undefined;
  }

  /** Whether some `_port.<label>` name exists below this service. */
  private hasProtocol(label: string): boolean {
    const named = (ports: readonly ServicePort[]) => ports.some((p) => p.name !== '' && label === `_${p.protocol.toLowerCase()}`);
    if (this.headless) return this.endpoints.some((g) => g.addresses.length > 0 && named(g.ports));
    return this.named && named(this.ports);
  }
}

/** The records of a name below a service, made for one lookup. */
class DerivedRecords implements NameRecords {
  readonly cname = undefined;
  readonly txt = undefined;

  constructor(
    readonly ttl: number,
    /** The service's own name, which the candidates' labels are below. */
    private readonly service: string,
    private readonly addresses: readonly Address[],
    private readonly candidates: readonly Candidate[],
  ) {}

  get a(): readonly string[] {
    return texts(this.addresses, 4);
  }

  get aaaa(): readonly string[] {
    return texts(this.addresses, 6);
  }

  get srv(): readonly SrvRecord[] {
    return srvRecords(this.candidates, this.service);
  }

  get glue(): readonly GlueRecord[] {
    return glueRecords(this.candidates, this.service);
  }
}

function addressOfLabel(label: string): Address | undefined {
  const text = dashedToIP(label);
  return text === undefined ? undefined : toAddress(text);
}

function endpointLabel(g: EndpointGroup, i: number): string {
  return g.labels?.[i] ?? ipToDashed(addressText(g.addresses[i]!));
}

/** One candidate per port of the endpoint; a portless endpoint still counts once toward N. */
function endpointCandidates(g: EndpointGroup, i: number, label: string, out: Candidate[]): void {
  const address = g.addresses[i]!;
  if (g.ports.length === 0) out.push({ label, port: undefined, address });
  for (const p of g.ports) out.push({ label, port: p.port, address });
}

function targetOf(c: Candidate, service: string): string {
  return c.label === undefined ? service : `${c.label}.${service}`;
}

/** The texts of the addresses of one family, each once, in order. */
function texts(addresses: readonly Address[], family: 4 | 6): readonly string[] {
  const out: string[] = [];
  for (const address of unique(addresses)) if (isIPv4(address) === (family === 4)) out.push(addressText(address));
  return out;
}

function srvRecords(candidates: readonly Candidate[], service: string): readonly SrvRecord[] {
  if (candidates.length === 0) return NONE;
  const weight = Math.max(1, Math.floor(100 / candidates.length));
  const out: SrvRecord[] = [];
  const seen = new Keys(candidates.length);
  for (const c of candidates) {
    if (c.port !== undefined && seen.first(c.label ?? '', c.port)) out.push({ priority: 0, weight, port: c.port, target: targetOf(c, service) });
  }
  return out;
}

function glueRecords(candidates: readonly Candidate[], service: string): readonly GlueRecord[] {
  const out: GlueRecord[] = [];
  const seen = new Keys(candidates.length);
  for (const c of candidates) {
    if (c.port !== undefined && seen.first(c.label ?? '', c.address)) {
      out.push({ name: targetOf(c, service), type: isIPv4(c.address) ? 'A' : 'AAAA', address: addressText(c.address) });
    }
  }
  return out;
}

/** Pairs seen so far: a short list is searched, a long one hashed (most names have one to five candidates). */
class Keys {
  private readonly pairs: (string | number)[] = [];
  private readonly set: Set<string> | undefined;

  constructor(expected: number) {
    this.set = expected > 16 ? new Set() : undefined;
  }

  /** True the first time `(a, b)` is seen. */
  first(a: string, b: string | number): boolean {
    if (this.set) {
      const key = `${a} ${b}`;
      if (this.set.has(key)) return false;
      this.set.add(key);
      return true;
    }
    for (let i = 0; i < this.pairs.length; i += 2) if (this.pairs[i] === a && this.pairs[i + 1] === b) return false;
    this.pairs.push(a, b);
    return true;
  }
}

function unique(addresses: readonly Address[]): readonly Address[] {
  if (addresses.length < 2) return addresses;
  if (addresses.length > 16) return [...new Set(addresses)];
  const out: Address[] = [];
  for (const a of addresses) if (!out.includes(a)) out.push(a);
  return out;
}
