// The `nameserver` lines of a resolv.conf(5) file, which is what `forward . /etc/resolv.conf`
// forwards to. Everything else in the file (search, options) concerns stub resolvers, not us.
// A scoped IPv6 address (fe80::1%eth0) is dropped with a warning: link-local upstreams need an
// interface to be reached through, and the pod's interfaces are not the node's.
import { endpoint, type Endpoint } from './endpoint.js';

export interface ResolvConf {
  readonly nameservers: Endpoint[];
  /** One line per nameserver entry that was dropped, saying why; "FILE:LINE: ..." */
  readonly warnings: string[];
}

export function parseResolvConf(text: string, file: string): ResolvConf {
  const nameservers: Endpoint[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const fields = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (fields[0] !== 'nameserver') return;
    const address = fields[1];
    const at = `${file}:${i + 1}`;
    if (address === undefined) {
      warnings.push(`${at}: nameserver line without an address, ignored`);
    } else if (address.includes('%')) {
      warnings.push(`${at}: scoped IPv6 nameserver ${address} ignored (a link-local upstream cannot be reached from here)`);
    } else {
      try {
        nameservers.push(endpoint(address));
      } catch {
        warnings.push(`${at}: nameserver '${address}' is not an IP address, ignored`);
      }
    }
  });
  return { nameservers, warnings };
}
