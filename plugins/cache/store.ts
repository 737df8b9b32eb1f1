// The cache's entries: one LRU per type (success, denial), each bounded by its capacity, so a
// flood of unique names evicts old entries instead of growing memory. Design decision: a key
// lives in at most one of the two, so an answer replaces the denial it follows and the other way
// round; lookups never have to choose between two entries.
import { LRUCache } from 'lru-cache';
import type { Query } from '../../src/plugin.js';
import type { Entry } from './entry.js';
import type { CacheMetrics } from './metrics.js';
import type { CacheOptions, CacheType } from './options.js';

/** The key of a question: lower-cased name, type, class, DO and CD bits. */
export function cacheKey(query: Query): string {
  const r = query.request;
  return `${r.edns?.do ? 1 : 0}${r.cd ? 1 : 0}${r.qtype}.${r.qclass}|${query.lname}`;
}

export class EntryStore {
  private readonly success: LRUCache<string, Entry>;
  private readonly denial: LRUCache<string, Entry>;

  constructor(
    options: CacheOptions,
    private readonly metrics: CacheMetrics,
  ) {
    this.success = lru('success', options.success.capacity);
    this.denial = lru('denial', options.denial.capacity);
  }

  get(key: string): Entry | undefined {
    return this.success.get(key) ?? this.denial.get(key);
  }

  set(key: string, entry: Entry): void {
    const [into, other] = entry.type === 'success' ? [this.success, this.denial] : [this.denial, this.success];
    into.set(key, entry);
    other.delete(key);
    this.count();
  }

  delete(key: string): void {
    this.success.delete(key);
    this.denial.delete(key);
    this.count();
  }

  private count(): void {
    this.metrics.entries.success = this.success.size;
    this.metrics.entries.denial = this.denial.size;
  }
}

function lru(type: CacheType, max: number): LRUCache<string, Entry> {
  return new LRUCache<string, Entry>({
    max,
    dispose: (entry, _key, reason) => {
      if (reason === 'evict') entry.counters.evictions[type]++;
    },
  });
}
