// Whether an upstream is this server itself: its port is ours and its address one we listen on.
// Without `bind` we listen on every address, so any address of this host counts: loopback
// (127.0.0.0/8, ::1), the unspecified addresses (a connection to 0.0.0.0 reaches this host) and
// every interface's. This catches the classic loop before a single query is sent.
import os from 'node:os';
import { ipFamily, normalizeIP } from '../../src/dns/names.js';

export interface Listener {
  /** Listen addresses as `bind` collected them; empty means every address. */
  readonly listen: readonly string[];
  /** 0 means a port picked at start, which no upstream address in a Corefile can name. */
  readonly port: number;
}

export function isOwnListener(upstream: { address: string; port: number }, self: Listener, interfaces = os.networkInterfaces()): boolean {
  if (self.port === 0 || upstream.port !== self.port) return false;
  const bound = self.listen.map((a) => normalizeIP(a.replace(/%.*$/, ''))).filter((a): a is string => a !== undefined);
  if (bound.length === 0 || bound.some(isUnspecified)) return isThisHost(upstream.address, interfaces);
  return bound.includes(upstream.address);
}

function isUnspecified(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

function isThisHost(address: string, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): boolean {
  if (isUnspecified(address) || address === '::1') return true;
  if (ipFamily(address) === 4 && address.startsWith('127.')) return true;
  return Object.values(interfaces).some((list) => (list ?? []).some((i) => normalizeIP(i.address.replace(/%.*$/, '')) === address));
}
