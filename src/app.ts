// Turns a parsed Corefile into running servers: set up every directive in registry order per
// server block, listen, then start the plugins. A bad Corefile fails in setup, before any socket
// opens; listening before the plugins have started means names outside the cluster zones are
// forwarded from the first moment while the cluster zones answer SERVFAIL until synced.
// A reload starts the new configuration beside the running one, borrowing the listeners whose port
// and addresses it shares; it takes them over (`takeOver`) only once its own plugins have started,
// so at every moment one complete configuration answers.
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
  /**
   * Makes this configuration the one answering in place of `previous`, the App it was started
   * beside: waits for `started`, switches the listeners both share to this configuration, closes
   * those only `previous` has, gives `previous` time to answer the queries it still holds, and
   * stops its plugins. Rejects, having changed nothing, when this configuration failed to start.
   */
  takeOver(previous: App): Promise<void>;
  /** Closes the listeners this configuration holds and stops its plugins; does nothing after it was taken over. */
  stop(): Promise<void>;
}

/** How long queries in flight on a replaced configuration may take before its plugins stop (forward's deadline). */
const DRAIN_MS = 5000;

/** What a configuration started beside this one needs to see of it. */
interface Internals {
  /** Every listener, by the port and addresses it was opened for (see `bindingKey`). */
  readonly bindings: ReadonlyMap<string, Listening>;
  /** The handler this configuration answers with on each listener it holds. */
  readonly handlers: ReadonlyMap<Listening, Handler>;
  /** Closes the listeners not in `kept`, lets answers in flight finish, stops the plugins. */
  retire(kept: ReadonlySet<Listening>): Promise<void>;
}

// Private to this module: a caller sees only the App interface.
const internals = new WeakMap<App, Internals>();

function internalsOf(app: App): Internals {
  const found = internals.get(app);
  if (!found) throw new Error('not an App made by startApp');
  return found;
}

/** What answers `listener`'s messages in `app`: lets the hot-path benchmark drive it without sockets. */
export function handlerOf(app: App, listener: Listening): Handler {
  const handler = internalsOf(app).handlers.get(listener);
  if (!handler) throw new Error('not a listener of this App');
  return handler;
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

/**
 * Resolves once every listener is open; plugins start behind it (see `App.started`). With
 * `previous`, the listeners it has for the same port and addresses are borrowed, still answering
 * with `previous` until `takeOver`; only the others are opened.
 */
export async function startApp(corefile: Corefile, options: AppOptions, previous?: App): Promise<App> {
  const borrowable = previous && internalsOf(previous).bindings;
  const declared: Declared = { routes: [], lameduckMs: 0, reload: undefined, plugins: [] };
  const sites = corefile.blocks.flatMap((block) => setupBlock(block, options, declared));
  const plugins = sites.flatMap((s) => s.plugins);
  declared.plugins.push(...plugins);
  const { stats } = options.runtime;
  const bindings = new Map<string, Listening>();
  const handlers = new Map<Listening, Handler>();
  // The listeners this configuration closes: those it opened, and those it has taken over.
  const owned = new Set<Listening>();
  let ended: Promise<void> | undefined;
  const end = (kept: ReadonlySet<Listening>, drain: boolean) =>
    (ended ??= (async () => {
      await Promise.all([...owned].filter((l) => !kept.has(l)).map((l) => l.close()));
      if (drain) await idle([...handlers.values()]);
      await Promise.all(plugins.map((p) => p.stop?.()));
    })());
  const stop = () => end(new Set(), false);
  try {
    for (const group of groupByListener(sites)) {
      const key = bindingKey(group);
      const handler = new Handler(new Router(group.sites), stats, options.log);
      let listener = borrowable?.get(key);
      if (!listener) {
        listener = await listen(group.addresses, group.port, handler, options.log);
        owned.add(listener);
      }
      bindings.set(key, listener);
      handlers.set(listener, handler);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const started = Promise.all(plugins.map((p) => p.start?.())).then(() => undefined);
  // The caller awaits `started`; this keeps an early rejection from counting as unhandled meanwhile.
  started.catch(() => undefined);
  const app: App = {
    listeners: [...handlers.keys()],
    stats,
    started,
    ready: () => plugins.every((p) => p.ready?.() ?? true),
    plugins,
    routes: declared.routes,
    lameduckMs: declared.lameduckMs,
    reload: declared.reload,
    async takeOver(replaced) {
      const prior = internalsOf(replaced);
      await started;
      for (const [listener, handler] of handlers) {
        if (owned.has(listener)) continue;
        listener.use(handler);
        owned.add(listener);
      }
      await prior.retire(owned);
    },
    stop,
  };
  internals.set(app, { bindings, handlers, retire: (kept) => end(kept, true) });
  return app;
}

/** A listener's identity across configurations: the port as configured (0 included) and its addresses. */
function bindingKey(group: ListenerGroup): string {
  return `${group.port}|${[...group.addresses].sort().join(',')}`;
}

/** Waits for the handlers' answers in flight, DRAIN_MS at most: a hung upstream must not stall a reload. */
async function idle(handlers: readonly Handler[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
  await Promise.race([Promise.all(handlers.map((h) => h.idle())), limit]);
  clearTimeout(timer);
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
      reload: (settings) => (declared.reload = settings),
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
