// GET /debug/index on the health address: every inspecting plugin's summary, or its view of one
// name, as JSON; plugins that cannot be inspected are left out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debugIndexRoute } from '../../../plugins/health/debug.js';
import type { Plugin } from '../../../src/plugin.js';
import { RCODE } from '../../../src/dns/types.js';
import { reply } from '../../../src/dns/reply.js';

const serve = () => reply(RCODE.REFUSED);
const plugins: Plugin[] = [
  { name: 'cache', serve },
  { name: 'kubernetes', serve, inspect: (name) => (name === undefined ? { services: 3 } : { records: [`${name}. 5 IN A 10.0.0.1`] }) },
  { name: 'hosts', serve, inspect: async (name) => ({ asked: name ?? null }) },
];
const route = debugIndexRoute(':8080', 'Corefile:3 health', () => plugins);

async function get(query: string) {
  const answer = await route.handle(new URLSearchParams(query));
  assert.equal(answer.status, 200);
  assert.equal(answer.contentType, 'application/json; charset=utf-8');
  return JSON.parse(answer.body) as unknown;
}

test('declared on the address given, at /debug/index', () => {
  assert.deepEqual([route.address, route.path, route.origin], [':8080', '/debug/index', 'Corefile:3 health']);
});

test('without a name: each inspecting plugin’s summary, promises awaited', async () => {
  assert.deepEqual(await get(''), {
    plugins: [
      { plugin: 'kubernetes', holds: { services: 3 } },
      { plugin: 'hosts', holds: { asked: null } },
    ],
  });
});

test('with ?name=: each inspecting plugin’s view of that name', async () => {
  assert.deepEqual(await get('name=web.shop.svc.cluster.local'), {
    name: 'web.shop.svc.cluster.local',
    plugins: [
      { plugin: 'kubernetes', holds: { records: ['web.shop.svc.cluster.local. 5 IN A 10.0.0.1'] } },
      { plugin: 'hosts', holds: { asked: 'web.shop.svc.cluster.local' } },
    ],
  });
});

test('an empty ?name= is the summary', async () => {
  assert.deepEqual(await get('name='), await get(''));
});

test('the plugins are those of the configuration at request time', async () => {
  const current: Plugin[] = [];
  const late = debugIndexRoute(':8080', 'Corefile:3 health', () => current);
  current.push({ name: 'kubernetes', serve, inspect: () => ({ services: 1 }) });
  assert.deepEqual(JSON.parse((await late.handle(new URLSearchParams())).body), { plugins: [{ plugin: 'kubernetes', holds: { services: 1 } }] });
});
