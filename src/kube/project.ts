// Projection of raw Kubernetes objects (API JSON or YAML files) onto the lean shapes of objects.ts.
// Design decision: projection validates as it copies and never trusts `kind`/`apiVersion` when the
// caller already knows the kind (list items from the API server carry neither), so the same code
// serves files and the live watch; a bad field yields an error naming that field, never a throw.
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type {
  EndpointEntry,
  EndpointSliceObject,
  KubeKind,
  KubeObject,
  NamespaceObject,
  PodObject,
  PortSpec,
  ServiceObject,
} from './objects.js';

export type Projection = { object: KubeObject } | { ignored: string } | { error: string };

/** The API group/version each kind must come from; the same kind name in another group is not ours. */
const API_VERSIONS: Record<KubeKind, string> = {
  Namespace: 'v1',
  Service: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Pod: 'v1',
};

const SERVICE_TYPES: readonly ServiceObject['type'][] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const ADDRESS_TYPES: readonly EndpointSliceObject['addressType'][] = ['IPv4', 'IPv6', 'FQDN'];
const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Projects an object that names its own kind; kinds DNS does not use are `ignored`. */
export function projectObject(raw: unknown): Projection {
  if (!isMapping(raw)) return { error: `expected a Kubernetes object (a mapping), got ${describe(raw)}` };
  const { kind, apiVersion } = raw;
  if (typeof kind !== 'string' || kind === '') return { error: `kind: expected a kind name, got ${describe(kind)}` };
  if (apiVersion !== undefined && typeof apiVersion !== 'string') {
    return { error: `apiVersion: expected a string, got ${describe(apiVersion)}` };
  }
  if (!Object.hasOwn(API_VERSIONS, kind)) return { ignored: `kind ${kind} carries no DNS data` };
  const known = kind as KubeKind;
  if (apiVersion !== undefined && apiVersion !== API_VERSIONS[known]) {
    return { ignored: `${apiVersion} ${kind} is not ${API_VERSIONS[known]} ${kind}` };
  }
  return projectAs(known, raw);
}

/** Projects an object whose kind the caller knows (API list items, typed watches). */
export function projectAs(kind: KubeKind, raw: unknown): Projection {
  try {
    return { object: project(kind, raw) };
  } catch (err) {
    if (err instanceof Malformed) return { error: err.message };
    throw err;
  }
}

/** A field that does not hold what the API allows there; the message names the object and the field. */
class Malformed extends Error {}

function project(kind: KubeKind, raw: unknown): KubeObject {
  if (!isMapping(raw)) throw new Malformed(`${kind}: expected an object (a mapping), got ${describe(raw)}`);
  const metadata = mapping(raw.metadata, 'metadata', kind);
  const name = text(metadata.name, 'metadata.name', kind) ?? '';
  if (name === '') throw malformed(kind, 'metadata.name', 'required');
  // Namespace and Service names become one DNS label each; other names only need to be subdomains.
  const labelName = kind === 'Namespace' || kind === 'Service';
  if (labelName ? !DNS_LABEL.test(name) : !isDnsSubdomain(name)) {
    throw malformed(kind, 'metadata.name', `"${name}" is not a DNS ${labelName ? 'label' : 'subdomain'}`);
  }
  if (kind === 'Namespace') return { kind, name } satisfies NamespaceObject;
  const namespace = text(metadata.namespace, 'metadata.namespace', kind) || 'default';
  const where = `${kind} ${namespace}/${name}`;
  if (!DNS_LABEL.test(namespace)) throw malformed(where, 'metadata.namespace', `"${namespace}" is not a DNS label`);
  switch (kind) {
    case 'Service':
      return service(raw, namespace, name, where);
    case 'EndpointSlice':
      return endpointSlice(raw, metadata, namespace, name, where);
    case 'Pod':
      return pod(raw, namespace, name, where);
  }
}

function service(raw: Mapping, namespace: string, name: string, where: string): ServiceObject {
  const spec = mapping(raw.spec, 'spec', where);
  const type = oneOf(spec.type, 'spec.type', SERVICE_TYPES, where) ?? 'ClusterIP';
  const clusterIPs = serviceIPs(spec, where);
  let externalName = '';
  if (type === 'ExternalName') {
    externalName = text(spec.externalName, 'spec.externalName', where) ?? '';
    if (externalName === '') throw malformed(where, 'spec.externalName', 'required for type ExternalName');
    if (clusterIPs.length > 0) throw malformed(where, 'spec.clusterIPs', 'must be empty for type ExternalName');
  }
  const ports = list(spec.ports, 'spec.ports', where).map((p, i) => {
    const port = portSpec(p, `spec.ports[${i}]`, where);
    if (port === undefined) throw malformed(where, `spec.ports[${i}].port`, 'required');
    return port;
  });
  const publishNotReadyAddresses = flag(spec.publishNotReadyAddresses, 'spec.publishNotReadyAddresses', where) ?? false;
  return { kind: 'Service', namespace, name, type, clusterIPs, externalName, ports, publishNotReadyAddresses };
}

function serviceIPs(spec: Mapping, where: string): string[] {
  const fromList = spec.clusterIPs !== undefined && spec.clusterIPs !== null;
  const written = fromList ? list(spec.clusterIPs, 'spec.clusterIPs', where) : [spec.clusterIP];
  const ips: string[] = [];
  written.forEach((value, i) => {
    const field = fromList ? `spec.clusterIPs[${i}]` : 'spec.clusterIP';
    const ip = text(value, field, where) ?? '';
    if (ip === '') return;
    if (ip !== 'None' && isIP(ip) === 0) throw malformed(where, field, `"${ip}" is not an IP address or None`);
    ips.push(ip);
  });
  return ips;
}

function endpointSlice(raw: Mapping, metadata: Mapping, namespace: string, name: string, where: string): EndpointSliceObject {
  const labels = mapping(metadata.labels, 'metadata.labels', where);
  const service = text(labels[SERVICE_NAME_LABEL], `metadata.labels["${SERVICE_NAME_LABEL}"]`, where) ?? '';
  const addressType = oneOf(raw.addressType, 'addressType', ADDRESS_TYPES, where);
  if (addressType === undefined) throw malformed(where, 'addressType', 'required');
  const ports: PortSpec[] = [];
  list(raw.ports, 'ports', where).forEach((p, i) => {
    // A slice port without a number means "every port"; no SRV record can name it.
    const port = portSpec(p, `ports[${i}]`, where);
    if (port !== undefined) ports.push(port);
  });
  const endpoints = list(raw.endpoints, 'endpoints', where).map((e, i) => endpoint(e, i, addressType, where));
  return { kind: 'EndpointSlice', namespace, name, service, addressType, ports, endpoints };
}

// This runs for every endpoint of a list of thousands: the path of a field is put together (path
// plus suffix) only when the field is wrong, and an address is checked without a helper call.
function endpoint(raw: unknown, i: number, addressType: EndpointSliceObject['addressType'], where: string): EndpointEntry {
  const path = `endpoints[${i}]`;
  const e = mapping(raw, path, where);
  const written = list(e.addresses, path, where, '.addresses');
  const addresses = new Array<string>(written.length);
  for (let j = 0; j < written.length; j++) {
    const value = written[j];
    const address = typeof value === 'string' ? value : (text(value, `${path}.addresses[${j}]`, where) ?? '');
    if (!addressFits(address, addressType)) throw malformed(where, `${path}.addresses[${j}]`, `"${address}" is not an ${addressType} address`);
    addresses[j] = address;
  }
  const hostname = text(e.hostname, path, where, '.hostname') || undefined;
  if (hostname !== undefined && !DNS_LABEL.test(hostname)) {
    throw malformed(where, `${path}.hostname`, `"${hostname}" is not a DNS label`);
  }
  const conditions = mapping(e.conditions, path, where, '.conditions');
  const ready = flag(conditions.ready, path, where, '.conditions.ready') ?? true;
  const targetRef = mapping(e.targetRef, path, where, '.targetRef');
  const refKind = text(targetRef.kind, path, where, '.targetRef.kind');
  const refName = text(targetRef.name, path, where, '.targetRef.name');
  const podName = refKind === 'Pod' && refName ? refName : undefined;
  return { addresses, hostname, ready, podName };
}

function addressFits(address: string, addressType: EndpointSliceObject['addressType']): boolean {
  if (addressType === 'IPv4') return isIPv4(address);
  if (addressType === 'IPv6') return isIPv6(address);
  return address !== '';
}

function pod(raw: Mapping, namespace: string, name: string, where: string): PodObject {
  const status = mapping(raw.status, 'status', where);
  const podIPs = list(status.podIPs, 'status.podIPs', where);
  const written =
    podIPs.length > 0
      ? podIPs.map((p, i) => [`status.podIPs[${i}].ip`, mapping(p, `status.podIPs[${i}]`, where).ip] as const)
      : [['status.podIP', status.podIP] as const];
  const ips: string[] = [];
  for (const [field, value] of written) {
    const ip = text(value, field, where) ?? '';
    if (ip === '') continue;
    if (isIP(ip) === 0) throw malformed(where, field, `"${ip}" is not an IP address`);
    ips.push(ip);
  }
  return { kind: 'Pod', namespace, name, ips };
}

/** A port entry; undefined when it has no number (allowed only in EndpointSlices). */
function portSpec(raw: unknown, path: string, where: string): PortSpec | undefined {
  const p = mapping(raw, path, where);
  const name = text(p.name, `${path}.name`, where) ?? '';
  if (name !== '' && !DNS_LABEL.test(name)) throw malformed(where, `${path}.name`, `"${name}" is not a valid port name`);
  const protocol = oneOf(p.protocol, `${path}.protocol`, PROTOCOLS, where) ?? 'TCP';
  if (p.port === undefined || p.port === null) return undefined;
  const port = p.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw malformed(where, `${path}.port`, `expected a port number 1-65535, got ${describe(port)}`);
  }
  return { name, port, protocol };
}

function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => DNS_LABEL.test(label));
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The field checks below name the field as `path` + `suffix`, joined only for an error.

const EMPTY: Mapping = Object.freeze({});

// Absent and null are the same thing: API JSON writes null for empty optional fields.
function mapping(value: unknown, path: string, where: string, suffix = ''): Mapping {
  if (value === undefined || value === null) return EMPTY;
  if (!isMapping(value)) throw malformed(where, path + suffix, `expected a mapping, got ${describe(value)}`);
  return value;
}

function list(value: unknown, path: string, where: string, suffix = ''): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw malformed(where, path + suffix, `expected a list, got ${describe(value)}`);
  return value;
}

function text(value: unknown, path: string, where: string, suffix = ''): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(where, path + suffix, `expected a string, got ${describe(value)}`);
  return value;
}

function flag(value: unknown, path: string, where: string, suffix = ''): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw malformed(where, path + suffix, `expected true or false, got ${describe(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], where: string): T | undefined {
  const s = text(value, path, where);
  if (s === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(s)) {
    throw malformed(where, path, `expected one of ${allowed.join(', ')}, got "${s}"`);
  }
  return s as T;
}

function malformed(where: string, path: string, problem: string): Malformed {
  return new Malformed(`${where}: ${path}: ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}
