// Invalidation: an entry made under another data generation of the plugins behind the cache is a
// miss, however much TTL it has left, so an update (a Kubernetes change) is never hidden.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { servfail } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import { answer, ask, makeCache, serve, upstream } from './harness.js';

const NAME = 'web.default.svc.cluster.local';

test('a change behind the cache makes the next question a miss, TTL or not', async () => {
  const c = makeCache();
  let address = '10.0.0.1';
  const up = upstream(() => answer(`${NAME}. 300 IN A ${address}`));
  await serve(c, ask(NAME), up.next);
  address = '10.0.0.2';
  c.generation.value++;
  const r = await serve(c, ask(NAME), up.next);
  assert.equal(r.answers[0]!.data, '10.0.0.2');
  await serve(c, ask(NAME), up.next);
  assert.equal(up.asked.length, 2, 'the new answer is kept under the new generation');
});

test('the generation is read before asking, so a change during a slow answer is not hidden', async () => {
  const c = makeCache();
  let finish: (r: Reply) => void = () => undefined;
  const up = upstream(() => (up.asked.length === 1 ? new Promise<Reply>((resolve) => (finish = resolve)) : answer(`${NAME}. 300 IN A 10.0.0.2`)));
  const first = serve(c, ask(NAME), up.next);
  c.generation.value++;
  finish(answer(`${NAME}. 300 IN A 10.0.0.1`));
  assert.equal((await first).answers[0]!.data, '10.0.0.1');
  assert.equal((await serve(c, ask(NAME), up.next)).answers[0]!.data, '10.0.0.2');
});

test('an expired entry of another generation is not served stale', async () => {
  const c = makeCache('cache {\n serve_stale\n}');
  let failing = false;
  const up = upstream(() => (failing ? servfail() : answer(`${NAME}. 30 IN A 10.0.0.1`)));
  await serve(c, ask(NAME), up.next);
  failing = true;
  c.clock.advance(40);
  c.generation.value++;
  assert.equal((await serve(c, ask(NAME), up.next)).rcode, RCODE.SERVFAIL);
});
