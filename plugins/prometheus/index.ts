// prometheus: counts its server block's queries and replies under CoreDNS's metric names and
// serves the whole process's registry on GET /metrics. It answers nothing: `serve` passes the
// query on and `observe` records each encoded reply. Design decision: the metrics are registered
// once per process (found by name on every later setup) and every `/metrics` route answers from
// that one registry, so server blocks naming the same address declare equivalent routes, of which
// the HTTP side serves the first.
import { producerOf } from '../../src/chain.js';
import { addressArgument } from '../../src/http/address.js';
import { longestZone } from '../../src/dns/names.js';
import { DnsMetrics } from '../../src/metrics/dns.js';
import { registerExporters } from '../../src/metrics/exporters.js';
import { familyLabel, serverLabel, zoneLabel } from '../../src/metrics/labels.js';
import { enabledBlocks, type EnabledBlock } from '../../src/metrics/plugin-enabled.js';
import { registerProcessMetrics } from '../../src/metrics/process.js';
import type { Setup, SetupContext } from '../../src/plugin.js';

/** `prometheus` without an address: every address, CoreDNS's port. */
const DEFAULT_ADDRESS = 'localhost:9153';

/** CoreDNS's options we do not have: refused by name rather than as unknown. */
const UNSUPPORTED = new Set(['tls', 'runtime_metrics']);

// Server blocks (their setup contexts) that already have a `prometheus`.
const withPrometheus = new WeakSet<SetupContext>();

export const setup: Setup = (directive, ctx) => {
  const address = addressArgument(directive, DEFAULT_ADDRESS);
  const option = directive.block?.[0];
  if (option) throw option.error(`prometheus: ${UNSUPPORTED.has(option.name) ? `'${option.name}' is not supported` : `unknown option '${option.name}'`}`);
  if (withPrometheus.has(ctx)) throw directive.error('prometheus: this plugin can only be used once per server block');
  withPrometheus.add(ctx);

  const registry = ctx.runtime.metrics;
  registerProcessMetrics(ctx.runtime);
  registerExporters(registry);
  const dns = new DnsMetrics(registry);
  const enabled = enabledBlocks(registry);
  ctx.route({
    address,
    path: '/metrics',
    origin: `${directive.file}:${directive.line} prometheus`,
    handle: async () => ({ status: 200, body: await registry.metrics(), contentType: registry.contentType }),
  });

  // `bind` comes before `prometheus` in execution order, so the listen addresses are known here.
  const hosts = ctx.listen.length > 0 ? ctx.listen : [''];
  const servers = hosts.map((host) => serverLabel(host, ctx.port));
  const serverOf = serverByFamily(hosts, servers);
  const block: EnabledBlock = {
    servers,
    zones: ctx.zones.map(zoneLabel),
    names: ctx.directives,
  };
  return {
    name: 'prometheus',
    serve: (query, next) => next(query),
    observe(query, reply, wire, seconds) {
      dns.record({
        server: serverOf(query.client.address),
        zone: zoneLabel(longestZone(ctx.zones, query.lname) ?? ''),
        query,
        rcode: reply.rcode,
        plugin: producerOf(query),
        size: wire.length,
        seconds,
      });
    },
    async start() {
      enabled.add(block);
    },
    async stop() {
      enabled.delete(block);
    },
  };
};

/**
 * The `server` label of a query by its client's address. Which local address a query reached is
 * not known here, so with several `bind` addresses the first of the client's family stands for them.
 */
function serverByFamily(hosts: readonly string[], servers: readonly string[]): (client: string) => string {
  const first = (ipv6: boolean) => servers[hosts.findIndex((h) => h.includes(':') === ipv6)] ?? servers[0]!;
  const [four, six] = [first(false), first(true)];
  return (client) => (familyLabel(client) === '2' ? six : four);
}
