// manifests/rbac.yaml against the code: the ClusterRole grants every (group, resource, verb) that
// src/kube/api/resources.ts says the API source uses, and nothing else; it is bound to the
// ServiceAccount kubeadm's CoreDNS Deployment runs as.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RESOURCES } from '../../src/kube/api/resources.js';
import { repoRoot } from '../support/server.js';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

const manifests = parseAllDocuments(fs.readFileSync(path.join(repoRoot, 'manifests/rbac.yaml'), 'utf8')).map((doc) => {
  assert.deepEqual(doc.errors, [], 'the file parses');
  return doc.toJS() as Manifest;
});

const find = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};

test('the file holds the ServiceAccount, the ClusterRole and its binding, nothing else', () => {
  assert.deepEqual(
    manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`),
    ['v1 ServiceAccount kube-system/coredns', 'rbac.authorization.k8s.io/v1 ClusterRole /system:coredns', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding /system:coredns'],
  );
});

test('the ClusterRole grants exactly the verbs the code uses on exactly the resources it follows', () => {
  const granted = new Set<string>();
  for (const rule of find('ClusterRole').rules ?? []) {
    assert.equal(rule.resourceNames, undefined, 'no rule is narrowed to names: lists and watches read every object');
    assert.equal(rule.nonResourceURLs, undefined);
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs ?? []) {
          assert.ok(![group, resource, verb].includes('*'), 'no wildcard');
          granted.add(`${group}/${resource}:${verb}`);
        }
      }
    }
  }
  const used = Object.values(RESOURCES).flatMap((r) => r.verbs.map((verb) => `${r.group}/${r.plural}:${verb}`));
  assert.deepEqual([...granted].sort(), [...new Set(used)].sort());
});

test('the binding gives the ClusterRole to the ServiceAccount', () => {
  const binding = find('ClusterRoleBinding');
  const account = find('ServiceAccount');
  assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: find('ClusterRole').metadata.name });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace }]);
});
