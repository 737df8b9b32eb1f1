// Parsing of the `forward` stanza (CoreDNS syntax) into options. Every mistake is a ConfigError
// naming the line of the offending argument or option. TO may be an address or a resolv.conf-style
// file, read here, at setup: the upstreams are fixed for the life of the configuration, as in CoreDNS.
import fs from 'node:fs';
import path from 'node:path';
import type { Directive } from '../../src/config/corefile.js';
import { reverseZonesOfCidr } from '../../src/dns/names.js';
import { RCODE } from '../../src/dns/types.js';
import type { SetupContext } from '../../src/plugin.js';
import { parseEndpoint, type Endpoint } from '../../src/upstream/endpoint.js';
import { DEFAULT_HEALTH, type HealthOptions } from '../../src/upstream/health.js';
import { POLICIES, type Policy } from '../../src/upstream/pool.js';
import { parseResolvConf } from '../../src/upstream/resolv-conf.js';
import { DEFAULT_EXPIRE_MS } from '../../src/upstream/upstream.js';
import { parseDuration } from '../../src/config/duration.js';

export interface ForwardOptions {
  /** FROM: lower-case, no trailing dot ('' is the root); a CIDR gives every reverse zone it covers. */
  zones: string[];
  /** `except`: names (and their subdomains) not forwarded. */
  except: string[];
  upstreams: Endpoint[];
  forceTcp: boolean;
  preferUdp: boolean;
  expireMs: number;
  health: { -readonly [K in Exclude<keyof HealthOptions, 'transport' | 'timeoutMs'>]: HealthOptions[K] };
  policy: Policy;
  /** Bound on queries in flight; undefined is unbounded. */
  maxConcurrent: number | undefined;
  /** Rcodes that hand the query to the next forward plugin instead of answering. */
  next: Set<number>;
}

/** CoreDNS's limit on upstreams per forward. */
export const MAX_UPSTREAMS = 15;

// CoreDNS options clusterdns does not implement: refused by name, so nobody believes them applied.
const UNSUPPORTED = new Set([
  'tls', 'tls_servername', 'max_idle_conns', 'max_connect_attempts', 'doh_method',
  'failfast_all_unhealthy_upstreams', 'failover', 'resolver', 'next_on_nodata',
]);

export function parseOptions(directive: Directive, ctx: SetupContext): ForwardOptions {
  const [from, ...to] = directive.args;
  if (from === undefined || to.length === 0) throw directive.error('forward needs FROM and at least one TO');
  const o: ForwardOptions = {
    zones: zonesOf(directive, from),
    except: [],
    upstreams: to.flatMap((arg) => upstreamsOf(directive, arg, ctx)),
    forceTcp: false,
    preferUdp: false,
    expireMs: DEFAULT_EXPIRE_MS,
    health: { maxFails: DEFAULT_HEALTH.maxFails, intervalMs: DEFAULT_HEALTH.intervalMs, recursionDesired: true, domain: '' },
    policy: 'random',
    maxConcurrent: undefined,
    next: new Set(),
  };
  if (o.upstreams.length > MAX_UPSTREAMS) {
    throw directive.error(`forward: ${o.upstreams.length} upstreams, more than the ${MAX_UPSTREAMS} allowed`);
  }
  for (const d of directive.block ?? []) {
    d.expectNoBlock();
    const args = d.args;
    if (UNSUPPORTED.has(d.name)) {
      const why = d.name.startsWith('tls') ? ' (only plain DNS upstreams: no DNS-over-TLS)' : '';
      throw d.error(`forward: '${d.name}' is not supported${why}`);
    }
    switch (d.name) {
      case 'except':
        if (args.length === 0) throw d.error('forward: except needs at least one name');
        o.except.push(...args.map(nameOf));
        break;
      case 'force_tcp':
        d.expectNoArgs();
        o.forceTcp = true;
        break;
      case 'prefer_udp':
        d.expectNoArgs();
        o.preferUdp = true;
        break;
      case 'max_fails':
        o.health.maxFails = integer(d, 0);
        break;
      case 'expire':
        o.expireMs = duration(d, args, 1);
        break;
      case 'health_check':
        healthCheck(d, o.health);
        break;
      case 'policy':
        if (args.length !== 1 || !POLICIES.includes(args[0] as Policy)) {
          throw d.error(`forward: policy must be one of ${POLICIES.join(', ')}`);
        }
        o.policy = args[0] as Policy;
        break;
      case 'max_concurrent':
        o.maxConcurrent = integer(d, 1);
        break;
      case 'next':
        if (args.length === 0) throw d.error('forward: next needs at least one RCODE');
        for (const name of args) o.next.add(rcodeOf(d, name));
        break;
      default:
        throw d.error(`forward: unknown option '${d.name}'`);
    }
  }
  return o;
}

function zonesOf(directive: Directive, from: string): string[] {
  if (from.includes('/')) {
    const zones = reverseZonesOfCidr(from);
    if (!zones) throw directive.error(`forward: '${from}' is not a CIDR block`);
    return zones;
  }
  return [nameOf(from)];
}

function nameOf(text: string): string {
  return text === '.' ? '' : text.toLowerCase().replace(/\.$/, '');
}

/** One TO: an address, or the nameservers of a resolv.conf-style file (relative to the Corefile). */
function upstreamsOf(directive: Directive, arg: string, ctx: SetupContext): Endpoint[] {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(arg)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'dns') {
    throw directive.error(`forward: ${scheme}:// upstreams are not supported; use IP[:port], dns://IP[:port] or a resolv.conf-style file`);
  }
  let address: Endpoint | undefined;
  try {
    address = parseEndpoint(arg);
  } catch (err) {
    throw directive.error(`forward: ${(err as Error).message}`);
  }
  if (address) return [address];
  if (scheme === 'dns') throw directive.error(`forward: '${arg}' is not an IP address`);
  const file = path.resolve(path.dirname(directive.file), arg);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw directive.error(`forward: '${arg}' is neither an IP address nor a readable file`);
  }
  const conf = parseResolvConf(text, file);
  for (const w of conf.warnings) ctx.log.warn(`forward: ${w}`);
  if (conf.nameservers.length === 0) throw directive.error(`forward: no usable nameserver in ${file}`);
  return conf.nameservers;
}

function healthCheck(d: Directive, health: ForwardOptions['health']): void {
  const [interval, ...rest] = d.args;
  health.intervalMs = duration(d, interval === undefined ? [] : [interval], 1);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === 'no_rec') health.recursionDesired = false;
    else if (rest[i] === 'domain' && rest[i + 1] !== undefined) health.domain = nameOf(rest[++i]!);
    else throw d.error(`forward: health_check takes DURATION [no_rec] [domain NAME], not '${rest[i]}'`);
  }
}

function duration(d: Directive, args: readonly string[], minimumMs: number): number {
  const ms = args.length === 1 ? parseDuration(args[0]!) : undefined;
  if (ms === undefined || ms < minimumMs) throw d.error(`forward: ${d.name} needs one positive duration such as 10s or 500ms`);
  return ms;
}

function integer(d: Directive, minimum: number): number {
  const n = d.args.length === 1 && /^\d+$/.test(d.args[0]!) ? Number(d.args[0]) : NaN;
  if (!(n >= minimum) || !Number.isSafeInteger(n)) throw d.error(`forward: ${d.name} needs one integer of at least ${minimum}`);
  return n;
}

function rcodeOf(d: Directive, name: string): number {
  const code = (RCODE as Record<string, number>)[name.toUpperCase()];
  if (code === undefined) throw d.error(`forward: unknown RCODE '${name}' (${Object.keys(RCODE).join(', ')})`);
  return code;
}
