// Builders of small raw Kubernetes objects (what `kubectl apply` reads) to feed the fake API server.
// Design decision: each writes the fields a DNS server reads and nothing the server fills itself.
import type { ApiObject } from './store.js';

type Labels = Record<string, string>;

export function namespaceManifest(name: string, labels: Labels = {}): ApiObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function serviceManifest(namespace: string, name: string, clusterIP = '10.96.0.10', labels: Labels = {}): ApiObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  };
}

export function podManifest(namespace: string, name: string, options: { ip?: string; nodeName?: string; phase?: string; labels?: Labels } = {}): ApiObject {
  const { ip = '10.244.0.10', nodeName = 'node-a', phase = 'Running', labels = {} } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.9' }] },
    status: { phase, podIP: ip, podIPs: [{ ip }] },
  };
}

export function endpointSliceManifest(namespace: string, name: string, service: string, addresses: string[]): ApiObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
  };
}
