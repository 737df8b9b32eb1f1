// Builders of lean Kubernetes objects for tests: only the fields a case cares about are written.
import type { StoreOptions } from '../../src/kube/store.js';
import type {
  EndpointEntry,
  EndpointSliceObject,
  NamespaceObject,
  PodObject,
  PortSpec,
  ServiceObject,
} from '../../src/kube/objects.js';

export const namespace = (name: string): NamespaceObject => ({ kind: 'Namespace', name });

export const port = (name: string, number: number, protocol = 'TCP'): PortSpec => ({ name, port: number, protocol });

export function service(namespace: string, name: string, spec: Partial<Omit<ServiceObject, 'kind' | 'namespace' | 'name'>>): ServiceObject {
  return {
    kind: 'Service',
    namespace,
    name,
    type: 'ClusterIP',
    clusterIPs: [],
    externalName: '',
    ports: [],
    publishNotReadyAddresses: false,
    ...spec,
  };
}

export function endpoint(address: string, options: Partial<Omit<EndpointEntry, 'addresses'>> = {}): EndpointEntry {
  return { addresses: [address], hostname: undefined, ready: true, podName: undefined, ...options };
}

export function slice(
  namespace: string,
  name: string,
  service: string,
  endpoints: EndpointEntry[],
  ports: PortSpec[] = [],
  addressType: EndpointSliceObject['addressType'] = endpoints.some((e) => e.addresses.some((a) => a.includes(':'))) ? 'IPv6' : 'IPv4',
): EndpointSliceObject {
  return { kind: 'EndpointSlice', namespace, name, service, addressType, ports, endpoints };
}

export const pod = (namespace: string, name: string, ...ips: string[]): PodObject => ({ kind: 'Pod', namespace, name, ips });

/** Store options as the plugin's defaults set them, with `overrides`. */
export function storeOptions(overrides: Partial<StoreOptions> = {}): StoreOptions {
  return {
    ttl: 5,
    noEndpoints: false,
    endpointPodNames: false,
    ignoreEmptyService: false,
    namespaces: new Set(),
    pods: 'disabled',
    localAddresses: [],
    ...overrides,
  };
}
