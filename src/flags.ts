// Command-line flags, spelled as CoreDNS spells them (`-conf FILE`, `-dns.port N`), GNU double
// dashes accepted too, so kubeadm's Deployment arguments work unchanged.
import { UsageError } from './errors.js';
import { directiveNames } from './registry.js';

export interface Flags {
  conf: string;
  port: number | undefined;
  help: boolean;
  version: boolean;
}

export const usage = (): string => `Usage: clusterdns [-conf FILE] [-dns.port PORT]

Cluster DNS for Kubernetes, configured by a CoreDNS Corefile.

Options:
  -conf, --conf FILE         Corefile to load (default: ./Corefile)
  -dns.port, --dns.port N    port for server blocks that name none (default: 53)
  -h, --help                 show this help
  -version, --version        print the version

Directives: ${directiveNames().join(', ')}
`;

export function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { conf: 'Corefile', port: undefined, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const [raw, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const name = raw.replace(/^--?/, '');
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`flag ${raw} needs a value`);
      return v;
    };
    if (!raw.startsWith('-')) throw new UsageError(`unexpected argument '${raw}'`);
    switch (name) {
      case 'conf':
        flags.conf = value();
        break;
      case 'dns.port': {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`flag ${raw}: '${v}' is not a port`);
        flags.port = port;
        break;
      }
      case 'h':
      case 'help':
        flags.help = true;
        break;
      case 'version':
        flags.version = true;
        break;
      default:
        throw new UsageError(`unknown flag ${raw}`);
    }
  }
  return flags;
}

