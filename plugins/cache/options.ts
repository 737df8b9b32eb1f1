// Parsing of the `cache` stanza (CoreDNS syntax) into options, with CoreDNS's defaults. Every
// mistake is a ConfigError naming the line of the offending option. Design decision: TTLs and
// capacities are whole numbers and durations Go durations, as CoreDNS reads them, and an unknown
// option stops start-up by name instead of being ignored.
import type { Directive } from '../../src/config/corefile.js';
import { lowerName, reverseZonesOfCidr } from '../../src/dns/names.js';
import type { SetupContext } from '../../src/plugin.js';
import { parseDuration } from '../../src/config/duration.js';

export type CacheType = 'success' | 'denial';

/** How one type of answer is kept. */
export interface TypeSettings {
  /** Entries kept at most; the least recently used goes first. */
  capacity: number;
  /** Seconds; a record's TTL is clamped into [minTtl, maxTtl] (maxTtl wins when they cross). */
  maxTtl: number;
  minTtl: number;
}

export interface CacheOptions {
  /** Names cached are at or below these (lower-case, no trailing dot). */
  zones: string[];
  success: TypeSettings;
  denial: TypeSettings;
  /** Whole seconds a SERVFAIL is kept (with the denials), rounded up; 0 = not at all. */
  servfailTtl: number;
  /** Refresh popular entries before they expire; undefined = never. */
  prefetch: { amount: number; windowMs: number; percentage: number } | undefined;
  /** Serve expired entries for up to `windowMs` past expiry; undefined = never. */
  serveStale: { windowMs: number; mode: 'immediate' | 'verify' } | undefined;
  /** Zones whose answers of a type are never cached. */
  disabled: Record<CacheType, string[]>;
  /** Hits carry the TTL the entry was stored with instead of the remaining one. */
  keepTtl: boolean;
}

export const DEFAULT_CAPACITY = 9984;
const MAX_SUCCESS_TTL = 3600;
const MAX_DENIAL_TTL = 1800;
const MIN_TTL = 5;
const SERVFAIL_TTL = 5;
const MAX_SERVFAIL_MS = 5 * 60_000;
const PREFETCH_WINDOW_MS = 60_000;
const PREFETCH_PERCENTAGE = 10;
const STALE_WINDOW_MS = 3_600_000;

export function parseOptions(directive: Directive, ctx: SetupContext): CacheOptions {
  const args = [...directive.args];
  let maxTtl: number | undefined;
  if (args.length > 0 && /^-?\d+$/.test(args[0]!)) {
    maxTtl = Number(args.shift());
    if (maxTtl <= 0) throw directive.error(`cache: TTL can not be zero or negative: ${maxTtl}`);
  }
  const zones = args.length > 0 ? args.flatMap(normalizeZone) : [...ctx.zones];
  const o: CacheOptions = {
    zones,
    success: { capacity: DEFAULT_CAPACITY, maxTtl: maxTtl ?? MAX_SUCCESS_TTL, minTtl: MIN_TTL },
    denial: { capacity: DEFAULT_CAPACITY, maxTtl: maxTtl ?? MAX_DENIAL_TTL, minTtl: MIN_TTL },
    servfailTtl: SERVFAIL_TTL,
    prefetch: undefined,
    serveStale: undefined,
    disabled: { success: [], denial: [] },
    keepTtl: false,
  };
  for (const d of directive.block ?? []) {
    d.expectNoBlock();
    switch (d.name) {
      case 'success':
      case 'denial':
        o[d.name] = typeSettings(d, o[d.name]);
        break;
      case 'servfail': {
        const ms = duration(d, one(d), 'servfail duration');
        if (ms > MAX_SERVFAIL_MS) throw d.error(`cache: servfail duration can not be greater than 5m: ${d.args[0]}`);
        o.servfailTtl = Math.ceil(ms / 1000);
        break;
      }
      case 'prefetch':
        o.prefetch = prefetch(d);
        break;
      case 'serve_stale':
        o.serveStale = serveStale(d);
        break;
      case 'disable': {
        const [type, ...names] = d.args;
        if (type !== 'success' && type !== 'denial') throw d.error(`cache: disable takes 'success' or 'denial', not '${type ?? ''}'`);
        o.disabled[type] = names.length > 0 ? names.flatMap(normalizeZone) : [...zones];
        break;
      }
      case 'keepttl':
        d.expectNoArgs();
        o.keepTtl = true;
        break;
      default:
        throw d.error(`cache: unknown option '${d.name}' (success, denial, servfail, prefetch, serve_stale, disable, keepttl)`);
    }
  }
  return o;
}

// `success|denial CAPACITY [TTL [MINTTL]]`
function typeSettings(d: Directive, current: TypeSettings): TypeSettings {
  if (d.args.length < 1 || d.args.length > 3) throw d.error(`cache: ${d.name} takes CAPACITY [TTL [MINTTL]]`);
  const [capacity, ttl, minTtl] = d.args;
  const s = { ...current, capacity: integer(d, capacity!, 'capacity') };
  if (s.capacity <= 0) throw d.error(`cache: ${d.name} capacity must be positive: ${s.capacity}`);
  if (ttl !== undefined) {
    s.maxTtl = integer(d, ttl, 'TTL');
    if (s.maxTtl <= 0) throw d.error(`cache: TTL can not be zero or negative: ${s.maxTtl}`);
  }
  if (minTtl !== undefined) {
    s.minTtl = integer(d, minTtl, 'min TTL');
    if (s.minTtl < 0) throw d.error(`cache: min TTL can not be negative: ${s.minTtl}`);
  }
  return s;
}

// `prefetch AMOUNT [DURATION [PERCENTAGE%]]`
function prefetch(d: Directive): CacheOptions['prefetch'] {
  if (d.args.length < 1 || d.args.length > 3) throw d.error('cache: prefetch takes AMOUNT [DURATION [PERCENTAGE%]]');
  const [amountText, window, percent] = d.args;
  const amount = integer(d, amountText!, 'prefetch amount');
  if (amount <= 0) throw d.error(`cache: prefetch amount must be positive: ${amount}`);
  let percentage = PREFETCH_PERCENTAGE;
  if (percent !== undefined) {
    if (!percent.endsWith('%')) throw d.error(`cache: prefetch percentage must end in '%': ${percent}`);
    percentage = integer(d, percent.slice(0, -1), 'prefetch percentage');
    if (percentage < 10 || percentage > 90) throw d.error(`cache: prefetch percentage must be in [10%, 90%]: ${percent}`);
  }
  const windowMs = window === undefined ? PREFETCH_WINDOW_MS : duration(d, window, 'prefetch duration');
  if (windowMs <= 0) throw d.error(`cache: prefetch duration must be positive: ${window}`);
  return { amount, windowMs, percentage };
}

// `serve_stale [DURATION [immediate|verify]]`
function serveStale(d: Directive): CacheOptions['serveStale'] {
  if (d.args.length > 2) throw d.error('cache: serve_stale takes [DURATION [REFRESH_MODE]]');
  const [window, mode = 'immediate'] = d.args;
  if (mode !== 'immediate' && mode !== 'verify') throw d.error(`cache: serve_stale refresh mode must be 'immediate' or 'verify': ${mode}`);
  return { windowMs: window === undefined ? STALE_WINDOW_MS : duration(d, window, 'serve_stale duration'), mode };
}

function one(d: Directive): string {
  if (d.args.length !== 1) throw d.error(`cache: ${d.name} takes one argument`);
  return d.args[0]!;
}

function integer(d: Directive, text: string, what: string): number {
  if (!/^-?\d+$/.test(text)) throw d.error(`cache: ${what} is not a whole number: '${text}'`);
  return Number(text);
}

function duration(d: Directive, text: string, what: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw d.error(`cache: ${what} is not a duration (like 30s, 5m, 1h): '${text}'`);
  return ms;
}

function normalizeZone(text: string): string[] {
  const lower = lowerName(text).replace(/\.$/, '');
  return reverseZonesOfCidr(lower) ?? [lower];
}
