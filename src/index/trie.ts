// The label tree under the cluster zone: one node per name, children keyed by the next label to
// the left, so `svc1.testns.svc` is root → svc → testns → svc1. A lookup reads the question in
// place, right to left: each label is hashed from its character codes and compared character by
// character with the children sharing that hash, so walking a name that is not there allocates
// nothing (no split, no substring). Nodes without records are empty non-terminals. Names below a
// node whose records derive them (a service's endpoints and ports) are not nodes: the walk hands
// the rest of the name to those records (which may allocate: they build what they answer).
import type { IndexEntry, NameRecords } from './records.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// Keys stay below 2^30 so V8 keeps them as small integers (no boxed numbers on the lookup path).
const HASH_MASK = 0x3fffffff;

/** FNV-1a of `text[start, end)`, folded to 30 bits. */
export function labelHash(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h & HASH_MASK;
}

function sameLabel(label: string, text: string, start: number, end: number): boolean {
  if (label.length !== end - start) return false;
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

export class NameNode implements IndexEntry {
  /** What this name answers; undefined for an empty non-terminal. */
  records: NameRecords | undefined = undefined;
  /** For `<ns>.pod`: the pod addresses of the namespace, each with the number of pods holding it. */
  pods: Map<string, number> | undefined = undefined;
  private children: Map<number, NameNode> | undefined = undefined;
  /** The next child of the same parent whose label has the same hash. */
  private collision: NameNode | undefined = undefined;

  constructor(readonly label: string) {}

  /** What is at the labels of `name[start, end)` below this node (this node for an empty range). */
  find(name: string, start: number, end: number): IndexEntry | undefined {
    let node: NameNode = this;
    let stop = end;
    while (stop > start) {
      const dot = name.lastIndexOf('.', stop - 1);
      const from = dot < start ? start : dot + 1;
      const child = node.childAt(name, from, stop);
      if (child === undefined) return node.records?.below?.(name, start, stop);
      node = child;
      stop = from - 1;
    }
    return node;
  }

  child(label: string): NameNode | undefined {
    return this.childAt(label, 0, label.length);
  }

  /** The child for `label`, created (as an empty non-terminal) when missing. */
  ensureChild(label: string): NameNode {
    const found = this.child(label);
    if (found) return found;
    const node = new NameNode(label);
    const hash = labelHash(label, 0, label.length);
    this.children ??= new Map();
    node.collision = this.children.get(hash);
    this.children.set(hash, node);
    return node;
  }

  /** The children, in no particular order. */
  *childNodes(): Iterable<NameNode> {
    for (const first of this.children?.values() ?? []) {
      for (let c: NameNode | undefined = first; c; c = c.collision) yield c;
    }
  }

  removeChild(label: string): void {
    const hash = labelHash(label, 0, label.length);
    let prev: NameNode | undefined;
    for (let c = this.children?.get(hash); c; prev = c, c = c.collision) {
      if (c.label !== label) continue;
      if (prev) prev.collision = c.collision;
      else if (c.collision) this.children!.set(hash, c.collision);
      else this.children!.delete(hash);
      return;
    }
  }

  private childAt(text: string, start: number, end: number): NameNode | undefined {
    if (this.children === undefined) return undefined;
    for (let c = this.children.get(labelHash(text, start, end)); c; c = c.collision) {
      if (sameLabel(c.label, text, start, end)) return c;
    }
    return undefined;
  }
}
