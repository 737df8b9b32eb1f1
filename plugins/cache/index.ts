// cache: answers repeated questions from memory, for every plugin behind it (kubernetes, forward),
// as CoreDNS's cache does: TTLs capped and counted down, denials kept per RFC 2308, popular
// entries prefetched, expired ones optionally served stale. Design decision: every entry records
// the data generation of the plugins behind the cache when its answer was asked for, and an entry
// of another generation is a miss, so a Kubernetes update is never hidden behind a cached answer.
import { isSubdomain, longestZone } from '../../src/dns/names.js';
import { QTYPE, RCODE, type Reply } from '../../src/dns/types.js';
import type { Next, Plugin, Query, Setup, SetupContext } from '../../src/plugin.js';
import { makeEntry, remaining, replyWithTtl, type Entry } from './entry.js';
import { newCacheMetrics, publish, unpublish, zoneLabel, type ZoneCounters } from './metrics.js';
import { parseOptions, type CacheOptions } from './options.js';
import { EntryStore, cacheKey } from './store.js';

export { cacheMetrics, type CacheMetrics, type ZoneCounters } from './metrics.js';

export const setup: Setup = (directive, ctx) => cachePlugin(parseOptions(directive, ctx), ctx);

/** The plugin over parsed options; `clock` (ms) is what tests turn instead of waiting. */
export function cachePlugin(options: CacheOptions, ctx: SetupContext, clock: () => number = Date.now): Plugin {
  const metrics = newCacheMetrics(ctx.port, options.zones);
  const store = new EntryStore(options, metrics);
  const countersOf = new Map(options.zones.map((zone) => [zone, metrics.zones[zoneLabel(zone)]!]));
  // Keys being refreshed in the background, so a popular name costs one refresh at a time.
  const refreshing = new Set<string>();

  const plugin: Plugin = {
    name: 'cache',
    serve(query, next) {
      const zone = longestZone(options.zones, query.lname);
      // Zone transfers are streams, not answers; CoreDNS does not cache them either.
      if (zone === undefined || query.qtype === QTYPE.AXFR || query.qtype === QTYPE.IXFR) return next(query);
      const counters = countersOf.get(zone)!;
      counters.requests++;
      const key = cacheKey(query);
      const now = clock();
      const generation = ctx.generationAfter(plugin);
      const entry = store.get(key);
      if (entry !== undefined && entry.generation === generation) {
        const left = remaining(entry, now);
        if (left > 0) return hit(entry, query, next, key, now, left);
        if (stale(entry, now)) return options.serveStale!.mode === 'immediate' ? immediate(entry, query, next, key) : verify(entry, query, next, key, generation);
      }
      counters.misses++;
      const reply = next(query);
      const keep = (r: Reply) => admitted(query, key, r, generation, counters);
      return reply instanceof Promise ? reply.then(keep) : keep(reply);
    },
    async start() {
      publish(metrics);
    },
    async stop() {
      unpublish(metrics);
    },
  };

  function hit(entry: Entry, query: Query, next: Next, key: string, now: number, left: number): Reply {
    entry.counters.hits[entry.type]++;
    const p = options.prefetch;
    if (p !== undefined) {
      entry.hits = now - entry.lastHit > p.windowMs ? 1 : entry.hits + 1;
      entry.lastHit = now;
      if (entry.hits >= p.amount && left <= Math.ceil((p.percentage / 100) * entry.ttl) && refresh(query, next, key, entry)) {
        entry.counters.prefetch++;
      }
    }
    return replyWithTtl(entry, options.keepTtl ? entry.ttl : left, query.name);
  }

  function stale(entry: Entry, now: number): boolean {
    const s = options.serveStale;
    return s !== undefined && !entry.servfail && now - (entry.stored + entry.ttl * 1000) < s.windowMs;
  }

  // `immediate`: the stale entry answers at once, with TTL 0 so clients do not keep it, and is refreshed.
  function immediate(entry: Entry, query: Query, next: Next, key: string): Reply {
    entry.counters.hits[entry.type]++;
    entry.counters.servedStale++;
    refresh(query, next, key, entry);
    return replyWithTtl(entry, 0, query.name);
  }

  // `verify`: ask first; the stale entry answers only when the fresh answer is a failure.
  function verify(entry: Entry, query: Query, next: Next, key: string, generation: number): Reply | Promise<Reply> {
    const fallback = () => {
      entry.counters.hits[entry.type]++;
      entry.counters.servedStale++;
      return replyWithTtl(entry, 0, query.name);
    };
    const settle = (reply: Reply) => {
      if (reply.rcode !== RCODE.NOERROR && reply.rcode !== RCODE.NXDOMAIN) return fallback();
      entry.counters.misses++;
      return admitted(query, key, reply, generation, entry.counters);
    };
    let reply: Reply | Promise<Reply>;
    try {
      reply = next(query);
    } catch {
      return fallback();
    }
    return reply instanceof Promise ? reply.then(settle, fallback) : settle(reply);
  }

  /**
   * Asks `next` again in the background and keeps a good answer in place of `old`, with its
   * popularity. A failure leaves `old` as it is: a stale answer beats none.
   */
  function refresh(query: Query, next: Next, key: string, old: Entry): boolean {
    if (refreshing.has(key)) return false;
    refreshing.add(key);
    const generation = ctx.generationAfter(plugin);
    const done = (reply?: Reply) => {
      refreshing.delete(key);
      if (reply === undefined || reply.rcode === RCODE.SERVFAIL) return;
      const entry = admit(query, key, reply, generation, old.counters);
      if (entry) {
        entry.hits = old.hits;
        entry.lastHit = old.lastHit;
      }
    };
    try {
      const reply = next(query);
      if (reply instanceof Promise) reply.then(done, () => done());
      else done(reply);
    } catch {
      done();
    }
    return true;
  }

  /** Stores `reply` when it is to be kept; the entry, or undefined. */
  function admit(query: Query, key: string, reply: Reply, generation: number, counters: ZoneCounters): Entry | undefined {
    const entry = makeEntry(reply, options, { now: clock(), generation, counters, asked: query.name });
    if (entry === undefined || options.disabled[entry.type].some((zone) => isSubdomain(query.lname, zone))) return undefined;
    store.set(key, entry);
    return entry;
  }

  /** The reply to send for a fresh answer: as kept (TTLs capped) when kept, else as it came. */
  function admitted(query: Query, key: string, reply: Reply, generation: number, counters: ZoneCounters): Reply {
    const entry = admit(query, key, reply, generation, counters);
    return entry ? replyWithTtl(entry, entry.ttl) : reply;
  }

  return plugin;
}
