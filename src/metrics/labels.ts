// Label values spelled as CoreDNS spells them, so its dashboards and alert rules match ours:
// `server` as a listen address with scheme, `zone` with its trailing dot, `family` as 1 or 2, and
// `type` limited to the types CoreDNS monitors (plugin/metrics/vars/monitor.go), which keeps the
// number of series bounded whatever clients ask.
import { typeName } from '../dns/typenames.js';
import { formatHttpAddress } from '../http/address.js';

/** The `view` label: clusterdns has no `view` plugin, so it is always empty, as CoreDNS's without one. */
export const NO_VIEW = '';

/** `dns://HOST:PORT`, the host bracketed when IPv6 and empty for every address: 'dns://:53', 'dns://[::1]:53'. */
export function serverLabel(host: string, port: number): string {
  return `dns://${formatHttpAddress({ host, port })}`;
}

/** The `zone` (or cache `zones`) label of a zone: with its trailing dot, '.' for the root. */
export function zoneLabel(zone: string): string {
  return zone === '' ? '.' : `${zone}.`;
}

/** The address family of a client as CoreDNS numbers it: '1' for IPv4, '2' for IPv6. */
export function familyLabel(address: string): '1' | '2' {
  return address.includes(':') ? '2' : '1';
}

const MONITORED = new Set([
  'A', 'AAAA', 'CNAME', 'DNSKEY', 'DS', 'MX', 'NSEC3', 'NSEC', 'NS', 'PTR', 'RRSIG', 'SOA', 'SRV', 'TXT', 'HTTPS',
  'IXFR', 'AXFR', 'ANY',
]);

/** The `type` label: the mnemonic of a monitored type, 'other' for the rest. */
export function typeLabel(qtype: number): string {
  const name = typeName(qtype);
  return MONITORED.has(name) ? name : 'other';
}
