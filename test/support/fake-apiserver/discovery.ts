// The discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/GROUP[/VERSION]`) and `/version`.
// Design decision: they are derived from the resource table, so discovery never advertises a
// resource the fake does not serve, and only the verbs it implements (get, list, watch).
import { RESOURCES, type Resource } from './resources.js';

/** The discovery document at `path`, or undefined when the path is not a discovery path. */
export function discoveryDocument(path: string, serverAddress: string): object | undefined {
  const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => r.group))];
  if (path === '/version') {
    return {
      major: '1',
      minor: '30',
      gitVersion: 'v1.30.0+fake',
      gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean',
      buildDate: '2024-04-17T00:00:00Z',
      goVersion: 'go1.22.2',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }
  if (path === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDocument) };
  if (path === '/api/v1') return resourceList('', 'v1');
  for (const group of groups) {
    if (path === `/apis/${group}`) return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group) };
    for (const version of versionsOf(group)) {
      if (path === `/apis/${group}/${version}`) return resourceList(group, version);
    }
  }
  return undefined;
}

function groupDocument(group: string): object {
  const versions = versionsOf(group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

function versionsOf(group: string): string[] {
  return [...new Set(RESOURCES.filter((r) => r.group === group).map((r) => r.version))];
}

function resourceList(group: string, version: string): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: RESOURCES.filter((r) => r.group === group && r.version === version).map(resourceDocument),
  };
}

function resourceDocument(r: Resource): object {
  return {
    name: r.plural,
    singularName: r.kind.toLowerCase(),
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: ['get', 'list', 'watch'],
  };
}
