// HTTP listen addresses as Corefiles write them for `health`, `ready` and `prometheus`: Go's
// host:port syntax (':8080', 'localhost:8091', '[::1]:9153'), so CoreDNS stanzas carry over. An
// empty host means every address. Unlike Go, a port must be a number (no service names), so a
// typo fails at setup, where the error can name the Corefile line.
import type { Directive } from '../config/corefile.js';

export interface HttpAddress {
  /** '' for every address; an IPv6 address without its brackets. */
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

const HOST_PORT = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/;

/** The address, or undefined when `text` is not host:port with a port from 0 to 65535. */
export function parseHttpAddress(text: string): HttpAddress | undefined {
  const m = HOST_PORT.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: (m[1] ?? m[2]!).toLowerCase(), port };
}

/** The address written back as host:port (brackets around IPv6), with `port` in place of its own. */
export function formatHttpAddress(address: HttpAddress, port = address.port): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${port}`;
}

/**
 * The optional ADDRESS argument of `health [ADDRESS]`, `ready [ADDRESS]`, `prometheus [ADDRESS]`,
 * checked at setup; `fallback` when the directive gives none.
 */
export function addressArgument(directive: Directive, fallback: string): string {
  if (directive.args.length > 1) throw directive.error(`${directive.name}: wrong argument count: at most one ADDRESS`);
  const text = directive.args[0] ?? fallback;
  if (!parseHttpAddress(text)) throw directive.error(`${directive.name}: '${text}' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)`);
  return text;
}
