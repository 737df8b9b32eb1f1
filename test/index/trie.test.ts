import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameRecords } from '../../src/index/records.js';
import { labelHash, NameNode } from '../../src/index/trie.js';

/** A tree holding the given names (relative, leftmost label first), each with records of its own TTL. */
function tree(names: string[]): NameNode {
  const root = new NameNode('');
  names.forEach((name, i) => {
    let node = root;
    for (const label of name.split('.').reverse()) node = node.ensureChild(label);
    node.records = nameRecords(i + 1, {});
  });
  return root;
}

test('find walks labels right to left over a range of the name', () => {
  const root = tree(['svc1.testns.svc', '_http._tcp.svc1.testns.svc', 'dns-version']);
  const cases: { name: string; start?: number; end?: number; ttl: number | undefined; exists: boolean }[] = [
    { name: 'svc1.testns.svc', ttl: 1, exists: true },
    { name: '_http._tcp.svc1.testns.svc', ttl: 2, exists: true },
    { name: 'dns-version', ttl: 3, exists: true },
    { name: '_tcp.svc1.testns.svc', ttl: undefined, exists: true },
    { name: 'testns.svc', ttl: undefined, exists: true },
    { name: 'svc2.testns.svc', ttl: undefined, exists: false },
    { name: 'a.svc1.testns.svc', ttl: undefined, exists: false },
    { name: 'svc1.testns.svc.cluster.local', end: 'svc1.testns.svc'.length, ttl: 1, exists: true },
    { name: 'x.svc1.testns.svc', start: 2, ttl: 1, exists: true },
    { name: 'svc1..svc', ttl: undefined, exists: false },
    { name: '', ttl: undefined, exists: true },
  ];
  for (const c of cases) {
    const node = root.find(c.name, c.start ?? 0, c.end ?? c.name.length);
    assert.equal(node !== undefined, c.exists, c.name);
    assert.equal(node?.records?.ttl, c.ttl, c.name);
  }
  assert.equal(root.find('', 0, 0), root);
});

test('labels compare exactly: no prefix or case matches', () => {
  const root = tree(['svc1.testns.svc']);
  for (const name of ['svc.testns.svc', 'svc11.testns.svc', 'SVC1.testns.svc', 'svc1.testns.sv']) {
    assert.equal(root.find(name, 0, name.length)?.records, undefined, name);
  }
});

/** Two different labels with the same hash, found by a birthday search. */
function collidingLabels(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    // Scrambled, so the labels differ in every position and the search ends near the birthday bound.
    const label = (Math.imul(i, 2654435761) >>> 0).toString(36);
    const h = labelHash(label, 0, label.length);
    const other = seen.get(h);
    if (other !== undefined) return [other, label];
    seen.set(h, label);
  }
}

test('children whose labels share a hash are told apart, added and removed in any order', () => {
  const [a, b] = collidingLabels();
  assert.equal(labelHash(a, 0, a.length), labelHash(b, 0, b.length));
  const c = 'unrelated';
  for (const removeOrder of [[a, b], [b, a]]) {
    const root = tree([a, b, c]);
    assert.equal(root.find(a, 0, a.length)?.records?.ttl, 1);
    assert.equal(root.find(b, 0, b.length)?.records?.ttl, 2);
    root.removeChild(removeOrder[0]!);
    assert.equal(root.find(removeOrder[0]!, 0, removeOrder[0]!.length), undefined);
    assert.notEqual(root.find(removeOrder[1]!, 0, removeOrder[1]!.length), undefined);
    root.removeChild(removeOrder[1]!);
    assert.equal(root.find(removeOrder[1]!, 0, removeOrder[1]!.length), undefined);
    assert.equal(root.find(c, 0, c.length)?.records?.ttl, 3);
  }
});

test('ensureChild returns the existing child; removing a missing child is harmless', () => {
  const root = new NameNode('');
  const svc = root.ensureChild('svc');
  assert.equal(root.ensureChild('svc'), svc);
  assert.equal(root.child('svc'), svc);
  root.removeChild('pod');
  assert.equal(root.child('svc'), svc);
  root.removeChild('svc');
  assert.equal(root.child('svc'), undefined);
});

test('below a node whose records derive names, the walk hands them the rest of the name', () => {
  const root = tree(['svc1.testns.svc']);
  const service = root.find('svc1.testns.svc', 0, 15) as NameNode;
  const endpoint = { records: nameRecords(9, {}), pods: undefined };
  const asked: string[] = [];
  service.records = {
    ...nameRecords(1, {}),
    below(name: string, start: number, end: number) {
      asked.push(name.slice(start, end));
      return name.slice(start, end) === 'ep' ? endpoint : undefined;
    },
  };
  const cases: { name: string; start?: number; found: unknown; asked: string[] }[] = [
    { name: 'ep.svc1.testns.svc', found: endpoint, asked: ['ep'] },
    { name: 'x.ep.svc1.testns.svc', found: undefined, asked: ['x.ep'] },
    { name: 'x.ep.svc1.testns.svc', start: 2, found: endpoint, asked: ['ep'] },
    { name: 'svc1.testns.svc', found: service, asked: [] },
    { name: 'other.testns.svc', found: undefined, asked: [] },
  ];
  for (const c of cases) {
    asked.length = 0;
    assert.equal(root.find(c.name, c.start ?? 0, c.name.length), c.found, c.name);
    assert.deepEqual(asked, c.asked, c.name);
  }
});

test('childNodes lists every child, those sharing a hash included', () => {
  const [a, b] = collidingLabels();
  const root = tree([a, b, 'unrelated']);
  assert.deepEqual([...root.childNodes()].map((n) => n.label).sort(), [a, b, 'unrelated'].sort());
  assert.deepEqual([...new NameNode('').childNodes()], []);
});
