import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeQuery, parseRequest } from '../../src/dns/wire.js';
import { labels } from './raw.js';

function wireName(text: string): Buffer {
  const query = encodeQuery({ id: 1, name: text, type: 'A' });
  return query.subarray(12, query.length - 4);
}

function readBack(text: string): string {
  const parsed = parseRequest(encodeQuery({ id: 1, name: text, type: 'A' }));
  assert.equal(parsed.kind, 'request');
  return parsed.kind === 'request' ? parsed.request.name : '';
}

const names: { text: string; wire: Buffer; canonical?: string }[] = [
  { text: '', wire: labels() },
  { text: '.', wire: labels(), canonical: '' },
  { text: 'Cluster.Local', wire: labels('Cluster', 'Local') },
  { text: 'cluster.local.', wire: labels('cluster', 'local'), canonical: 'cluster.local' },
  { text: 'a\\.b.svc', wire: labels('a.b', 'svc') },
  { text: 'back\\\\slash', wire: labels('back\\slash') },
  { text: 'sp\\032ace.x', wire: labels('sp ace', 'x') },
  { text: '\\000\\255\\127', wire: labels(Buffer.from([0, 255, 127])) },
  { text: '\\065\\066', wire: labels('AB'), canonical: 'AB' },
  { text: '\\a\\-', wire: labels('a-'), canonical: 'a-' },
  { text: 'a\\.', wire: labels('a.') },
  { text: 'x'.repeat(63), wire: labels('x'.repeat(63)) },
];

for (const n of names) {
  test(`name "${n.text}" goes on the wire as ${n.wire.toString('hex')} and reads back as "${n.canonical ?? n.text}"`, () => {
    assert.deepEqual(wireName(n.text), n.wire);
    assert.equal(readBack(n.text), n.canonical ?? n.text);
  });
}

const invalid: { text: string; error: RegExp }[] = [
  { text: 'a..b', error: /has an empty label/ },
  { text: '.a', error: /has an empty label/ },
  { text: 'a.b..', error: /has an empty label/ },
  { text: 'x'.repeat(64), error: /label longer than 63 bytes/ },
  { text: `${'x\\000'.repeat(32)}`, error: /label longer than 63 bytes/ },
  { text: Array(128).fill('z').join('.'), error: /longer than 255 bytes/ },
  { text: 'trailing\\', error: /ends in a lone backslash/ },
  { text: 'bad\\25', error: /escape without three digits/ },
  { text: 'bad\\2x5', error: /escape without three digits/ },
  { text: 'bad\\256', error: /escape above 255/ },
  { text: 'café.fr', error: /character outside ASCII/ },
  { text: 'x\\é', error: /character outside ASCII/ },
];

for (const n of invalid) {
  test(`name "${n.text.length > 40 ? `${n.text.slice(0, 40)}…` : n.text}" is refused`, () => {
    assert.throws(() => wireName(n.text), (e: unknown) => e instanceof Error && n.error.test(e.message));
  });
}

test('the longest legal name, 127 one-byte labels, is 255 bytes on the wire', () => {
  const text = Array(127).fill('z').join('.');
  assert.equal(wireName(text).length, 255);
  assert.equal(readBack(text), text);
});
