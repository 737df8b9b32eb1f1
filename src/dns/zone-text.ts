// A record as one line of zone text, as dig prints it: `owner. TTL IN TYPE RDATA`. For people
// reading what the server holds (the debug view, test expectations); never on the answer path.
import type { RR } from './types.js';

export function zoneText(rr: RR): string {
  return `${fqdn(rr.name)} ${rr.ttl} IN ${rr.type} ${rdataText(rr)}`;
}

function rdataText(rr: RR): string {
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return rr.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return fqdn(rr.data);
    case 'SRV':
      return `${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${fqdn(rr.data.target)}`;
    case 'SOA': {
      const d = rr.data;
      return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'TXT':
      return rr.data.map((s) => `"${s}"`).join(' ');
  }
}

function fqdn(name: string): string {
  return name === '' ? '.' : `${name}.`;
}
