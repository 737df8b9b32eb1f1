// Turns a parsed Corefile into running servers: set up every directive in registry order per
// server block, listen, then start the plugins. A bad Corefile fails in setup, before any socket
// opens; listening before the plugins have started means names outside the cluster zones are
// forwarded from the first moment while the cluster zones answer SERVFAIL until synced.
import { buildChain } from './chain.js';
import type { Corefile, ServerBlock } from './config/corefile.js';
import { ConfigError } from './errors.js';
import type { Logger } from './log.js';
import type { Plugin, SetupContext } from './plugin.js';
import type { HttpRoute, ReloadSettings, Runtime } from './runtime.js';
import { directiveOrder, lookupDirective } from './registry.js';
import { Handler } from './server/handle.js';
import { listen, type Listening } from './server/listen.js';
import { Router, type Site } from './server/router.js';
import type { ServerStats } from './server/stats.js';

export interface AppOptions {
  log: Logger;
  /** Port for server blocks whose keys name none (CoreDNS's -dns.port, default 53). */
  defaultPort?: number;
  runtime: Runtime;
}

export interface App {
  readonly listeners: readonly Listening[];
  readonly stats: ServerStats;
  /**
   * Settles once every plugin's start() has: rejects with the first start-up failure (e.g. an
   * unusable kubeconfig), after which the caller should stop the app.
   */
  readonly started: Promise<void>;
  /** True when every plugin that reports readiness is ready. */
  ready(): boolean;
  /** Every plugin of every server block. */
  readonly plugins: readonly Plugin[];
  /** The HTTP endpoints the configuration asks for (`health`, `ready`, `prometheus`). */
  readonly routes: readonly HttpRoute[];
  /** How long to keep answering after SIGTERM (`health { lameduck }`); 0 without. */
  readonly lameduckMs: number;
  /** How `reload` wants the Corefile checked; undefined without `reload`. */
  readonly reload: ReloadSettings | undefined;
  stop(): Promise<void>;
}

/** What the server blocks' setups declare for the whole configuration. */
interface Declared {
  routes: HttpRoute[];
  lameduckMs: number;
  reload: ReloadSettings | undefined;
  plugins: Plugin[];
}

interface BoundSite extends Site {
  readonly plugins: readonly Plugin[];
  readonly listen: readonly string[];
  readonly origin: string;
}

/** Resolves once every listener is open; plugins start behind it (see `App.started`). */
export async function startApp(corefile: Corefile, options: AppOptions): Promise<App> {
  const declared: Declared = { routes: [], lameduckMs: 0, reload: undefined, plugins: [] };
  const sites = corefile.blocks.flatMap((block) => setupBlock(block, options, declared));
  const plugins = sites.flatMap((s) => s.plugins);
  declared.plugins.push(...plugins);
  const { stats } = options.runtime;
  const listeners: Listening[] = [];
  const stop = async () => {
    await Promise.all(listeners.map((l) => l.close()));
    await Promise.all(plugins.map((p) => p.stop?.()));
  };
  try {
    for (const group of groupByListener(sites)) {
      const handler = new Handler(new Router(group.sites), stats, options.log);
      listeners.push(await listen(group.addresses, group.port, handler, options.log));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const started = Promise.all(plugins.map((p) => p.start?.())).then(() => undefined);
  // The caller awaits `started`; this keeps an early rejection from counting as unhandled meanwhile.
  started.catch(() => undefined);
  return {
    listeners,
    stats,
    started,
    ready: () => plugins.every((p) => p.ready?.() ?? true),
    plugins,
    routes: declared.routes,
    lameduckMs: declared.lameduckMs,
    reload: declared.reload,
    stop,
  };
}

/** One site per distinct port among the block's keys, each with its own plugin instances. */
function setupBlock(block: ServerBlock, options: AppOptions, declared: Declared): BoundSite[] {
  for (const d of block.directives) {
    if (!lookupDirective(d.name)) throw d.error(`unknown directive '${d.name}'`);
  }
  const ports = new Map<number, string[]>();
  for (const key of block.keys) {
    const port = key.port ?? options.defaultPort ?? 53;
    ports.set(port, [...(ports.get(port) ?? []), key.zone]);
  }
  const ordered = [...block.directives].sort((a, b) => directiveOrder(a.name) - directiveOrder(b.name));
  return [...ports].map(([port, zones]) => {
    const plugins: Plugin[] = [];
    const ctx: SetupContext = {
      zones,
      port,
      log: options.log,
      listen: [],
      generationAfter: (plugin) => {
        let sum = 0;
        for (let i = plugins.indexOf(plugin) + 1; i < plugins.length; i++) sum += plugins[i]!.generation?.() ?? 0;
        return sum;
      },
      directives: ordered.map((d) => d.name),
      runtime: options.runtime,
      route: (route) => declared.routes.push(route),
      lameduck: (ms) => (declared.lameduckMs = Math.max(declared.lameduckMs, ms)),
      reload: (settings) => (declared.reload ??= settings),
      plugins: () => declared.plugins,
    };
    for (const d of ordered) {
      const plugin = lookupDirective(d.name)!.setup(d, ctx);
      if (plugin) plugins.push(plugin);
    }
    return {
      zones,
      port,
      chain: buildChain(plugins),
      observers: plugins.filter((p) => p.observe),
      plugins,
      listen: ctx.listen,
      origin: `${block.file}:${block.line}`,
    };
  });
}

interface ListenerGroup {
  port: number;
  addresses: string[];
  sites: BoundSite[];
}

/**
 * Server blocks on one port share a listener when they listen on the same addresses; blocks with
 * disjoint `bind` addresses get listeners of their own. Mixing a wildcard and specific addresses
 * on one port would need SO_REUSEPORT semantics we do not have, so it is refused.
 */
function groupByListener(sites: readonly BoundSite[]): ListenerGroup[] {
  const groups = new Map<string, ListenerGroup>();
  for (const site of sites) {
    const addresses = site.listen.length > 0 ? site.listen : [''];
    for (const address of addresses) {
      const key = `${site.port}|${address}`;
      const group = groups.get(key) ?? { port: site.port, addresses: address ? [address] : [], sites: [] };
      group.sites.push(site);
      groups.set(key, group);
    }
  }
  for (const g of groups.values()) {
    const seen = new Map<string, BoundSite>();
    for (const site of g.sites) {
      for (const zone of site.zones) {
        const first = seen.get(zone);
        if (first && first !== site) {
          throw new ConfigError(`zone '${zone || '.'}' on port ${g.port} is served by two server blocks (${first.origin} and ${site.origin})`);
        }
        seen.set(zone, site);
      }
    }
    if (g.addresses.length === 0 && g.port !== 0 && [...groups.values()].some((o) => o.port === g.port && o.addresses.length > 0)) {
      throw new ConfigError(`port ${g.port} is used both with and without 'bind' (${g.sites[0]!.origin})`);
    }
  }
  return mergeSameSites([...groups.values()]);
}

/** Addresses on one port that serve the same server blocks share one listener (and, on port 0, one port). */
function mergeSameSites(groups: ListenerGroup[]): ListenerGroup[] {
  const merged = new Map<string, ListenerGroup>();
  for (const g of groups) {
    const key = `${g.port}|${g.sites.map((s) => s.origin + s.port).join(',')}`;
    const into = merged.get(key);
    if (into) into.addresses.push(...g.addresses);
    else merged.set(key, { ...g, addresses: [...g.addresses] });
  }
  return [...merged.values()];
}
