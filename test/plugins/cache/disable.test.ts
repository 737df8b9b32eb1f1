// disable success|denial [ZONES...]: that type of reply is not kept for names in those zones
// (all of the cache's zones when none are named); everything else is kept as usual.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RCODE } from '../../../src/dns/types.js';
import { answer, ask, denial, makeCache, serve, soa, upstream } from './harness.js';

const cases: { stanza: string; name: string; exists: boolean; kept: boolean }[] = [
  { stanza: 'cache {\n disable success\n}', name: 'a.example.org', exists: true, kept: false },
  { stanza: 'cache {\n disable success\n}', name: 'gone.example.org', exists: false, kept: true },
  { stanza: 'cache {\n disable denial\n}', name: 'gone.example.org', exists: false, kept: false },
  { stanza: 'cache {\n disable denial\n}', name: 'a.example.org', exists: true, kept: true },
  { stanza: 'cache {\n disable denial sub.example.org\n}', name: 'gone.sub.example.org', exists: false, kept: false },
  { stanza: 'cache {\n disable denial sub.example.org\n}', name: 'gone.example.org', exists: false, kept: true },
  { stanza: 'cache {\n disable denial sub.example.org\n}', name: 'a.sub.example.org', exists: true, kept: true },
];

for (const c of cases) {
  test(`${JSON.stringify(c.stanza)}: ${c.exists ? 'an answer' : 'a denial'} for ${c.name} is ${c.kept ? '' : 'not '}kept`, async () => {
    const cache = makeCache(c.stanza);
    const up = upstream((q) => (c.exists ? answer(`${q.name}. 60 IN A 192.0.2.1`) : denial(RCODE.NXDOMAIN, soa(60, 60))));
    await serve(cache, ask(c.name), up.next);
    await serve(cache, ask(c.name), up.next);
    assert.equal(up.asked.length, c.kept ? 1 : 2);
  });
}
