// A server block's plugins in registry order, folded into one `Next`. The end of the chain
// answers REFUSED: a name no plugin serves is not ours to answer (until `forward` takes it).
// The chain also notes which plugin produced each reply (coredns_dns_responses_total's `plugin`
// label). Design decision: a plugin produces the reply it returns unless the rest of the chain
// answered the same query before it returned (it only reshaped that reply: cache storing a miss,
// loadbalance shuffling), in which case the producer stays the inner plugin. A plugin that asks
// the chain another question (kubernetes chasing an ExternalName) passes another Query, so what it
// builds from the answer is its own. The note lives on the Query, set once by the innermost
// plugin to return: no closure, no table and no allocation per plugin per query.
import { refused } from './dns/reply.js';
import type { Reply } from './dns/types.js';
import type { Next, Plugin, Query } from './plugin.js';

/** The plugin that produced the reply to `query`, '' when none did (the end of the chain, a reply made by the server). */
export function producerOf(query: Query): string {
  return query.producer ?? '';
}

const end: Next = (query) => {
  query.producer = '';
  return refused();
};

export function buildChain(plugins: readonly Plugin[]): Next {
  let next: Next = end;
  for (let i = plugins.length - 1; i >= 0; i--) {
    next = traced(plugins[i]!, next);
  }
  return next;
}

function traced(plugin: Plugin, after: Next): Next {
  const name = plugin.name;
  const claim = (query: Query, reply: Reply): Reply => {
    query.producer ??= name;
    return reply;
  };
  return (query: Query) => {
    const reply = plugin.serve(query, after);
    return reply instanceof Promise ? reply.then((r) => claim(query, r)) : claim(query, reply);
  };
}
