// What the cache keeps of one reply, and the reply an entry gives back. Which replies are kept
// and for how long follows CoreDNS: answers and denials (RFC 2308: a denial lives no longer than
// its SOA's MINIMUM) for their smallest record TTL clamped into [MINTTL, TTL], SERVFAIL briefly,
// truncated replies and other rcodes never. Design decision: a hit gives every record the same
// TTL, the entry's remaining lifetime, so record arrays are copied with one number and relayed
// messages get it written at offsets found once, when the entry is made. Record arrays also get
// the asker's letter case back in the names that were spelled from the question.
import { classify } from '../../src/dns/classify.js';
import { withTtl, ttlLayout } from '../../src/dns/ttl.js';
import { RCODE, type Reply, type RR } from '../../src/dns/types.js';
import type { ZoneCounters } from './metrics.js';
import type { CacheOptions, CacheType } from './options.js';

/** CoreDNS's TTL for a reply without records (its dnsutil.MinimalDefaultTTL), before clamping. */
const NO_RECORDS_TTL = 5;

export interface Entry {
  readonly type: CacheType;
  /** A kept SERVFAIL: never served stale, never kept in place of an answer by a refresh. */
  readonly servfail: boolean;
  /** Clock reading (ms) when it was stored, and the seconds it lives from then. */
  readonly stored: number;
  readonly ttl: number;
  /** `generationAfter` of the cache when the reply was asked for. */
  readonly generation: number;
  /** The question name as the asker that filled the entry spelled it. */
  readonly asked: string;
  readonly reply: Reply;
  /** Where the relayed message's TTLs are; empty for record arrays. */
  readonly ttlOffsets: Uint32Array;
  readonly counters: ZoneCounters;
  /** Hits in a row without a gap longer than the prefetch window, and the time of the last one. */
  hits: number;
  lastHit: number;
}

const DOT = 0x2e;
const NO_OFFSETS: Uint32Array = new Uint32Array(0);

/** The entry to keep for `reply`, or undefined when it is not to be kept. */
export function makeEntry(
  reply: Reply,
  options: CacheOptions,
  at: { now: number; generation: number; counters: ZoneCounters; asked: string },
): Entry | undefined {
  if (reply.truncated) return undefined;
  const kind = classify(reply);
  if (kind === 'error' && (reply.rcode !== RCODE.SERVFAIL || options.servfailTtl === 0)) return undefined;
  let ttlOffsets: Uint32Array = NO_OFFSETS;
  let minimum: number | undefined;
  let negative: number | undefined;
  if (reply.relayed) {
    let layout;
    try {
      layout = ttlLayout(reply.relayed.message);
    } catch {
      return undefined;
    }
    ({ offsets: ttlOffsets, minimum, negative } = layout);
  } else {
    minimum = smallestTtl(reply);
    const soa = reply.authority.find((rr) => rr.type === 'SOA');
    if (soa?.type === 'SOA') negative = Math.min(soa.ttl, soa.data.minimum);
  }
  let ttl = options.servfailTtl;
  if (kind !== 'error') {
    const limits = options[kind];
    const base = Math.min(minimum ?? NO_RECORDS_TTL, kind === 'denial' ? (negative ?? Infinity) : Infinity);
    ttl = Math.min(Math.max(base, limits.minTtl), limits.maxTtl);
  }
  if (ttl <= 0) return undefined;
  return {
    type: kind === 'success' ? 'success' : 'denial',
    servfail: kind === 'error',
    stored: at.now,
    ttl,
    generation: at.generation,
    asked: at.asked,
    reply,
    ttlOffsets,
    counters: at.counters,
    hits: 0,
    lastHit: at.now,
  };
}

/** Seconds the entry has left at `now` (ms); 0 or less once expired. */
export function remaining(entry: Entry, now: number): number {
  return entry.ttl - Math.floor((now - entry.stored) / 1000);
}

/**
 * The entry's reply for a question spelled `asked`, every record's TTL set to `ttl`; the stored
 * reply is never changed. Relayed messages keep their names: the encoder writes the question as asked.
 */
export function replyWithTtl(entry: Entry, ttl: number, asked = entry.asked): Reply {
  const r = entry.reply;
  if (r.relayed) return { ...r, relayed: { message: withTtl(r.relayed.message, entry.ttlOffsets, ttl), answerCount: r.relayed.answerCount } };
  const copy = (records: readonly RR[]) => recordsFor(records, ttl, entry.asked, asked);
  return { ...r, answers: copy(r.answers), authority: copy(r.authority), additional: copy(r.additional) };
}

function recordsFor(records: readonly RR[], ttl: number, from: string, to: string): RR[] {
  return records.map((rr) => {
    const name = from === to ? rr.name : respelled(rr.name, from, to);
    return rr.ttl === ttl && name === rr.name ? rr : { ...rr, name, ttl };
  });
}

// A name that is the question `from` or a suffix of it as spelled there (an answer's owner, a
// denial's zone), spelled as `to` spells it; `from` and `to` differ in letter case only.
function respelled(name: string, from: string, to: string): string {
  const cut = from.length - name.length;
  if (cut < 0 || !from.endsWith(name) || (cut > 0 && from.charCodeAt(cut - 1) !== DOT)) return name;
  return to.slice(cut);
}

function smallestTtl(reply: Reply): number | undefined {
  let minimum: number | undefined;
  for (const section of [reply.answers, reply.authority, reply.additional]) {
    for (const rr of section) if (minimum === undefined || rr.ttl < minimum) minimum = rr.ttl;
  }
  return minimum;
}
