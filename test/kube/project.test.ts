// Projection of raw Kubernetes objects: every rule as a table of valid, ignored and malformed objects,
// then the demo cluster in zones/cluster, which must project cleanly and say what its README says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { EndpointSliceObject, KubeObject, PodObject, ServiceObject } from '../../src/kube/objects.js';
import { projectAs, projectObject } from '../../src/kube/project.js';

const meta = { name: 'web', namespace: 'shop' };
const service = (spec: unknown, metadata: unknown = meta) => ({ apiVersion: 'v1', kind: 'Service', metadata, spec });
const slice = (fields: Record<string, unknown>, labels: unknown = { 'kubernetes.io/service-name': 'web' }) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc12', namespace: 'shop', labels },
  addressType: 'IPv4',
  ...fields,
});
const pod = (status: unknown, metadata: unknown = { name: 'web-0', namespace: 'shop' }) => ({ apiVersion: 'v1', kind: 'Pod', metadata, status });

const svcObject = (fields: Partial<ServiceObject>): ServiceObject => ({
  kind: 'Service',
  namespace: 'shop',
  name: 'web',
  type: 'ClusterIP',
  clusterIPs: [],
  externalName: '',
  ports: [],
  publishNotReadyAddresses: false,
  ...fields,
});
const sliceObject = (fields: Partial<EndpointSliceObject>): EndpointSliceObject => ({
  kind: 'EndpointSlice',
  namespace: 'shop',
  name: 'web-abc12',
  service: 'web',
  addressType: 'IPv4',
  ports: [],
  endpoints: [],
  ...fields,
});
const endpoint = { addresses: ['10.244.1.20'], hostname: undefined, ready: true, podName: undefined };

const valid: { name: string; raw: unknown; object: KubeObject }[] = [
  { name: 'Namespace', raw: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, object: { kind: 'Namespace', name: 'shop' } },
  { name: 'Namespace ignores a stray metadata.namespace', raw: { kind: 'Namespace', metadata: { name: 'shop', namespace: 'x' } }, object: { kind: 'Namespace', name: 'shop' } },
  { name: 'object without apiVersion', raw: { kind: 'Namespace', metadata: { name: 'shop' } }, object: { kind: 'Namespace', name: 'shop' } },
  { name: 'Service without namespace lands in default', raw: service({ clusterIP: '10.96.0.5' }, { name: 'web' }), object: svcObject({ namespace: 'default', clusterIPs: ['10.96.0.5'] }) },
  { name: 'Service with an empty namespace lands in default', raw: service({}, { name: 'web', namespace: '' }), object: svcObject({ namespace: 'default' }) },
  { name: 'Service type defaults to ClusterIP', raw: service({ clusterIP: '10.96.0.5' }), object: svcObject({ clusterIPs: ['10.96.0.5'] }) },
  { name: 'Service type NodePort kept', raw: service({ type: 'NodePort', clusterIP: '10.96.0.5' }), object: svcObject({ type: 'NodePort', clusterIPs: ['10.96.0.5'] }) },
  { name: 'Service type LoadBalancer kept', raw: service({ type: 'LoadBalancer', clusterIP: '10.96.0.5' }), object: svcObject({ type: 'LoadBalancer', clusterIPs: ['10.96.0.5'] }) },
  { name: 'Service without spec', raw: { kind: 'Service', metadata: meta }, object: svcObject({}) },
  { name: 'clusterIPs wins over clusterIP', raw: service({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'fd00::5'] }), object: svcObject({ clusterIPs: ['10.96.0.5', 'fd00::5'] }) },
  { name: 'clusterIP used when clusterIPs is absent', raw: service({ clusterIP: 'fd00::5' }), object: svcObject({ clusterIPs: ['fd00::5'] }) },
  { name: 'clusterIP used when clusterIPs is null', raw: service({ clusterIP: '10.96.0.5', clusterIPs: null }), object: svcObject({ clusterIPs: ['10.96.0.5'] }) },
  { name: 'empty clusterIP dropped', raw: service({ clusterIP: '' }), object: svcObject({ clusterIPs: [] }) },
  { name: 'empty clusterIPs entries dropped', raw: service({ clusterIPs: ['', '10.96.0.5'] }), object: svcObject({ clusterIPs: ['10.96.0.5'] }) },
  { name: 'headless keeps None', raw: service({ clusterIP: 'None', clusterIPs: ['None'] }), object: svcObject({ clusterIPs: ['None'] }) },
  { name: 'headless with clusterIP None only', raw: service({ clusterIP: 'None' }), object: svcObject({ clusterIPs: ['None'] }) },
  {
    name: 'ExternalName keeps externalName as written',
    raw: service({ type: 'ExternalName', externalName: 'search.example.com' }),
    object: svcObject({ type: 'ExternalName', externalName: 'search.example.com' }),
  },
  {
    name: 'ExternalName that is an IP kept as written',
    raw: service({ type: 'ExternalName', externalName: '192.0.2.10' }),
    object: svcObject({ type: 'ExternalName', externalName: '192.0.2.10' }),
  },
  { name: 'externalName of a ClusterIP service dropped', raw: service({ externalName: 'x.example.com' }), object: svcObject({}) },
  {
    name: 'port name defaults to empty and protocol to TCP',
    raw: service({ ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }] }),
    object: svcObject({ ports: [{ name: '', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }),
  },
  { name: 'SCTP ports kept', raw: service({ ports: [{ name: 'sig', port: 3868, protocol: 'SCTP' }] }), object: svcObject({ ports: [{ name: 'sig', port: 3868, protocol: 'SCTP' }] }) },
  { name: 'ports: null is no ports', raw: service({ ports: null }), object: svcObject({}) },
  { name: 'publishNotReadyAddresses kept', raw: service({ publishNotReadyAddresses: true }), object: svcObject({ publishNotReadyAddresses: true }) },
  { name: 'Service name may start with a digit', raw: service({}, { name: '1web', namespace: 'shop' }), object: svcObject({ name: '1web' }) },
  {
    name: 'EndpointSlice service from the kubernetes.io/service-name label',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'] }] }),
    object: sliceObject({ endpoints: [endpoint] }),
  },
  { name: 'EndpointSlice without the label has service ""', raw: slice({}, { app: 'web' }), object: sliceObject({ service: '' }) },
  { name: 'EndpointSlice with labels: null has service ""', raw: slice({}, null), object: sliceObject({ service: '' }) },
  { name: 'EndpointSlice with null endpoints and ports (empty slice)', raw: slice({ endpoints: null, ports: null }), object: sliceObject({}) },
  {
    name: 'conditions.ready unset counts as ready',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], conditions: {} }] }),
    object: sliceObject({ endpoints: [endpoint] }),
  },
  {
    name: 'conditions.ready false kept',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], conditions: { ready: false, serving: true } }] }),
    object: sliceObject({ endpoints: [{ ...endpoint, ready: false }] }),
  },
  {
    name: 'hostname kept',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], hostname: 'web-0' }] }),
    object: sliceObject({ endpoints: [{ ...endpoint, hostname: 'web-0' }] }),
  },
  {
    name: 'podName from a Pod targetRef',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], targetRef: { kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'u' } }] }),
    object: sliceObject({ endpoints: [{ ...endpoint, podName: 'web-0' }] }),
  },
  {
    name: 'no podName from a targetRef to another kind',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], targetRef: { kind: 'Node', name: 'kind-worker' } }] }),
    object: sliceObject({ endpoints: [endpoint] }),
  },
  {
    name: 'IPv6 slice',
    raw: slice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00:10:244:1::a'] }] }),
    object: sliceObject({ addressType: 'IPv6', endpoints: [{ ...endpoint, addresses: ['fd00:10:244:1::a'] }] }),
  },
  {
    name: 'FQDN addresses kept as written',
    raw: slice({ addressType: 'FQDN', endpoints: [{ addresses: ['DB.Example.com'] }] }),
    object: sliceObject({ addressType: 'FQDN', endpoints: [{ ...endpoint, addresses: ['DB.Example.com'] }] }),
  },
  {
    name: 'slice ports: defaults, and a port without a number (all ports) dropped',
    raw: slice({ ports: [{ name: 'http', port: 8080 }, { name: 'any' }, { port: 53, protocol: 'UDP' }] }),
    object: sliceObject({ ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: '', port: 53, protocol: 'UDP' }] }),
  },
  { name: 'Pod ips from status.podIPs', raw: pod({ podIP: '10.244.1.10', podIPs: [{ ip: '10.244.1.10' }, { ip: 'fd00:10:244:1::a' }] }), object: { kind: 'Pod', namespace: 'shop', name: 'web-0', ips: ['10.244.1.10', 'fd00:10:244:1::a'] } },
  { name: 'Pod ips from status.podIP without podIPs', raw: pod({ podIP: '10.244.1.10' }), object: { kind: 'Pod', namespace: 'shop', name: 'web-0', ips: ['10.244.1.10'] } },
  { name: 'Pod ips from status.podIP when podIPs is empty', raw: pod({ podIP: '10.244.1.10', podIPs: [] }), object: { kind: 'Pod', namespace: 'shop', name: 'web-0', ips: ['10.244.1.10'] } },
  { name: 'pending Pod has no ips', raw: pod({ phase: 'Pending' }), object: { kind: 'Pod', namespace: 'shop', name: 'web-0', ips: [] } },
  { name: 'Pod without status has no ips', raw: { kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop' } }, object: { kind: 'Pod', namespace: 'shop', name: 'web-0', ips: [] } },
  { name: 'Pod name may be a dotted subdomain', raw: pod({}, { name: 'web.0', namespace: 'shop' }), object: { kind: 'Pod', namespace: 'shop', name: 'web.0', ips: [] } },
];

for (const c of valid) {
  test(`projects ${c.name}`, () => {
    assert.deepEqual(projectObject(c.raw), { object: c.object });
  });
}

const ignored: { name: string; raw: unknown }[] = [
  { name: 'a Deployment', raw: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } } },
  { name: 'legacy Endpoints', raw: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'shop' } } },
  { name: 'a List (the file source unpacks it)', raw: { apiVersion: 'v1', kind: 'List', items: [] } },
  { name: 'a Knative Service (same kind, other group)', raw: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'web' } } },
  { name: 'a v1beta1 EndpointSlice', raw: { apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSlice', metadata: { name: 'web' } } },
  { name: 'a kind named like an Object.prototype member', raw: { apiVersion: 'v1', kind: 'toString', metadata: { name: 'web' } } },
];

for (const c of ignored) {
  test(`ignores ${c.name}`, () => {
    const p = projectObject(c.raw);
    assert.ok('ignored' in p, JSON.stringify(p));
    assert.match(p.ignored, /\S/);
  });
}

const malformed: { name: string; raw: unknown; error: string }[] = [
  { name: 'a scalar document', raw: 'hello', error: 'expected a Kubernetes object (a mapping), got the string "hello"' },
  { name: 'a list document', raw: [], error: 'expected a Kubernetes object (a mapping), got a list' },
  { name: 'no kind', raw: { apiVersion: 'v1', metadata: { name: 'x' } }, error: 'kind: expected a kind name, got nothing' },
  { name: 'kind not a string', raw: { kind: 7, metadata: { name: 'x' } }, error: 'kind: expected a kind name, got number 7' },
  { name: 'apiVersion not a string', raw: { apiVersion: 1, kind: 'Service', metadata: { name: 'x' } }, error: 'apiVersion: expected a string, got number 1' },
  { name: 'no metadata', raw: { kind: 'Service', spec: {} }, error: 'Service: metadata.name: required' },
  { name: 'metadata not a mapping', raw: { kind: 'Service', metadata: 'web' }, error: 'Service: metadata: expected a mapping, got the string "web"' },
  { name: 'no metadata.name', raw: service({}, { namespace: 'shop' }), error: 'Service: metadata.name: required' },
  { name: 'metadata.name not a string', raw: service({}, { name: 80 }), error: 'Service: metadata.name: expected a string, got number 80' },
  { name: 'metadata.name with capitals', raw: service({}, { name: 'Web' }), error: 'Service: metadata.name: "Web" is not a DNS label' },
  { name: 'Service name with a dot', raw: service({}, { name: 'web.v2', namespace: 'shop' }), error: 'Service: metadata.name: "web.v2" is not a DNS label' },
  { name: 'Namespace name with a dot', raw: { kind: 'Namespace', metadata: { name: 'a.b' } }, error: 'Namespace: metadata.name: "a.b" is not a DNS label' },
  { name: 'metadata.namespace not a string', raw: service({}, { name: 'web', namespace: ['shop'] }), error: 'Service: metadata.namespace: expected a string, got a list' },
  { name: 'metadata.namespace not a DNS label', raw: service({}, { name: 'web', namespace: 'Shop' }), error: 'Service Shop/web: metadata.namespace: "Shop" is not a DNS label' },
  { name: 'spec not a mapping', raw: service('ClusterIP'), error: 'Service shop/web: spec: expected a mapping, got the string "ClusterIP"' },
  { name: 'unknown Service type', raw: service({ type: 'Headless' }), error: 'Service shop/web: spec.type: expected one of ClusterIP, NodePort, LoadBalancer, ExternalName, got "Headless"' },
  { name: 'invalid clusterIP', raw: service({ clusterIP: '10.96.0.300' }), error: 'Service shop/web: spec.clusterIP: "10.96.0.300" is not an IP address or None' },
  { name: 'invalid entry in clusterIPs', raw: service({ clusterIPs: ['10.96.0.5', 'fd00::zz'] }), error: 'Service shop/web: spec.clusterIPs[1]: "fd00::zz" is not an IP address or None' },
  { name: 'clusterIPs not a list', raw: service({ clusterIPs: '10.96.0.5' }), error: 'Service shop/web: spec.clusterIPs: expected a list, got the string "10.96.0.5"' },
  { name: 'clusterIP not a string', raw: service({ clusterIP: 10 }), error: 'Service shop/web: spec.clusterIP: expected a string, got number 10' },
  { name: 'ExternalName without externalName', raw: service({ type: 'ExternalName' }), error: 'Service shop/web: spec.externalName: required for type ExternalName' },
  {
    name: 'ExternalName with a clusterIP',
    raw: service({ type: 'ExternalName', externalName: 'a.example.com', clusterIP: '10.96.0.5' }),
    error: 'Service shop/web: spec.clusterIPs: must be empty for type ExternalName',
  },
  { name: 'ports not a list', raw: service({ ports: { http: 80 } }), error: 'Service shop/web: spec.ports: expected a list, got a mapping' },
  { name: 'port without a number', raw: service({ ports: [{ name: 'http' }] }), error: 'Service shop/web: spec.ports[0].port: required' },
  { name: 'port 0', raw: service({ ports: [{ port: 0 }] }), error: 'Service shop/web: spec.ports[0].port: expected a port number 1-65535, got number 0' },
  { name: 'port 65536', raw: service({ ports: [{ port: 80 }, { port: 65536 }] }), error: 'Service shop/web: spec.ports[1].port: expected a port number 1-65535, got number 65536' },
  { name: 'fractional port', raw: service({ ports: [{ port: 80.5 }] }), error: 'Service shop/web: spec.ports[0].port: expected a port number 1-65535, got number 80.5' },
  { name: 'port as a string', raw: service({ ports: [{ port: '80' }] }), error: 'Service shop/web: spec.ports[0].port: expected a port number 1-65535, got the string "80"' },
  { name: 'unknown protocol', raw: service({ ports: [{ port: 80, protocol: 'tcp' }] }), error: 'Service shop/web: spec.ports[0].protocol: expected one of TCP, UDP, SCTP, got "tcp"' },
  { name: 'port name with capitals', raw: service({ ports: [{ name: 'HTTP', port: 80 }] }), error: 'Service shop/web: spec.ports[0].name: "HTTP" is not a valid port name' },
  { name: 'publishNotReadyAddresses as a string', raw: service({ publishNotReadyAddresses: 'yes' }), error: 'Service shop/web: spec.publishNotReadyAddresses: expected true or false, got the string "yes"' },
  { name: 'EndpointSlice without addressType', raw: slice({ addressType: undefined }), error: 'EndpointSlice shop/web-abc12: addressType: required' },
  { name: 'unknown addressType', raw: slice({ addressType: 'IPv5' }), error: 'EndpointSlice shop/web-abc12: addressType: expected one of IPv4, IPv6, FQDN, got "IPv5"' },
  {
    name: 'service-name label not a string',
    raw: slice({}, { 'kubernetes.io/service-name': true }),
    error: 'EndpointSlice shop/web-abc12: metadata.labels["kubernetes.io/service-name"]: expected a string, got boolean true',
  },
  { name: 'endpoints not a list', raw: slice({ endpoints: 'none' }), error: 'EndpointSlice shop/web-abc12: endpoints: expected a list, got the string "none"' },
  { name: 'endpoint not a mapping', raw: slice({ endpoints: ['10.244.1.20'] }), error: 'EndpointSlice shop/web-abc12: endpoints[0]: expected a mapping, got the string "10.244.1.20"' },
  {
    name: 'IPv6 address in an IPv4 slice',
    raw: slice({ endpoints: [{ addresses: ['10.244.1.20'] }, { addresses: ['10.244.1.21', 'fd00::1'] }] }),
    error: 'EndpointSlice shop/web-abc12: endpoints[1].addresses[1]: "fd00::1" is not an IPv4 address',
  },
  { name: 'IPv4 address in an IPv6 slice', raw: slice({ addressType: 'IPv6', endpoints: [{ addresses: ['10.244.1.20'] }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].addresses[0]: "10.244.1.20" is not an IPv6 address' },
  { name: 'invalid IPv4 address', raw: slice({ endpoints: [{ addresses: ['10.244.1'] }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].addresses[0]: "10.244.1" is not an IPv4 address' },
  { name: 'empty FQDN address', raw: slice({ addressType: 'FQDN', endpoints: [{ addresses: [''] }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].addresses[0]: "" is not an FQDN address' },
  { name: 'address not a string', raw: slice({ endpoints: [{ addresses: [167772161] }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].addresses[0]: expected a string, got number 167772161' },
  { name: 'hostname not a DNS label', raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], hostname: 'web_0' }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].hostname: "web_0" is not a DNS label' },
  { name: 'ready as a string', raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], conditions: { ready: 'true' } }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].conditions.ready: expected true or false, got the string "true"' },
  { name: 'targetRef not a mapping', raw: slice({ endpoints: [{ addresses: ['10.244.1.20'], targetRef: 'web-0' }] }), error: 'EndpointSlice shop/web-abc12: endpoints[0].targetRef: expected a mapping, got the string "web-0"' },
  { name: 'slice port out of range', raw: slice({ ports: [{ name: 'http', port: 70000 }] }), error: 'EndpointSlice shop/web-abc12: ports[0].port: expected a port number 1-65535, got number 70000' },
  { name: 'invalid podIP', raw: pod({ podIP: 'pending' }), error: 'Pod shop/web-0: status.podIP: "pending" is not an IP address' },
  { name: 'invalid entry in podIPs', raw: pod({ podIPs: [{ ip: '10.244.1.10' }, { ip: '10.244.1.256' }] }), error: 'Pod shop/web-0: status.podIPs[1].ip: "10.244.1.256" is not an IP address' },
  { name: 'podIPs entry not a mapping', raw: pod({ podIPs: ['10.244.1.10'] }), error: 'Pod shop/web-0: status.podIPs[0]: expected a mapping, got the string "10.244.1.10"' },
  { name: 'Pod name with an underscore', raw: pod({}, { name: 'web_0', namespace: 'shop' }), error: 'Pod: metadata.name: "web_0" is not a DNS subdomain' },
];

for (const c of malformed) {
  test(`rejects ${c.name}`, () => {
    assert.deepEqual(projectObject(c.raw), { error: c.error });
  });
}

test('projectAs projects list items that carry no kind or apiVersion', () => {
  const item = { metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.96.0.5' } };
  assert.deepEqual(projectAs('Service', item), { object: svcObject({ clusterIPs: ['10.96.0.5'] }) });
  assert.ok('error' in projectObject(item), 'projectObject needs the kind');
});

test('projectAs trusts the kind it is given over the object’s own', () => {
  const raw = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop' } };
  assert.deepEqual(projectAs('Namespace', raw), { object: { kind: 'Namespace', name: 'shop' } });
});

test('projectAs reports a malformed object instead of throwing', () => {
  assert.deepEqual(projectAs('Pod', null), { error: 'Pod: expected an object (a mapping), got null' });
});

test('a projection keeps no reference into the raw object', () => {
  const raws = [
    service({ clusterIPs: ['10.96.0.5'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
    slice({ ports: [{ name: 'http', port: 80 }], endpoints: [{ addresses: ['10.244.1.20'], conditions: { ready: true } }] }),
    pod({ podIPs: [{ ip: '10.244.1.10' }] }),
  ];
  for (const raw of raws) {
    const p = projectObject(raw);
    assert.ok('object' in p);
    const rawParts = new Set(containers(raw));
    for (const part of containers(p.object)) assert.ok(!rawParts.has(part), `shares ${JSON.stringify(part)}`);
  }
});

function containers(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(containers)];
}

// --- the demo cluster -------------------------------------------------------------------------

const DEMO = fileURLToPath(new URL('../../../zones/cluster/', import.meta.url));

interface Demo {
  objects: KubeObject[];
  ignored: string[];
  errors: string[];
}

let demo: Demo | undefined;
const demoObjects = (): Demo => (demo ??= readDemo());

function readDemo(): Demo {
  const objects: KubeObject[] = [];
  const ignored: string[] = [];
  const errors: string[] = [];
  for (const file of readdirSync(DEMO).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(DEMO, file), 'utf8'))) {
      assert.deepEqual(doc.errors, [], file);
      const raw = doc.toJS() as { kind?: string; items?: unknown[] };
      for (const item of raw.kind === 'List' ? (raw.items ?? []) : [raw]) {
        const p = projectObject(item);
        if ('object' in p) objects.push(p.object);
        else if ('ignored' in p) ignored.push(`${file}: ${p.ignored}`);
        else errors.push(`${file}: ${p.error}`);
      }
    }
  }
  return { objects, ignored, errors };
}

test('every demo object projects without error', () => {
  const { objects, ignored, errors } = demoObjects();
  assert.deepEqual(errors, []);
  assert.deepEqual(ignored, ['shop.yaml: kind Deployment carries no DNS data']);
  assert.ok(objects.length > 0);
});

/** What DNS will see of each demo service: its facts and the endpoints of all its slices. */
function serviceView(objects: KubeObject[], s: ServiceObject): string[] {
  const facts = [
    `type=${s.type}`,
    `ips=${s.clusterIPs.join(',')}`,
    `ext=${s.externalName}`,
    `ports=${s.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`).join(',')}`,
    `pnra=${s.publishNotReadyAddresses}`,
  ];
  const endpoints = objects
    .filter((o): o is EndpointSliceObject => o.kind === 'EndpointSlice' && o.namespace === s.namespace && o.service === s.name)
    .flatMap((sl) => sl.endpoints.map((e) => `${sl.name} ${e.addresses.join(',')}${e.hostname ? ` host=${e.hostname}` : ''}${e.ready ? '' : ' not-ready'}`));
  return [...facts, ...endpoints.sort()];
}

const demoServices: Record<string, string[]> = {
  'default/kubernetes': ['type=ClusterIP', 'ips=10.96.0.1', 'ext=', 'ports=https:443/TCP', 'pnra=false', 'kubernetes 172.18.0.2'],
  'kube-system/kube-dns': [
    'type=ClusterIP', 'ips=10.96.0.10', 'ext=', 'ports=dns:53/UDP,dns-tcp:53/TCP,metrics:9153/TCP', 'pnra=false',
    'kube-dns-7fqbk 10.244.0.2', 'kube-dns-7fqbk 10.244.0.3',
  ],
  'shop/frontend': [
    'type=ClusterIP', 'ips=10.96.100.10,fd00:10:96::100a', 'ext=', 'ports=http:80/TCP,syslog:514/UDP', 'pnra=false',
    'frontend-8kx2m 10.244.1.10', 'frontend-8kx2m 10.244.1.11', 'frontend-r5z9q fd00:10:244:1::a', 'frontend-r5z9q fd00:10:244:1::b',
  ],
  'shop/web': [
    'type=ClusterIP', 'ips=None', 'ext=', 'ports=http:80/TCP', 'pnra=false',
    'web-x7k2p 10.244.1.20 host=web-0', 'web-x7k2p 10.244.2.21 host=web-1', 'web-x7k2p 10.244.2.22 host=web-2 not-ready',
  ],
  'shop/cache': ['type=ClusterIP', 'ips=None', 'ext=', 'ports=redis:6379/TCP', 'pnra=false', 'cache-m4n8q 10.244.2.30', 'cache-m4n8q 10.244.2.31'],
  'shop/queue': ['type=ClusterIP', 'ips=None', 'ext=', 'ports=amqp:5672/TCP', 'pnra=true', 'queue-p9w4d 10.244.1.40', 'queue-p9w4d 10.244.1.41 not-ready'],
  'shop/search': ['type=ExternalName', 'ips=', 'ext=search.example.com', 'ports=', 'pnra=false'],
  'shop/legacy-db': ['type=ExternalName', 'ips=', 'ext=192.0.2.10', 'ports=', 'pnra=false'],
  'shop/empty': ['type=ClusterIP', 'ips=10.96.100.30', 'ext=', 'ports=http:80/TCP', 'pnra=false'],
  'shop/api': [
    'type=ClusterIP', 'ips=10.96.100.40', 'ext=', 'ports=grpc:9090/TCP', 'pnra=false',
    'api-a1b2c 10.244.1.50', 'api-a1b2c 10.244.1.51', 'api-d3e4f 10.244.2.52',
  ],
};

test('the demo has the services zones/README.md documents, with their endpoints', () => {
  const { objects } = demoObjects();
  const services = objects.filter((o): o is ServiceObject => o.kind === 'Service');
  assert.deepEqual(Object.fromEntries(services.map((s) => [`${s.namespace}/${s.name}`, serviceView(objects, s)])), demoServices);
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.name);
  assert.deepEqual(namespaces, ['default', 'kube-system', 'shop']);
});

test('demo objects are consistent: namespaces exist, slices name services, endpoints match their pods', () => {
  const { objects } = demoObjects();
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.name));
  const pods = new Map(objects.filter((o): o is PodObject => o.kind === 'Pod').map((p) => [`${p.namespace}/${p.name}`, p]));
  const services = new Set(objects.filter((o) => o.kind === 'Service').map((o) => `${o.namespace}/${o.name}`));
  for (const o of objects) {
    if (o.kind === 'Namespace') continue;
    assert.ok(namespaces.has(o.namespace), `${o.kind} ${o.name} in unknown namespace ${o.namespace}`);
    if (o.kind !== 'EndpointSlice') continue;
    assert.ok(services.has(`${o.namespace}/${o.service}`), `slice ${o.name} names unknown service ${o.service}`);
    for (const e of o.endpoints) {
      if (e.podName === undefined) continue;
      const p = pods.get(`${o.namespace}/${e.podName}`);
      assert.ok(p, `slice ${o.name} points at unknown pod ${e.podName}`);
      for (const a of e.addresses) assert.ok(p.ips.includes(a), `${e.podName} does not have ${a}`);
    }
  }
  const web = ['web-0', 'web-1', 'web-2'].map((n) => pods.get(`shop/${n}`));
  assert.ok(web.every((p) => p !== undefined), 'the web StatefulSet pods exist');
});
