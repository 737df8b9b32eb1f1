// The index alone at scale, in one process: how long projecting the generated cluster and loading
// it into a KubeStore take, what the loaded state costs in heap, and what one event costs.
// Design decision: the raw objects are dropped and the heap collected before the store is
// measured, so the figure is the store's own (run with --expose-gc; without it the heap figures
// are marked as not collected).
import { performance } from 'node:perf_hooks';
import { projectObject } from '../../src/kube/project.js';
import { KubeStore } from '../../src/kube/store.js';
import type { KubeObject } from '../../src/kube/objects.js';
import { storeOptions } from '../../test/kube/build.js';
import { clusterObjects, DEFAULT_SHAPE, endpointSliceObject, scaledShape, servicePlan, type ClusterShape } from './generate.js';

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function project(raw: unknown): KubeObject {
  const p = projectObject(raw);
  if (!('object' in p)) throw new Error(`generated object not projected: ${JSON.stringify(p)}`);
  return p.object;
}

function newStore(): KubeStore {
  return new KubeStore(storeOptions());
}

/** Projected objects, through JSON as they arrive from the API or files: flat strings, nothing shared by accident. */
function projected(shape: ClusterShape): KubeObject[] {
  return [...clusterObjects(shape)].map((o) => project(JSON.parse(JSON.stringify(o))));
}

/**
 * The API source's way: the first lists, Namespaces, Services, then EndpointSlices, object by
 * object, then the sync that builds the index. In a function of its own, so no stack slot of the
 * caller keeps a list alive when the heap is measured.
 */
function loadAsListed(shape: ClusterShape): { store: KubeStore; listedMs: number } {
  const lists = (['Namespace', 'Service', 'EndpointSlice'] as const).map((kind) => projected(shape).filter((o) => o.kind === kind));
  const store = newStore();
  const t = performance.now();
  for (const list of lists) for (const o of list) store.upsert(o);
  store.markSynced();
  return { store, listedMs: performance.now() - t };
}

function measure(shape: ClusterShape): Record<string, string> {
  let t = performance.now();
  let objects = projected(shape);
  const projectMs = performance.now() - t;
  t = performance.now();
  const resynced = newStore();
  resynced.markSynced();
  resynced.replaceAll(objects);
  const replaceAllMs = performance.now() - t;
  objects = [];

  const base = heapMB();
  const { store, listedMs } = loadAsListed(shape);
  const heap = heapMB() - base;

  const events = 10_000;
  const slices = Array.from({ length: events }, (_, i) => {
    const plan = servicePlan(shape, (i * 7919) % shape.services);
    return project(endpointSliceObject(shape, plan, new Set([i % plan.pods.length])));
  });
  t = performance.now();
  for (const s of slices) store.upsert(s);
  const eventUs = ((performance.now() - t) / events) * 1000;
  return {
    'generate, JSON, project': `${projectMs.toFixed(0)} ms`,
    'replaceAll': `${replaceAllMs.toFixed(0)} ms`,
    'first lists, then sync': `${listedMs.toFixed(0)} ms`,
    'heap held by the store': `${heap.toFixed(1)} MB${gc ? '' : ' (not collected: run with --expose-gc)'}`,
    'one EndpointSlice event': `${eventUs.toFixed(1)} µs`,
  };
}

const shape = scaledShape(Number(process.argv[2] ?? DEFAULT_SHAPE.services));
for (const [what, value] of Object.entries(measure(shape))) console.log(`${what.padEnd(26)} ${value}`);
