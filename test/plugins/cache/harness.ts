// Test harness for the cache plugin: a cache built from a Corefile stanza, a clock the test turns,
// a scripted next plugin that records what reached it, and records written as zone text.
import { parseCorefile } from '../../../src/config/parse.js';
import { reply } from '../../../src/dns/reply.js';
import { RCODE, type Reply, type RR } from '../../../src/dns/types.js';
import type { Next, Plugin, Query, SetupContext } from '../../../src/plugin.js';
import { cacheMetrics, cachePlugin, type CacheMetrics } from '../../../plugins/cache/index.js';
import { parseOptions, type CacheOptions } from '../../../plugins/cache/options.js';
import { makeQuery, zoneText } from '../kubernetes/harness.js';
import { setupContext } from '../../support/setup-context.js';

export { zoneText };

export const FILE = '/etc/coredns/Corefile';

/** The `cache` directive of `. { STANZA }` (or of `KEYS { STANZA }`) with the context its setup sees. */
export function stanza(text: string, keys = '.') {
  const block = parseCorefile(`${keys} {\n${text}\n}\n`, FILE).blocks[0]!;
  const generation = { value: 0 };
  const ctx: SetupContext = setupContext({ zones: block.keys.map((k) => k.zone), generationAfter: () => generation.value });
  return { directive: block.directives[0]!, ctx, generation };
}

export function options(text: string, keys = '.'): CacheOptions {
  const { directive, ctx } = stanza(text, keys);
  return parseOptions(directive, ctx);
}

/** A clock in milliseconds that moves only when told to. */
export class Clock {
  now = 1_700_000_000_000;
  readonly read = () => this.now;
  advance(seconds: number): void {
    this.now += seconds * 1000;
  }
}

export interface TestCache {
  plugin: Plugin;
  clock: Clock;
  /** What generationAfter(cache) returns: change it to stand for a data change behind the cache. */
  generation: { value: number };
}

export function makeCache(text = 'cache', keys = '.'): TestCache {
  const { directive, ctx, generation } = stanza(text, keys);
  const clock = new Clock();
  return { plugin: cachePlugin(parseOptions(directive, ctx), ctx, clock.read), clock, generation };
}

/** Starts the cache, which publishes its metrics, and returns them; the test stops it. */
export async function started(c: TestCache): Promise<CacheMetrics> {
  const before = new Set(cacheMetrics());
  await c.plugin.start!();
  const published = cacheMetrics().filter((m) => !before.has(m));
  if (published.length !== 1) throw new Error(`start() published ${published.length} metrics objects, not 1`);
  return published[0]!;
}

/** A scripted next plugin: answers with `answer` and records each question it saw as "name TYPE". */
export function upstream(answer: (q: Query) => Reply | Promise<Reply>): { next: Next; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    next: (q) => {
      asked.push(`${q.name} ${q.type}`);
      return answer(q);
    },
  };
}

/** A question as the server would hand it to the chain, with the DO (EDNS) and CD bits given. */
export function ask(name: string, type = 'A', flags: { do?: boolean; cd?: boolean } = {}): Query {
  const q = makeQuery(`${name}. ${type}`);
  const edns = flags.do === undefined ? undefined : { udpSize: 1232, version: 0, do: flags.do };
  return { ...q, request: { ...q.request, cd: flags.cd ?? false, edns } };
}

export async function serve(c: TestCache, q: Query, next: Next): Promise<Reply> {
  return c.plugin.serve(q, next);
}

/** A record from zone text: "name. TTL IN TYPE data" (A, AAAA, CNAME, NS, PTR, TXT, SOA). */
export function rr(text: string): RR {
  const [owner, ttlText, , type, ...data] = text.trim().split(/\s+/) as [string, string, string, string, ...string[]];
  const name = owner.replace(/\.$/, '');
  const ttl = Number(ttlText);
  const host = (s: string) => s.replace(/\.$/, '');
  switch (type) {
    case 'A':
    case 'AAAA':
      return { name, ttl, type, data: data[0]! };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { name, ttl, type, data: host(data[0]!) };
    case 'TXT':
      return { name, ttl, type, data: data.map((s) => s.replace(/^"|"$/g, '')) };
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = data as [string, string, ...string[]];
      const n = [serial, refresh, retry, expire, minimum].map(Number) as [number, number, number, number, number];
      return { name, ttl, type, data: { mname: host(mname), rname: host(rname), serial: n[0], refresh: n[1], retry: n[2], expire: n[3], minimum: n[4] } };
    }
    default:
      throw new Error(`rr(): type ${type} is not written by these tests`);
  }
}

/** Every section's records as zone text, for one deepEqual per reply. */
export function sections(r: Reply): { answer: string[]; authority: string[]; additional: string[] } {
  return { answer: r.answers.map(zoneText), authority: r.authority.map(zoneText), additional: r.additional.map(zoneText) };
}

/** A NOERROR reply with these answer records. */
export function answer(...records: string[]): Reply {
  return reply(RCODE.NOERROR, records.map(rr));
}

/** A reply with `rcode` and these authority records (a denial when they hold the SOA). */
export function denial(rcode: number, ...authority: string[]): Reply {
  return reply(rcode, [], authority.map(rr));
}

/** The SOA of example.org with record TTL `ttl` and MINIMUM `minimum`. */
export function soa(ttl: number, minimum: number): string {
  return `example.org. ${ttl} IN SOA ns.example.org. hostmaster.example.org. 1 7200 1800 86400 ${minimum}`;
}
