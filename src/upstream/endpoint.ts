// Upstream addresses as Corefiles write them: `IP`, `IP:port`, `[IPv6]:port`, `[IPv6]`, each
// optionally prefixed `dns://`. Only literal addresses: a name would need a resolver to reach the
// resolver, which is the job of the file form (`forward . /etc/resolv.conf`).
import { ipFamily, normalizeIP } from '../dns/names.js';

export interface Endpoint {
  /** Canonical text of the address (RFC 5952 for IPv6). */
  readonly address: string;
  readonly port: number;
  /** "IP:port" or "[IPv6]:port": the `to` label of metrics and log lines. */
  readonly label: string;
}

export const DNS_PORT = 53;

export function endpoint(address: string, port: number = DNS_PORT): Endpoint {
  const canonical = normalizeIP(address);
  if (canonical === undefined) throw new Error(`'${address}' is not an IP address`);
  return { address: canonical, port, label: ipFamily(canonical) === 6 ? `[${canonical}]:${port}` : `${canonical}:${port}` };
}

/**
 * The endpoint `text` names, or undefined when it is not an address (then it may be a file).
 * Throws an Error for an address with a bad port, so "10.0.0.1:99999" is not taken for a file name.
 */
export function parseEndpoint(text: string): Endpoint | undefined {
  const plain = text.startsWith('dns://') ? text.slice('dns://'.length) : text;
  if (ipFamily(plain) !== 0) return endpoint(plain);
  const bracketed = /^\[([^\]]+)\](?::([^:]*))?$/.exec(plain);
  if (bracketed) {
    if (ipFamily(bracketed[1]!) !== 6) return undefined;
    return endpoint(bracketed[1]!, bracketed[2] === undefined ? DNS_PORT : port(text, bracketed[2]));
  }
  const colon = plain.lastIndexOf(':');
  if (colon < 0 || ipFamily(plain.slice(0, colon)) !== 4) return undefined;
  return endpoint(plain.slice(0, colon), port(text, plain.slice(colon + 1)));
}

function port(text: string, digits: string): number {
  const n = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new Error(`'${text}' has an invalid port (1-65535)`);
  return n;
}
