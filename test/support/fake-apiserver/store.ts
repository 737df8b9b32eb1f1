// The fake API server's storage: objects per resource under one global, etcd-like revision, and
// the recent history of changes that watches replay and paginated lists read their snapshot from.
// Design decision: each object is kept as its JSON text (without kind/apiVersion, as list items
// are served) plus the few strings selectors match on, so a list of 100,000 objects is a copy of
// ready strings; history keeps the state before each change, which is enough to rebuild the
// state at any revision still inside the window (consistent pages) and to turn an object leaving
// a selection into a DELETED event.
import { randomUUID } from 'node:crypto';
import { resourceOfKind, RESOURCES, type Resource } from './resources.js';

/** A Kubernetes object as plain JSON, as `kubectl apply` would read it from YAML. */
export interface ApiObject {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [field: string]: unknown };
  [field: string]: unknown;
}

/** One version of one object. Never changed once made: a write makes a new one. */
export interface Stored {
  resource: Resource;
  /** `namespace/name`, or `name` when cluster-scoped: the order lists are served in. */
  key: string;
  namespace: string;
  name: string;
  uid: string;
  created: string;
  rv: number;
  labels: Readonly<Record<string, string>>;
  /** Values of the field labels field selectors may name. */
  fields: Readonly<Record<string, string>>;
  /** The object's JSON without kind and apiVersion, metadata.resourceVersion = rv. */
  body: string;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: ChangeType;
  /** The new state; for DELETED the last state, stamped with the deletion's revision. */
  object: Stored;
  /** The state before the change; undefined for ADDED. */
  prev: Stored | undefined;
}

export class VersionedStore {
  private rev = 1;
  private compacted = 1;
  private readonly objects = new Map<Resource, Map<string, Stored>>(RESOURCES.map((r) => [r, new Map()]));
  private readonly sortedKeys = new Map<Resource, string[]>();
  private history: Change[] = [];
  /** history[head] is the oldest change still kept. */
  private head = 0;
  private readonly listeners = new Set<(change: Change) => void>();
  private second = 0;
  private stamp = '';

  constructor(private readonly historyLimit: number) {}

  /** The revision of the latest write. */
  get revision(): number {
    return this.rev;
  }

  /** The newest revision whose change has been forgotten: watches and pages must start at or after it. */
  get compactedRevision(): number {
    return this.compacted;
  }

  create(input: ApiObject): Stored {
    const { resource, key, namespace, name } = identify(input);
    if (this.objects.get(resource)!.has(key)) throw new Error(`${resource.kind} ${key} already exists`);
    const object = makeStored(resource, key, namespace, name, randomUUID(), this.now(), ++this.rev, input);
    this.sortedKeys.delete(resource);
    this.record({ rv: object.rv, type: 'ADDED', object, prev: undefined });
    return object;
  }

  /** Replaces the whole object, keeping uid and creationTimestamp; an identical object is a no-op, as on the real server. */
  update(input: ApiObject): Stored {
    const { resource, key, namespace, name } = identify(input);
    const prev = this.objects.get(resource)!.get(key);
    if (!prev) throw new Error(`${resource.kind} ${key} not found`);
    const same = makeStored(resource, key, namespace, name, prev.uid, prev.created, prev.rv, input);
    if (same.body === prev.body) return prev;
    const object = makeStored(resource, key, namespace, name, prev.uid, prev.created, ++this.rev, input);
    this.record({ rv: object.rv, type: 'MODIFIED', object, prev });
    return object;
  }

  remove(kind: string, namespace: string, name: string): Stored {
    const resource = served(kind);
    const key = keyOf(resource, namespace, name);
    const prev = this.objects.get(resource)!.get(key);
    if (!prev) throw new Error(`${kind} ${key} not found`);
    const object = withResourceVersion(prev, ++this.rev);
    this.sortedKeys.delete(resource);
    this.record({ rv: object.rv, type: 'DELETED', object, prev });
    return object;
  }

  get(kind: string, namespace: string, name: string): Stored | undefined {
    const resource = served(kind);
    return this.objects.get(resource)!.get(keyOf(resource, namespace, name));
  }

  /** Forgets all history: only the current revision can be watched from or paged at. */
  compact(): void {
    this.compacted = this.rev;
    this.history = [];
    this.head = 0;
  }

  /** The changes after `rv`, oldest first; undefined when history no longer reaches back to it. */
  changesSince(rv: number): Change[] | undefined {
    if (rv < this.compacted) return undefined;
    let i = this.history.length;
    while (i > this.head && this.history[i - 1]!.rv > rv) i--;
    return this.history.slice(i);
  }

  /**
   * The objects of `resource` as they were at revision `rv`; undefined when that revision has
   * been compacted away.
   */
  snapshot(resource: Resource, rv: number): Snapshot | undefined {
    const changes = this.changesSince(rv);
    if (!changes) return undefined;
    const current = this.objects.get(resource)!;
    // The oldest change after rv to each key holds that key's state at rv.
    const then = new Map<string, Stored | undefined>();
    for (let i = changes.length - 1; i >= 0; i--) {
      const c = changes[i]!;
      if (c.object.resource === resource) then.set(c.object.key, c.prev);
    }
    const gone = [...then.keys()].filter((key) => !current.has(key)).sort();
    return {
      keys: gone.length === 0 ? this.keysOf(resource) : merge(this.keysOf(resource), gone),
      at: (key) => (then.has(key) ? then.get(key) : current.get(key)),
      absent: [...then.keys()].filter((key) => then.get(key) === undefined).sort(),
    };
  }

  /** Calls `listener` with every change from now on, synchronously; returns the unsubscribe function. */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: Change): void {
    const objects = this.objects.get(change.object.resource)!;
    if (change.type === 'DELETED') objects.delete(change.object.key);
    else objects.set(change.object.key, change.object);
    this.history.push(change);
    while (this.history.length - this.head > this.historyLimit) this.compacted = this.history[this.head++]!.rv;
    if (this.head > 1024 && this.head * 2 > this.history.length) {
      this.history = this.history.slice(this.head);
      this.head = 0;
    }
    for (const listener of this.listeners) listener(change);
  }

  private keysOf(resource: Resource): string[] {
    let keys = this.sortedKeys.get(resource);
    if (!keys) {
      // The default sort compares UTF-16 code units, the order `firstAfter` searches in.
      keys = [...this.objects.get(resource)!.keys()].sort();
      this.sortedKeys.set(resource, keys);
    }
    return keys;
  }

  /** creationTimestamp has whole seconds: formatting it once per second keeps bulk loads fast. */
  private now(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.stamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    }
    return this.stamp;
  }
}

/** A list's view of one revision: every key that had an object then, in order, and its state then. */
export interface Snapshot {
  keys: readonly string[];
  at(key: string): Stored | undefined;
  /** The keys among `keys` that had no object then (created or deleted since), in order. */
  absent: readonly string[];
}

/** The same object version with another metadata.resourceVersion (deletions and selector exits). */
export function withResourceVersion(object: Stored, rv: number): Stored {
  const parsed = JSON.parse(object.body) as { metadata: Record<string, unknown> };
  parsed.metadata.resourceVersion = String(rv);
  return { ...object, rv, body: JSON.stringify(parsed) };
}

/** The object as watch events and single GETs carry it: with kind and apiVersion first. */
export function objectJson(object: Stored): string {
  const { kind, apiVersion } = object.resource;
  return `{"kind":"${kind}","apiVersion":"${apiVersion}",${object.body.slice(1)}`;
}

function makeStored(
  resource: Resource,
  key: string,
  namespace: string,
  name: string,
  uid: string,
  created: string,
  rv: number,
  input: ApiObject,
): Stored {
  // Plain loops rather than rest destructuring: this runs once per object of a bulk load.
  const given = input.metadata ?? {};
  const metadata: Record<string, unknown> = {};
  for (const field in given) if (field !== 'namespace') metadata[field] = given[field];
  metadata.name = name;
  if (resource.namespaced) metadata.namespace = namespace;
  metadata.uid = uid;
  metadata.resourceVersion = String(rv);
  metadata.creationTimestamp = created;
  const object: Record<string, unknown> = { metadata };
  for (const field in input) if (field !== 'kind' && field !== 'apiVersion' && field !== 'metadata') object[field] = input[field];
  const body = JSON.stringify(object);
  const labels = { ...given.labels };
  const fields: Record<string, string> = { 'metadata.name': name, 'metadata.namespace': namespace };
  for (const [field, read] of Object.entries(resource.fields)) fields[field] = read(input);
  return { resource, key, namespace, name, uid, created, rv, labels, fields, body };
}

function identify(input: ApiObject): { resource: Resource; key: string; namespace: string; name: string } {
  const resource = served(input.kind);
  if (input.apiVersion !== undefined && input.apiVersion !== resource.apiVersion) {
    throw new Error(`${resource.kind} is served as ${resource.apiVersion}, not ${input.apiVersion}`);
  }
  const name = input.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${resource.kind} without metadata.name`);
  const namespace = resource.namespaced ? input.metadata?.namespace || 'default' : '';
  return { resource, key: keyOf(resource, namespace, name), namespace, name };
}

function served(kind: string | undefined): Resource {
  const resource = resourceOfKind(kind ?? '');
  if (!resource) throw new Error(`the fake API server does not serve kind ${JSON.stringify(kind)}`);
  return resource;
}

function keyOf(resource: Resource, namespace: string, name: string): string {
  return resource.namespaced ? `${namespace}/${name}` : name;
}

/** Merges two sorted key lists. */
function merge(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]! < b[j]!) ? a[i++]! : b[j++]!);
  return out;
}

/** Index of the first key greater than `after` ('' means from the start). */
export function firstAfter(keys: readonly string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
