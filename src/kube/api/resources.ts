// The Kubernetes API resources clusterdns reads, and the verbs it uses on them.
// Design decision: this table is the only place that names them: the reflectors build their
// request paths from it and the RBAC test checks manifests/rbac.yaml against it, so the
// ClusterRole can neither miss a permission the code needs nor grant one it does not use.
import type { KubeKind } from '../objects.js';

export type Verb = 'list' | 'watch';

export interface ApiResource {
  kind: KubeKind;
  /** API group; '' is the core group. */
  group: string;
  version: string;
  /** The name in request paths and RBAC rules: `services`. */
  plural: string;
  namespaced: boolean;
  verbs: readonly Verb[];
}

const LIST_WATCH: readonly Verb[] = ['list', 'watch'];

export const RESOURCES: Readonly<Record<KubeKind, ApiResource>> = {
  Namespace: { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', namespaced: false, verbs: LIST_WATCH },
  Service: { kind: 'Service', group: '', version: 'v1', plural: 'services', namespaced: true, verbs: LIST_WATCH },
  EndpointSlice: {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    namespaced: true,
    verbs: LIST_WATCH,
  },
  Pod: { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, verbs: LIST_WATCH },
};

/** The collection's path: every namespace's objects, or one namespace's when `namespace` is given. */
export function collectionPath(resource: ApiResource, namespace?: string): string {
  const root = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${scope}/${resource.plural}`;
}
