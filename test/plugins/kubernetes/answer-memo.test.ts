// The plugin keeps its answers per question for one index generation: a repeated question gets the
// very Reply of the first time (so the server can send its kept bytes), until any update moves the
// generation; answers that involve the next plugin are never kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import type { Next } from '../../../src/plugin.js';
import { endpoint, port, slice } from '../../kube/build.js';
import { harness, makeQuery, NEXT_REPLY } from './harness.js';

const ask = (h: Awaited<ReturnType<typeof harness>>, text: string, next: Next = h.upstream) => h.plugin.serve(makeQuery(text), next) as Reply;

test('a repeated question gets the same reply, positive and negative alike', async () => {
  const h = await harness();
  for (const text of ['svc1.testns.svc.cluster.local. A', 'missing.testns.svc.cluster.local. A', 'svc1.testns.svc.cluster.local. TXT', '_http._tcp.svc1.testns.svc.cluster.local. SRV']) {
    const first = ask(h, text);
    assert.equal(ask(h, text), first, text);
  }
  assert.notEqual(ask(h, 'svc1.testns.svc.cluster.local. A'), ask(h, 'svc1.testns.svc.cluster.local. AAAA'), 'types are kept apart');
});

test('an update to the index replaces what was kept: the next answer shows it', async () => {
  const h = await harness();
  const text = 'headless.default.svc.cluster.local. A';
  const before = ask(h, text);
  assert.equal(ask(h, text), before);
  h.store.upsert(slice('default', 'headless-v4-more', 'headless', [endpoint('10.3.0.177')], [port('http', 80)]));
  const after = ask(h, text);
  assert.notEqual(after, before);
  assert.ok(after.answers.some((rr) => rr.data === '10.3.0.177'), 'the new endpoint is answered');
  assert.ok(!before.answers.some((rr) => rr.data === '10.3.0.177'));
  assert.equal(ask(h, text), after, 'and kept in turn');
});

test('each spelling of a name is kept apart, each answered in its own letter case', async () => {
  const h = await harness();
  const lower = ask(h, 'svc1.testns.svc.cluster.local. A');
  const mixed = ask(h, 'SVC1.TestNS.svc.cluster.local. A');
  assert.equal(ask(h, 'SVC1.TestNS.svc.cluster.local. A'), mixed);
  assert.equal(ask(h, 'svc1.testns.svc.cluster.local. A'), lower);
  assert.equal(mixed.answers[0]!.name, 'SVC1.TestNS.svc.cluster.local');
  assert.equal(lower.answers[0]!.name, 'svc1.testns.svc.cluster.local');
});

test('answers from the next plugin (fallthrough, an ExternalName chased outside) are asked for every time', async () => {
  const h = await harness({ fallthrough: [''] });
  let asked = 0;
  const next: Next = () => {
    asked++;
    return NEXT_REPLY;
  };
  for (let i = 0; i < 3; i++) assert.equal(ask(h, 'missing.testns.svc.cluster.local. A', next), NEXT_REPLY);
  assert.equal(asked, 3, 'fallthrough');
  const chased = await harness();
  let chasedAsked = 0;
  const outside: Next = () => {
    chasedAsked++;
    return NEXT_REPLY;
  };
  for (let i = 0; i < 3; i++) await chased.plugin.serve(makeQuery('external.testns.svc.cluster.local. A'), outside);
  assert.equal(chasedAsked, 3, 'the ExternalName target outside the zone');
});

test('the memo is bounded: after 65,536 other questions the first is answered afresh, still right', async () => {
  const h = await harness();
  const first = ask(h, 'svc1.testns.svc.cluster.local. A');
  for (let i = 0; i < 65_536; i++) assert.equal(ask(h, `nothing-${i}.testns.svc.cluster.local. A`).rcode, RCODE.NXDOMAIN);
  const again = ask(h, 'svc1.testns.svc.cluster.local. A');
  assert.notEqual(again, first);
  assert.deepEqual(again, first);
});

test('negative answers of one generation share their SOA, each zone spelling its own', async () => {
  const h = await harness();
  const a = ask(h, 'one.testns.svc.cluster.local. A');
  const b = ask(h, 'two.testns.svc.cluster.local. A');
  const shouted = ask(h, 'three.testns.svc.CLUSTER.LOCAL. A');
  assert.equal(a.authority[0], b.authority[0]);
  assert.equal(a.authority[0]!.name, 'cluster.local');
  assert.equal(shouted.authority[0]!.name, 'CLUSTER.LOCAL');
  h.store.upsert(slice('default', 'headless-v4-more', 'headless', [endpoint('10.3.0.177')], [port('http', 80)]));
  const later = ask(h, 'one.testns.svc.cluster.local. A');
  assert.notEqual(later.authority[0], a.authority[0], 'a new generation builds its SOA again (its serial may have moved)');
  assert.equal(later.authority[0]!.type, 'SOA');
});
