// forward: sends queries for names under FROM to upstream resolvers and relays their answers
// (CoreDNS syntax and behaviour; see README.md). Several `forward` lines, in one server block or
// in several, make stub domains. Each instance publishes itself through src/upstream/forwarders.ts,
// which is how the loop plugin finds the upstreams it must probe.
import type { Setup } from '../../src/plugin.js';
import { publishForwarder } from '../../src/upstream/forwarders.js';
import { DEFAULT_HEALTH } from '../../src/upstream/health.js';
import { UpstreamPool } from '../../src/upstream/pool.js';
import { Upstream } from '../../src/upstream/upstream.js';
import { Forward } from './forward.js';
import { parseOptions } from './options.js';

export const setup: Setup = (directive, ctx) => {
  const options = parseOptions(directive, ctx);
  const upstreams = options.upstreams.map((to) => new Upstream(to, options.expireMs));
  const health = { ...options.health, transport: options.forceTcp ? ('tcp' as const) : ('udp' as const), timeoutMs: DEFAULT_HEALTH.timeoutMs };
  const pool = new UpstreamPool(upstreams, options.policy, health);
  const plugin = new Forward(options, pool, ctx);
  publishForwarder(ctx, plugin);
  return plugin;
};
