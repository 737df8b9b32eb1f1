// bind: restrict the addresses a server block listens on (CoreDNS syntax). Adds to the block's
// listen list and serves no queries itself.
import net from 'node:net';
import os from 'node:os';
import type { Directive } from '../../src/config/corefile.js';
import type { Setup } from '../../src/plugin.js';

export const setup: Setup = (directive, ctx) => {
  if (directive.args.length === 0) throw directive.error('bind needs at least one address or interface');
  const excluded = new Set<string>();
  for (const line of directive.block ?? []) {
    if (line.name !== 'except' || line.args.length === 0) throw line.error(`bind: unknown option '${line.name}' (only 'except ADDRESS...')`);
    for (const a of line.args) for (const address of resolve(line, a)) excluded.add(address);
  }
  for (const arg of directive.args) {
    for (const address of resolve(directive, arg)) {
      if (!excluded.has(address) && !ctx.listen.includes(address)) ctx.listen.push(address);
    }
  }
  if (ctx.listen.length === 0) throw directive.error('bind: every address is excluded');
  return undefined;
};

/** An address as is, or every address of a network interface by name. */
function resolve(directive: Directive, arg: string): string[] {
  if (net.isIP(arg)) return [arg];
  const iface = os.networkInterfaces()[arg];
  if (!iface) throw directive.error(`bind: '${arg}' is neither an IP address nor a network interface`);
  return iface.map((i) => (i.family === 'IPv6' && i.scopeid ? `${i.address}%${arg}` : i.address));
}
