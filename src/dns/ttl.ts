// TTLs of a relayed message (an upstream's reply that the cache keeps whole): read once when the
// message is cached, written into a copy on every hit. Design decision: a hit gives every record
// one TTL, the entry's remaining lifetime (as CoreDNS's cache does), so a list of offsets and one
// number are all a hit needs; the OPT pseudo-record is never touched, its TTL field holds EDNS flags.
import { QTYPE } from './types.js';
import { SECTION, walkRecords } from './walk.js';

/** What the cache needs to know about a message's TTLs. */
export interface TtlLayout {
  /** Offsets of the TTL field of every record but OPT. */
  readonly offsets: Uint32Array;
  /** The smallest TTL among those records; undefined when there are none. */
  readonly minimum: number | undefined;
  /**
   * The negative-caching TTL of RFC 2308 section 5, min(SOA TTL, SOA MINIMUM), from the first SOA
   * in the authority section; undefined without one.
   */
  readonly negative: number | undefined;
}

// RFC 2181 section 8: a TTL with the top bit set is to be read as zero.
const MAX_TTL = 0x7fffffff;
const SOA_FIXED = 20;

/** Throws an Error naming the offset when the message is malformed. */
export function ttlLayout(message: Buffer): TtlLayout {
  const offsets: number[] = [];
  let minimum: number | undefined;
  let negative: number | undefined;
  walkRecords(message, (rr) => {
    if (rr.type === QTYPE.OPT) return;
    offsets.push(rr.ttlAt);
    const ttl = clampTtl(message.readUInt32BE(rr.ttlAt));
    if (minimum === undefined || ttl < minimum) minimum = ttl;
    if (negative === undefined && rr.section === SECTION.AUTHORITY && rr.type === QTYPE.SOA && rr.rdlength > SOA_FIXED) {
      negative = Math.min(ttl, clampTtl(message.readUInt32BE(rr.rdata + rr.rdlength - 4)));
    }
  });
  return { offsets: Uint32Array.from(offsets), minimum, negative };
}

/** A copy of `message` whose records at `offsets` (from ttlLayout) all have TTL `ttl`. */
export function withTtl(message: Buffer, offsets: Uint32Array, ttl: number): Buffer {
  const copy = Buffer.allocUnsafe(message.length);
  message.copy(copy);
  for (let i = 0; i < offsets.length; i++) copy.writeUInt32BE(ttl, offsets[i]);
  return copy;
}

function clampTtl(ttl: number): number {
  return ttl > MAX_TTL ? 0 : ttl;
}
