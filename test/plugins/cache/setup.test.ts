// The `cache` stanza: Corefile snippets and the options they give (CoreDNS's defaults where they
// say nothing), or the exact start-up error, naming file and line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../src/errors.js';
import { setup } from '../../../plugins/cache/index.js';
import { DEFAULT_CAPACITY, type CacheOptions } from '../../../plugins/cache/options.js';
import { FILE, options, stanza } from './harness.js';

const DEFAULTS: CacheOptions = {
  zones: [''],
  success: { capacity: DEFAULT_CAPACITY, maxTtl: 3600, minTtl: 5 },
  denial: { capacity: DEFAULT_CAPACITY, maxTtl: 1800, minTtl: 5 },
  servfailTtl: 5,
  prefetch: undefined,
  serveStale: undefined,
  disabled: { success: [], denial: [] },
  keepTtl: false,
};

const valid: { stanza: string; keys?: string; want: Partial<CacheOptions> }[] = [
  { stanza: 'cache', want: {} },
  { stanza: 'cache', keys: 'Example.ORG. cluster.local', want: { zones: ['example.org', 'cluster.local'] } },
  {
    stanza: 'cache 30',
    want: { success: { capacity: DEFAULT_CAPACITY, maxTtl: 30, minTtl: 5 }, denial: { capacity: DEFAULT_CAPACITY, maxTtl: 30, minTtl: 5 } },
  },
  { stanza: 'cache Example.org. 10.0.0.0/15', want: { zones: ['example.org', '0.10.in-addr.arpa', '1.10.in-addr.arpa'] } },
  {
    stanza: 'cache 300 example.org',
    want: {
      zones: ['example.org'],
      success: { capacity: DEFAULT_CAPACITY, maxTtl: 300, minTtl: 5 },
      denial: { capacity: DEFAULT_CAPACITY, maxTtl: 300, minTtl: 5 },
    },
  },
  {
    stanza: 'cache 30 {\n success 5000\n denial 2500 60 0\n}',
    want: { success: { capacity: 5000, maxTtl: 30, minTtl: 5 }, denial: { capacity: 2500, maxTtl: 60, minTtl: 0 } },
  },
  { stanza: 'cache {\n success 100 600 30\n}', want: { success: { capacity: 100, maxTtl: 600, minTtl: 30 } } },
  { stanza: 'cache {\n servfail 0\n}', want: { servfailTtl: 0 } },
  { stanza: 'cache {\n servfail 2m\n}', want: { servfailTtl: 120 } },
  { stanza: 'cache {\n servfail 500ms\n}', want: { servfailTtl: 1 } },
  { stanza: 'cache {\n prefetch 10\n}', want: { prefetch: { amount: 10, windowMs: 60_000, percentage: 10 } } },
  { stanza: 'cache {\n prefetch 2 1m30s 50%\n}', want: { prefetch: { amount: 2, windowMs: 90_000, percentage: 50 } } },
  { stanza: 'cache {\n prefetch 3 500ms\n}', want: { prefetch: { amount: 3, windowMs: 500, percentage: 10 } } },
  { stanza: 'cache {\n serve_stale\n}', want: { serveStale: { windowMs: 3_600_000, mode: 'immediate' } } },
  { stanza: 'cache {\n serve_stale 1.5h\n}', want: { serveStale: { windowMs: 5_400_000, mode: 'immediate' } } },
  { stanza: 'cache {\n serve_stale 10m verify\n}', want: { serveStale: { windowMs: 600_000, mode: 'verify' } } },
  { stanza: 'cache {\n serve_stale 0 immediate\n}', want: { serveStale: { windowMs: 0, mode: 'immediate' } } },
  { stanza: 'cache example.org {\n disable success\n}', want: { zones: ['example.org'], disabled: { success: ['example.org'], denial: [] } } },
  { stanza: 'cache {\n disable denial Sub.Example.org.\n}', want: { disabled: { success: [], denial: ['sub.example.org'] } } },
  { stanza: 'cache {\n keepttl\n}', want: { keepTtl: true } },
];

for (const c of valid) {
  test(`setup: ${JSON.stringify(c.stanza)}${c.keys ? ` in ${c.keys}` : ''}`, () => {
    assert.deepEqual(options(c.stanza, c.keys), { ...DEFAULTS, ...c.want });
  });
}

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'cache 0', error: '2: cache: TTL can not be zero or negative: 0' },
  { stanza: 'cache -5', error: '2: cache: TTL can not be zero or negative: -5' },
  { stanza: 'cache {\n success\n}', error: '3: cache: success takes CAPACITY [TTL [MINTTL]]' },
  { stanza: 'cache {\n denial 1 2 3 4\n}', error: '3: cache: denial takes CAPACITY [TTL [MINTTL]]' },
  { stanza: 'cache {\n success many\n}', error: "3: cache: capacity is not a whole number: 'many'" },
  { stanza: 'cache {\n success 0\n}', error: '3: cache: success capacity must be positive: 0' },
  { stanza: 'cache {\n success 10 0\n}', error: '3: cache: TTL can not be zero or negative: 0' },
  { stanza: 'cache {\n denial 10 60 -1\n}', error: '3: cache: min TTL can not be negative: -1' },
  { stanza: 'cache {\n denial 10 1.5\n}', error: "3: cache: TTL is not a whole number: '1.5'" },
  { stanza: 'cache {\n servfail\n}', error: '3: cache: servfail takes one argument' },
  { stanza: 'cache {\n servfail 6m\n}', error: '3: cache: servfail duration can not be greater than 5m: 6m' },
  { stanza: 'cache {\n servfail 5\n}', error: "3: cache: servfail duration is not a duration (like 30s, 5m, 1h): '5'" },
  { stanza: 'cache {\n prefetch\n}', error: '3: cache: prefetch takes AMOUNT [DURATION [PERCENTAGE%]]' },
  { stanza: 'cache {\n prefetch 0\n}', error: '3: cache: prefetch amount must be positive: 0' },
  { stanza: 'cache {\n prefetch 2 1m 50\n}', error: "3: cache: prefetch percentage must end in '%': 50" },
  { stanza: 'cache {\n prefetch 2 1m 5%\n}', error: '3: cache: prefetch percentage must be in [10%, 90%]: 5%' },
  { stanza: 'cache {\n prefetch 2 1m 95%\n}', error: '3: cache: prefetch percentage must be in [10%, 90%]: 95%' },
  { stanza: 'cache {\n prefetch 2 -1m\n}', error: "3: cache: prefetch duration is not a duration (like 30s, 5m, 1h): '-1m'" },
  { stanza: 'cache {\n prefetch 2 0\n}', error: '3: cache: prefetch duration must be positive: 0' },
  { stanza: 'cache {\n serve_stale 1h verify extra\n}', error: '3: cache: serve_stale takes [DURATION [REFRESH_MODE]]' },
  { stanza: 'cache {\n serve_stale 1h later\n}', error: "3: cache: serve_stale refresh mode must be 'immediate' or 'verify': later" },
  { stanza: 'cache {\n serve_stale 1d\n}', error: "3: cache: serve_stale duration is not a duration (like 30s, 5m, 1h): '1d'" },
  { stanza: 'cache {\n disable\n}', error: "3: cache: disable takes 'success' or 'denial', not ''" },
  { stanza: 'cache {\n disable error\n}', error: "3: cache: disable takes 'success' or 'denial', not 'error'" },
  { stanza: 'cache {\n keepttl 5\n}', error: '3: keepttl takes no arguments' },
  { stanza: 'cache {\n success 10 {\n }\n}', error: '3: success takes no block' },
  {
    stanza: 'cache {\n prefech 10\n}',
    error: "3: cache: unknown option 'prefech' (success, denial, servfail, prefetch, serve_stale, disable, keepttl)",
  },
];

for (const c of invalid) {
  test(`setup refuses ${JSON.stringify(c.stanza)}`, () => {
    const { directive, ctx } = stanza(c.stanza);
    assert.throws(
      () => setup(directive, ctx),
      (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`,
    );
  });
}
