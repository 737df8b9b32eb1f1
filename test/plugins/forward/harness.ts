// Test harness for the forward plugin: the directive of a Corefile stanza with the context its
// setup sees, plugins set up from stanzas (stopped after the test file), and queries as the
// server would hand them over.
import net from 'node:net';
import { after } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { lowerName } from '../../../src/dns/names.js';
import type { Edns, Reply } from '../../../src/dns/types.js';
import { decodeMessage, encodeQuery, encodeReply, parseRequest, typeCode } from '../../../src/dns/wire.js';
import { memoryLogger } from '../../../src/log.js';
import type { Next, Plugin, Query, SetupContext, Transport } from '../../../src/plugin.js';
import { setup } from '../../../plugins/forward/index.js';
import { setupContext } from '../../support/setup-context.js';

export const FILE = '/etc/coredns/Corefile';

/** Every directive of `KEYS { STANZA }` with the one context its setups share (as app.ts gives). */
export function stanza(text: string, keys = '.', dir = '/etc/coredns') {
  const block = parseCorefile(`${keys} {\n${text}\n}\n`, `${dir}/Corefile`).blocks[0]!;
  const log = memoryLogger();
  const ctx: SetupContext = setupContext({ zones: block.keys.map((k) => k.zone), log });
  return { directives: block.directives, directive: block.directives[0]!, ctx, log };
}

const started: Plugin[] = [];
after(async () => {
  for (const p of started) await p.stop?.();
});

/** The plugins of every `forward` line of the stanza, set up in order with one shared context. */
export function forwards(text: string, keys = '.'): Plugin[] {
  const { directives, ctx } = stanza(text, keys);
  const plugins = directives.map((d) => setup(d, ctx)!);
  started.push(...plugins);
  return plugins;
}

export interface QueryOptions {
  transport?: Transport;
  edns?: Edns;
  rd?: boolean;
  cd?: boolean;
}

/** The query a client's `name TYPE` becomes on its way into the chain. */
export function makeQuery(name: string, type: string, o: QueryOptions = {}): Query {
  const wire = encodeQuery({ id: 0x2a2a, name, type, rd: o.rd ?? true, cd: o.cd, edns: o.edns });
  const parsed = parseRequest(wire);
  if (parsed.kind !== 'request') throw new Error(`${name} ${type} is not a valid query`);
  const lname = lowerName(name);
  return {
    request: parsed.request,
    name,
    lname,
    type,
    qtype: typeCode(type)!,
    transport: o.transport ?? 'udp',
    client: { address: '127.0.0.1', port: 5353 },
    size: wire.length,
    server: { zones: [''], port: 53 },
  };
}

/** A next plugin that records what reached it and answers with a marker rcode. */
export function recordingNext(rcode = 9): Next & { seen: string[] } {
  const seen: string[] = [];
  const next = ((q: Query): Reply => {
    seen.push(`${q.name} ${q.type}`);
    return { rcode, authoritative: false, recursionAvailable: false, truncated: false, answers: [], authority: [], additional: [] };
  }) as Next & { seen: string[] };
  next.seen = seen;
  return next;
}


/** The reply as the client would read it. */
export function decoded(query: Query, reply: Reply) {
  return decodeMessage(encodeReply(query.request, reply, 65535));
}

/** A loopback port with nothing listening on it (TCP connections to it are refused at once). */
export async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
