// Addresses as the index keeps them: an IPv4 address as its 32-bit number, an IPv6 address as its
// canonical text. Design decision: hundreds of thousands of endpoint addresses are held at once,
// and a number costs only its slot in an array (a small integer, or an unboxed double in an
// all-number array) where the same address as text costs ~32 bytes; the text is made again only
// when an answer carries it.
import { ipFamily, normalizeIP } from '../dns/names.js';

export type Address = number | string;

/** The address of a valid IPv4 or IPv6 text; undefined for anything else. */
export function toAddress(ip: string): Address | undefined {
  return ipv4Number(ip) ?? (ipFamily(ip) === 6 ? normalizeIP(ip) : undefined);
}

/** The canonical text of an address. */
export function addressText(address: Address): string {
  if (typeof address === 'string') return address;
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

export function isIPv4(address: Address): address is number {
  return typeof address === 'number';
}

/**
 * A dotted quad as a number, read in one pass (every endpoint address of a list goes through
 * here); undefined when the text is not one, with Node's rules: four decimal octets up to 255,
 * no leading zeros.
 */
function ipv4Number(ip: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && !(digits === 1 && octet === 0)) {
      octet = octet * 10 + (c - 48);
      if (octet > 255) return undefined;
      digits++;
    } else {
      return undefined;
    }
  }
  return dots === 4 ? value : undefined;
}
