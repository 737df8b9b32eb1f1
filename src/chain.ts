// A server block's plugins in registry order, folded into one `Next`. The end of the chain
// answers REFUSED: a name no plugin serves is not ours to answer (until `forward` takes it).
// The chain also notes which plugin produced each reply (coredns_dns_responses_total's `plugin`
// label). Design decision: a plugin produces the reply it returns unless it got a reply back from
// the rest of the chain for the same query, in which case it only reshaped that one (cache storing
// a miss, loadbalance shuffling) and the producer stays the inner plugin. A plugin that asks the
// chain another question (kubernetes chasing an ExternalName) produces what it builds from it.
import { refused } from './dns/reply.js';
import type { Reply } from './dns/types.js';
import type { Next, Plugin, Query } from './plugin.js';

const producers = new WeakMap<Reply, string>();

/** The plugin that produced `reply`, '' when none did (the end of the chain, a reply made by the server). */
export function producerOf(reply: Reply): string {
  return producers.get(reply) ?? '';
}

export function buildChain(plugins: readonly Plugin[]): Next {
  let next: Next = () => refused();
  for (let i = plugins.length - 1; i >= 0; i--) {
    next = traced(plugins[i]!, next);
  }
  return next;
}

function traced(plugin: Plugin, after: Next): Next {
  return (query: Query) => {
    let inner: Reply | undefined;
    const keep = (reply: Reply) => (inner = reply);
    const reply = plugin.serve(query, (asked) => {
      const r = after(asked);
      if (asked !== query) return r;
      if (r instanceof Promise) return r.then(keep);
      return keep(r);
    });
    const claim = (r: Reply) => {
      if (producers.has(r)) return r;
      const by = inner === undefined ? plugin.name : producers.get(inner);
      if (by !== undefined) producers.set(r, by);
      return r;
    };
    return reply instanceof Promise ? reply.then(claim) : claim(reply);
  };
}
