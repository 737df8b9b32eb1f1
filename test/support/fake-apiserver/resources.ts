// The resource types the fake API server serves and how request paths map onto them.
// Design decision: one table describes each resource (kind, plural, group/version, scope, the
// field labels its field selectors accept), so routing, discovery and validation all read the
// same facts and a new resource is one more row.

export type ServedKind = 'Namespace' | 'Service' | 'Pod' | 'EndpointSlice';

export interface Resource {
  kind: ServedKind;
  /** The name in URLs: `services`. */
  plural: string;
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `discovery.k8s.io/v1`: what objects carry as apiVersion. */
  apiVersion: string;
  namespaced: boolean;
  /** Field labels a field selector may name, beyond metadata.name and metadata.namespace. */
  fields: Record<string, (object: Record<string, unknown>) => string>;
}

const podFields: Resource['fields'] = {
  'spec.nodeName': (o) => stringAt(o, 'spec', 'nodeName'),
  'status.phase': (o) => stringAt(o, 'status', 'phase'),
  'status.podIP': (o) => stringAt(o, 'status', 'podIP'),
};

export const RESOURCES: readonly Resource[] = [
  { kind: 'Namespace', plural: 'namespaces', group: '', version: 'v1', apiVersion: 'v1', namespaced: false, fields: {} },
  { kind: 'Service', plural: 'services', group: '', version: 'v1', apiVersion: 'v1', namespaced: true, fields: {} },
  { kind: 'Pod', plural: 'pods', group: '', version: 'v1', apiVersion: 'v1', namespaced: true, fields: podFields },
  {
    kind: 'EndpointSlice',
    plural: 'endpointslices',
    group: 'discovery.k8s.io',
    version: 'v1',
    apiVersion: 'discovery.k8s.io/v1',
    namespaced: true,
    fields: {},
  },
];

export function resourceOfKind(kind: string): Resource | undefined {
  return RESOURCES.find((r) => r.kind === kind);
}

/** What a request path names: a collection (all namespaces or one) or one object. */
export interface Target {
  resource: Resource;
  /** '' for cluster-scoped resources and for requests across all namespaces. */
  namespace: string;
  /** Set when the path names one object. */
  name?: string;
}

/**
 * Maps `/api/v1/...` and `/apis/GROUP/VERSION/...` onto a Target. Namespaces are special as in
 * the real server: `/api/v1/namespaces/x` is the Namespace x, `/api/v1/namespaces/x/services`
 * the services in x.
 */
export function routeResource(path: string): Target | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    const version = parts[2]!;
    if (!RESOURCES.some((r) => r.group === group && r.version === version)) return undefined;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  const inGroup = (plural: string | undefined) => RESOURCES.find((r) => r.group === group && r.plural === plural);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = inGroup(rest[2]);
    if (!resource?.namespaced || rest.length > 4) return undefined;
    return rest.length === 4 ? { resource, namespace: rest[1]!, name: rest[3]! } : { resource, namespace: rest[1]! };
  }
  const resource = inGroup(rest[0]);
  if (!resource || rest.length > 2) return undefined;
  if (rest.length === 2) return resource.namespaced ? undefined : { resource, namespace: '', name: rest[1]! };
  return { resource, namespace: '' };
}

function stringAt(o: Record<string, unknown>, section: string, field: string): string {
  const value = (o[section] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : '';
}
