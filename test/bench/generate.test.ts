// The scale benchmark's cluster generator: the objects it makes are valid, as many as it says,
// and laid out as its shape asks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointSliceObject, KubeObject, ServiceObject } from '../../src/kube/objects.js';
import { projectObject } from '../../src/kube/project.js';
import { clusterCounts, clusterLists, clusterObjects, endpointSliceObject, scaledShape, servicePlan, type ClusterShape } from '../../bench/scale/generate.js';

const shapes: ClusterShape[] = [
  scaledShape(1_000),
  { services: 90, namespaces: 4, headlessShare: 0.5, headlessEndpoints: 2, clusterIPEndpoints: { min: 2, max: 4 }, pods: 40 },
];

function projected(shape: ClusterShape): KubeObject[] {
  return [...clusterObjects(shape)].map((raw) => {
    const p = projectObject(raw);
    assert.ok('object' in p, JSON.stringify(p));
    return p.object;
  });
}

for (const shape of shapes) {
  const label = `${shape.services} services in ${shape.namespaces} namespaces`;

  test(`${label}: every object projects, and the counts are what clusterCounts says`, () => {
    const objects = projected(shape);
    const of = <K extends KubeObject['kind']>(kind: K) => objects.filter((o): o is Extract<KubeObject, { kind: K }> => o.kind === kind);
    const services = of('Service');
    const slices = of('EndpointSlice');
    const counts = clusterCounts(shape);
    assert.equal(of('Namespace').length, counts.namespaces);
    assert.equal(services.length, counts.services);
    assert.equal(services.filter((s) => s.clusterIPs.includes('None')).length, counts.headless);
    assert.equal(slices.length, counts.endpointSlices);
    assert.equal(slices.reduce((n, s) => n + s.endpoints.length, 0), counts.endpoints);
    const pods = new Set(slices.flatMap((s) => s.endpoints.map((e) => `${s.namespace}/${e.podName}`)));
    assert.equal(pods.size, counts.pods, 'every pod backs some service');
    assert.equal(new Set(services.map((s) => `${s.namespace}/${s.name}`)).size, services.length, 'names are unique');
    assert.equal(new Set(services.flatMap((s) => s.clusterIPs).filter((ip) => ip !== 'None')).size, counts.services - counts.headless, 'ClusterIPs are unique');
  });

  test(`${label}: headless services get their hostnamed endpoints, ClusterIP ones min..max`, () => {
    const objects = projected(shape);
    const services = new Map(objects.filter((o): o is ServiceObject => o.kind === 'Service').map((s) => [`${s.namespace}/${s.name}`, s]));
    for (const s of objects.filter((o): o is EndpointSliceObject => o.kind === 'EndpointSlice')) {
      const svc = services.get(`${s.namespace}/${s.service}`);
      assert.ok(svc, `${s.name} names a service of its namespace`);
      if (svc.clusterIPs.includes('None')) {
        assert.equal(s.endpoints.length, shape.headlessEndpoints, s.name);
        assert.ok(s.endpoints.every((e) => e.hostname?.startsWith(`${svc.name}-`)), s.name);
      } else {
        assert.ok(s.endpoints.length >= shape.clusterIPEndpoints.min && s.endpoints.length <= shape.clusterIPEndpoints.max, s.name);
        assert.ok(s.endpoints.every((e) => e.hostname === undefined), s.name);
      }
    }
  });
}

test('a moved endpoint gets an address no pod has, and moves back', () => {
  const shape = shapes[0]!;
  const plan = servicePlan(shape, 7);
  const addresses = (moved: number[]) =>
    (endpointSliceObject(shape, plan, new Set(moved)).endpoints as { addresses: string[] }[]).map((e) => e.addresses[0]!);
  const home = addresses([]);
  const moved = addresses([0]);
  assert.notEqual(moved[0], home[0]);
  assert.deepEqual(moved.slice(1), home.slice(1));
  const all = new Set(projected(shape).flatMap((o) => (o.kind === 'EndpointSlice' ? o.endpoints.flatMap((e) => e.addresses) : [])));
  assert.equal(all.has(moved[0]!), false);
});

test('the JSON lists hold the same objects, one List per kind', () => {
  const shape = shapes[1]!;
  const files = clusterLists(shape);
  assert.deepEqual(Object.keys(files).sort(), ['endpointslices.json', 'namespaces.json', 'services.json']);
  const items = Object.values(files).flatMap((text) => (JSON.parse(text) as { kind: string; items: unknown[] }).items);
  const texts = (objects: unknown[]) => objects.map((o) => JSON.stringify(o)).sort();
  assert.deepEqual(texts(items), texts([...clusterObjects(shape)]));
});
