// How a server block's plugins reach its forwarders without importing one another: each forward
// plugin publishes a Forwarder under the block's SetupContext, the one object app.ts hands to every
// directive of a server block (and port), and the loop plugin reads them in start(), once every
// setup has run. Published in setup order, which is the order queries pass the forwarders.
import type { SetupContext, Transport } from '../plugin.js';
import type { Upstream } from './upstream.js';

export interface Forwarder {
  /** FROM: the zones forwarded, lower-case, no trailing dot ('' is the root). */
  readonly zones: readonly string[];
  readonly upstreams: readonly Upstream[];
  /** What queries to the upstreams go over first, for probes that must test the same path. */
  readonly transport: Transport;
  /** Whether a query for `lname` (lower-case) would be forwarded: under FROM and not `except`ed. */
  handles(lname: string): boolean;
  /** Stop forwarding to `upstream`; what would have gone there is answered SERVFAIL. */
  exclude(upstream: Upstream): void;
}

const published = new WeakMap<SetupContext, Forwarder[]>();

export function publishForwarder(ctx: SetupContext, forwarder: Forwarder): void {
  const list = published.get(ctx);
  if (list) list.push(forwarder);
  else published.set(ctx, [forwarder]);
}

/** The forwarders of the server block `ctx` belongs to, in the order queries pass them. */
export function forwardersOf(ctx: SetupContext): readonly Forwarder[] {
  return published.get(ctx) ?? [];
}
