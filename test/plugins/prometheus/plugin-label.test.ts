// The `plugin` label of coredns_dns_responses_total: the plugin that produced the reply, as the
// chain notes it. A plugin that only reshapes the reply the rest of the chain gave it (cache keeping
// a miss, loadbalance shuffling) leaves the label to the one that produced it; a cache hit is the
// cache's; REFUSED from the end of the chain is nobody's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildChain, producerOf } from '../../../src/chain.js';
import { reply } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import type { Next, Plugin, Query } from '../../../src/plugin.js';
import { loadbalancePlugin } from '../../../plugins/loadbalance/index.js';
import { answer, ask, makeCache, started } from '../cache/harness.js';

/** The producer noted for one question asked of `chain`, and the reply. */
async function produced(chain: Next, name: string): Promise<{ by: string; reply: Reply }> {
  const q = ask(name);
  const reply = await chain(q);
  return { by: producerOf(q), reply };
}

const passThrough = (name: string): Plugin => ({ name, serve: (q, next) => next(q) });
const answering = (name: string, make: () => Reply | Promise<Reply> = () => answer('a.example.org. 60 IN A 192.0.2.1')): Plugin => ({
  name,
  serve: () => make(),
});
/** Passes names under `zone` on, answers the others itself. */
const answeringOutside = (name: string, zone: string): Plugin => ({
  name,
  serve: (q, next) => (q.lname.endsWith(zone) ? next(q) : answer(`${q.name}. 60 IN A 192.0.2.9`)),
});

test('the plugin that answers is the producer, whatever passes its reply on above it', async () => {
  const chain = buildChain([passThrough('prometheus'), passThrough('errors'), answering('kubernetes'), answering('forward')]);
  assert.equal((await produced(chain, 'a.example.org')).by, 'kubernetes');
});

test('an answer given asynchronously is claimed when it arrives', async () => {
  const chain = buildChain([passThrough('prometheus'), answering('forward', async () => answer('a.example.org. 60 IN A 192.0.2.1'))]);
  assert.equal((await produced(chain, 'a.example.org')).by, 'forward');
});

test('REFUSED from the end of the chain has no producer', async () => {
  const chain = buildChain([passThrough('prometheus'), answeringOutside('kubernetes', 'example.org')]);
  const { by, reply: r } = await produced(chain, 'a.example.org');
  assert.equal(r.rcode, RCODE.REFUSED);
  assert.equal(by, '');
  assert.equal((await produced(chain, 'a.other.net')).by, 'kubernetes');
});

test('loadbalance shuffling an answer into a new reply leaves it to the plugin that answered', async () => {
  const addresses = answer('a.example.org. 60 IN A 192.0.2.1', 'a.example.org. 60 IN A 192.0.2.2', 'a.example.org. 60 IN A 192.0.2.3');
  const chain = buildChain([passThrough('prometheus'), loadbalancePlugin(() => 0.99), answering('kubernetes', () => addresses)]);
  const { by, reply: r } = await produced(chain, 'a.example.org');
  assert.notEqual(r, addresses, 'loadbalance made a new reply');
  assert.equal(by, 'kubernetes');
});

test('cache: a miss is the producer\'s answer, a hit is the cache\'s', async () => {
  const c = makeCache();
  await started(c);
  try {
    const chain = buildChain([passThrough('prometheus'), c.plugin, answering('forward', async () => answer('a.example.org. 60 IN A 192.0.2.1'))]);
    assert.equal((await produced(chain, 'a.example.org')).by, 'forward', 'miss');
    assert.equal((await produced(chain, 'a.example.org')).by, 'cache', 'hit');
  } finally {
    await c.plugin.stop!();
  }
});

test('a plugin that asks the chain another question produces what it builds from the answer', async () => {
  const chasing: Plugin = {
    name: 'kubernetes',
    async serve(q, next) {
      const target: Query = { ...q, name: 'target.example.net', lname: 'target.example.net' };
      const found = await next(target);
      return reply(found.rcode, [{ name: q.name, type: 'CNAME', ttl: 5, data: 'target.example.net' }, ...found.answers]);
    },
  };
  const chain = buildChain([passThrough('prometheus'), chasing, answering('forward')]);
  assert.equal((await produced(chain, 'ext.default.svc.cluster.local')).by, 'kubernetes');
});
