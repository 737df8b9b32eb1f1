// What makes two questions the same entry: the name without regard to letter case, the type, the
// class, and the DO and CD bits; nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Query } from '../../../src/plugin.js';
import { answer, ask, makeCache, serve, upstream } from './harness.js';

const first = ask('www.example.org', 'A', { do: false });

const cases: { why: string; second: Query; hit: boolean }[] = [
  { why: 'the same question', second: ask('www.example.org', 'A', { do: false }), hit: true },
  { why: 'other letter case', second: ask('WWW.Example.ORG', 'A', { do: false }), hit: true },
  { why: 'no EDNS at all (DO clear either way)', second: ask('www.example.org'), hit: true },
  { why: 'over TCP from another client', second: { ...ask('www.example.org', 'A', { do: false }), transport: 'tcp', client: { address: '10.0.0.1', port: 1 } }, hit: true },
  { why: 'another name', second: ask('www2.example.org', 'A', { do: false }), hit: false },
  { why: 'another type', second: ask('www.example.org', 'AAAA', { do: false }), hit: false },
  { why: 'DO set', second: ask('www.example.org', 'A', { do: true }), hit: false },
  { why: 'CD set', second: ask('www.example.org', 'A', { do: false, cd: true }), hit: false },
  { why: 'another class', second: withClass(ask('www.example.org', 'A', { do: false }), 3), hit: false },
];

function withClass(q: Query, qclass: number): Query {
  return { ...q, request: { ...q.request, qclass } };
}

for (const c of cases) {
  test(`key: ${c.why} is ${c.hit ? 'a hit' : 'a miss'}`, async () => {
    const cache = makeCache();
    const up = upstream(() => answer('www.example.org. 300 IN A 192.0.2.1'));
    await serve(cache, first, up.next);
    await serve(cache, c.second, up.next);
    assert.equal(up.asked.length, c.hit ? 1 : 2);
  });
}
