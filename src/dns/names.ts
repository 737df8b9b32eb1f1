// Domain-name and address helpers shared by the server, the index and the plugins. Names are
// written without the trailing dot ('' is the root) and compared lower-cased. Letter case is
// folded for ASCII only (RFC 4343), so a lower-cased name keeps the length of the original and
// a suffix of the question can be cut at the same offset in either spelling.
import net from 'node:net';

const UPPER = /[A-Z]/;
const UPPER_RUNS = /[A-Z]+/g;

/** The name with ASCII letters lower-cased; other characters are left as they are. */
export function lowerName(name: string): string {
  return UPPER.test(name) ? name.replace(UPPER_RUNS, (s) => s.toLowerCase()) : name;
}

/** Whether `name` is `zone` or below it. Both lower-case; '' is the root, which holds every name. */
export function isSubdomain(name: string, zone: string): boolean {
  if (zone === '') return true;
  if (name.length === zone.length) return name === zone;
  return name.length > zone.length && name.charCodeAt(name.length - zone.length - 1) === 46 && name.endsWith(zone);
}

/** The longest of `zones` that holds `name` (both lower-case), or undefined when none does. */
export function longestZone(zones: readonly string[], name: string): string | undefined {
  let best: string | undefined;
  for (const z of zones) if (isSubdomain(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** `relative` completed with `zone`; either may be empty. */
export function joinName(relative: string, zone: string): string {
  if (relative === '') return zone;
  return zone === '' ? relative : `${relative}.${zone}`;
}

/** The trailing `zone.length` characters of `name`: the zone as the question spelled it. */
export function zoneAsAsked(name: string, zone: string): string {
  return name.slice(name.length - zone.length);
}

/** 4 or 6 for a valid address, 0 otherwise. Addresses with a zone index (`fe80::1%eth0`) are not valid here. */
export function ipFamily(ip: string): 0 | 4 | 6 {
  if (ip.includes('%')) return 0;
  return net.isIP(ip) as 0 | 4 | 6;
}

/** The canonical text of an address (IPv6 compressed, lower-case; RFC 5952), or undefined if it is none. */
export function normalizeIP(ip: string): string | undefined {
  switch (ipFamily(ip)) {
    case 4:
      return ip;
    case 6:
      return new net.SocketAddress({ address: ip, family: 'ipv6' }).address;
    default:
      return undefined;
  }
}

/** Every IPv6 nibble of an address, most significant first (32 hex digits); `::` and a dotted IPv4 tail expanded. */
function ipv6Nibbles(ip: string): string {
  const groups = (part: string | undefined): string[] =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [g];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        })
      : [];
  const [head, tail] = ip.split('::');
  const before = groups(head);
  const after = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((g) => g.padStart(4, '0')).join('');
}

const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const NIBBLE = /^[0-9a-f]$/;

/**
 * The address a complete reverse name stands for (lower-case input), in canonical form; undefined
 * for anything else, including names with fewer labels than an address has.
 */
export function reverseToIP(name: string): string | undefined {
  if (name.endsWith('.in-addr.arpa')) {
    const parts = name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p) && Number(p) <= 255)) return undefined;
    return parts.reverse().join('.');
  }
  if (name.endsWith('.ip6.arpa')) {
    const parts = name.slice(0, -'.ip6.arpa'.length).split('.');
    if (parts.length !== 32 || !parts.every((p) => NIBBLE.test(p))) return undefined;
    const hex = parts.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    return normalizeIP(groups.join(':'));
  }
  return undefined;
}

/** Whether a (lower-case) name lies in the IPv4 or IPv6 reverse tree. */
export function isReverseName(name: string): boolean {
  return isSubdomain(name, 'in-addr.arpa') || isSubdomain(name, 'ip6.arpa');
}

/**
 * The reverse zones that cover a CIDR block (`10.0.0.0/8` → `10.in-addr.arpa`); a prefix that
 * ends inside an octet or nibble is widened into every zone of the next boundary, as CoreDNS does.
 * Undefined when `cidr` is not a block.
 */
export function reverseZonesOfCidr(cidr: string): string[] | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const ip = normalizeIP(cidr.slice(0, slash));
  const bitsText = cidr.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const v4 = ipFamily(ip) === 4;
  if (bits > (v4 ? 32 : 128)) return undefined;
  const step = v4 ? 8 : 4;
  const digits = v4 ? ip.split('.').map(Number) : [...ipv6Nibbles(ip)].map((n) => parseInt(n, 16));
  const whole = Math.ceil(bits / step);
  const spare = whole * step - bits;
  const suffix = v4 ? 'in-addr.arpa' : 'ip6.arpa';
  const zones: string[] = [];
  const base = whole > 0 ? digits[whole - 1]! & ~((1 << spare) - 1) : 0;
  for (let i = 0; i < (whole > 0 ? 1 << spare : 1); i++) {
    const prefix = digits.slice(0, whole);
    if (whole > 0) prefix[whole - 1] = base + i;
    const text = prefix.map((d) => (v4 ? String(d) : d.toString(16)));
    zones.push([...text.reverse(), suffix].join('.'));
  }
  return zones;
}

/**
 * The label CoreDNS derives from an address: IPv4 `172-0-0-2`; IPv6 with `-` for `:`, where a
 * leading `-` gets a `0` in front and a trailing one a `0` behind (`::1` → `0--1`).
 */
export function ipToDashed(ip: string): string {
  if (!ip.includes(':')) return ip.replaceAll('.', '-');
  // An embedded IPv4 tail (::ffff:1.2.3.4) would put dots in the label: spell it out in hex.
  const text = ip.includes('.') ? (ipv6Nibbles(ip).match(/.{4}/g) ?? []).map((g) => g.replace(/^0+(?=.)/, '')).join(':') : ip;
  let label = text.replaceAll(':', '-');
  if (label.startsWith('-')) label = `0${label}`;
  if (label.endsWith('-')) label = `${label}0`;
  return label;
}

/**
 * The address a dashed label stands for, canonical, or undefined: exactly three dashes and no
 * `--` read as IPv4, anything else as IPv6 (CoreDNS's pod-name rule).
 */
export function dashedToIP(label: string): string | undefined {
  const dashes = label.split('-').length - 1;
  const text = dashes === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return normalizeIP(text);
}
