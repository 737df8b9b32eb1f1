// A server block's plugins in registry order, folded into one `Next`. The end of the chain
// answers REFUSED: a name no plugin serves is not ours to answer (until `forward` takes it).
import { refused } from './dns/reply.js';
import type { Next, Plugin, Query } from './plugin.js';

export function buildChain(plugins: readonly Plugin[]): Next {
  let next: Next = () => refused();
  for (let i = plugins.length - 1; i >= 0; i--) {
    const plugin = plugins[i]!;
    const after = next;
    next = (query: Query) => plugin.serve(query, after);
  }
  return next;
}
