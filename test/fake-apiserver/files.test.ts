// Objects from YAML/JSON files (the demo cluster, multi-document files, lists, broken files) and
// bulk loading at benchmark scale.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/errors.js';
import { fakeApiServerFor, readObjectFiles, type ApiObject } from '../support/fake-apiserver.js';
import { serviceManifest } from '../support/fake-apiserver/manifests.js';
import { getJson } from '../support/fake-apiserver/raw-client.js';

// Compiled tests run from <outDir>/test/fake-apiserver/, three levels below the repository.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function tempDir(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-apiserver-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const identity = (o: ApiObject) => `${o.kind} ${o.apiVersion} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

test('the demo cluster in zones/cluster loads and is served, kind by kind', async (t) => {
  const objects = readObjectFiles(join(repoRoot, 'zones/cluster'));
  const api = await fakeApiServerFor(t);
  const served = { Namespace: '/api/v1/namespaces', Service: '/api/v1/services', Pod: '/api/v1/pods', EndpointSlice: '/apis/discovery.k8s.io/v1/endpointslices' };
  const ofServedKinds = objects.filter((o) => o.kind! in served);
  assert.ok(ofServedKinds.length > 0);
  assert.equal(api.load(objects), ofServedKinds.length);
  for (const [kind, path] of Object.entries(served)) {
    const { body } = await getJson(api, path);
    const expected = ofServedKinds.filter((o) => o.kind === kind).map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata!.name}`);
    const got = body.items.map((i: { metadata: { namespace?: string; name: string } }) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`);
    assert.deepEqual(got, [...expected].sort(), kind);
  }
});

test('files hold many documents, Lists and typed lists; a directory is read in name order', (t) => {
  const dir = tempDir(t, {
    'b-multi.yaml': [
      '# a comment-only document is skipped',
      '---',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a',
      '---',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: a',
      '---',
      '',
    ].join('\n'),
    'a-list.yaml': [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- {apiVersion: v1, kind: Service, metadata: {name: web, namespace: a}}',
      '- {apiVersion: discovery.k8s.io/v1, kind: EndpointSlice, metadata: {name: web-1, namespace: a}, addressType: IPv4}',
    ].join('\n'),
    'c-typed.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: {}, items: [{ metadata: { name: 'p', namespace: 'a' } }] }),
    'd-typed.yaml': 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSliceList\nitems:\n- metadata: {name: s, namespace: b}\n',
    'notes.txt': 'kind: Namespace\nmetadata: {name: ignored}\n',
    '.hidden.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ignored}\n',
  });
  assert.deepEqual(readObjectFiles(dir).map(identity), [
    'Service v1 a/web',
    'EndpointSlice discovery.k8s.io/v1 a/web-1',
    'Namespace v1 /a',
    'Deployment apps/v1 a/d',
    'Pod v1 a/p',
    'EndpointSlice discovery.k8s.io/v1 b/s',
  ]);
  assert.deepEqual(readObjectFiles(join(dir, 'c-typed.json'), join(dir, 'b-multi.yaml')).map(identity), [
    'Pod v1 a/p',
    'Namespace v1 /a',
    'Deployment apps/v1 a/d',
  ]);
});

test('a broken file is a ConfigError naming file and line', (t) => {
  const dir = tempDir(t, {
    'bad-yaml.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n',
    'scalar.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\njust a string\n',
  });
  const cases = [
    { file: 'bad-yaml.yaml', message: /bad-yaml\.yaml:\d+: / },
    { file: 'scalar.yaml', message: /scalar\.yaml:5: a document must be a Kubernetes object$/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => readObjectFiles(join(dir, c.file)),
      (err: unknown) => err instanceof ConfigError && c.message.test(err.message),
      c.file,
    );
  }
});

test('100,000 services load in bulk, list whole as a stream, and page', async (t) => {
  const api = await fakeApiServerFor(t);
  const count = 100_000;
  const manifests = Array.from({ length: count }, (_, i) => serviceManifest(`ns-${i % 100}`, `svc-${i}`, `10.96.${(i >> 8) & 255}.${i & 255}`));
  let started = performance.now();
  assert.equal(api.load(manifests), count);
  t.diagnostic(`load: ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  const whole = await getJson(api, '/api/v1/services');
  t.diagnostic(`whole list, fetched and parsed: ${Math.round(performance.now() - started)} ms`);
  assert.equal(whole.body.items.length, count);
  started = performance.now();
  const page = await getJson(api, '/api/v1/namespaces/ns-7/services?limit=500');
  t.diagnostic(`first page of one namespace: ${Math.round(performance.now() - started)} ms`);
  assert.equal(page.body.items.length, 500);
  assert.equal(page.body.metadata.remainingItemCount, count / 100 - 500);
});
