// The query-log line, CoreDNS's placeholders and default ("common") format. The template is
// split once at setup; each line only fills the slots.
import { rcodeName } from '../../src/dns/classify.js';
import type { Reply } from '../../src/dns/types.js';
import type { Query } from '../../src/plugin.js';

export const COMMON = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED = `${COMMON} "{>opcode}"`;

interface Entry {
  query: Query;
  reply: Reply;
  wire: Buffer;
  seconds: number;
}

const PLACEHOLDERS: Record<string, (e: Entry) => string> = {
  remote: (e) => (e.query.client.address.includes(':') ? `[${e.query.client.address}]` : e.query.client.address),
  port: (e) => String(e.query.client.port),
  '>id': (e) => String(e.query.request.id),
  type: (e) => e.query.type,
  class: (e) => (e.query.request.qclass === 1 ? 'IN' : `CLASS${e.query.request.qclass}`),
  name: (e) => `${e.query.name}.`,
  proto: (e) => e.query.transport,
  size: (e) => String(e.query.size),
  '>do': (e) => String(e.query.request.edns?.do ?? false),
  '>bufsize': (e) => String(e.query.request.edns?.udpSize ?? 512),
  rcode: (e) => rcodeName(e.reply.rcode),
  '>rflags': (e) => replyFlags(e.wire),
  rsize: (e) => String(e.wire.length),
  duration: (e) => `${e.seconds.toFixed(9).replace(/0+$/, '').replace(/\.$/, '')}s`,
  '>opcode': (e) => String(e.query.request.opcode),
};

export type Formatter = (query: Query, reply: Reply, wire: Buffer, seconds: number) => string;

/** Compiles a format; an unknown placeholder is an error, reported by the caller with file:line. */
export function compileFormat(format: string): Formatter | { unknown: string } {
  const expanded = format.replace('{common}', COMMON).replace('{combined}', COMBINED);
  const parts: (string | ((e: Entry) => string))[] = [];
  let last = 0;
  for (const m of expanded.matchAll(/\{([^{}]+)\}/g)) {
    const fill = PLACEHOLDERS[m[1]!];
    if (!fill) return { unknown: m[0] };
    parts.push(expanded.slice(last, m.index), fill);
    last = m.index! + m[0].length;
  }
  parts.push(expanded.slice(last));
  return (query, reply, wire, seconds) => {
    const e = { query, reply, wire, seconds };
    let line = '';
    for (const p of parts) line += typeof p === 'string' ? p : p(e);
    return line;
  };
}

/** Header flags as dig and CoreDNS print them: "qr,aa,rd". */
function replyFlags(wire: Buffer): string {
  const flags = wire.readUInt16BE(2);
  const names: string[] = [];
  if (flags & 0x8000) names.push('qr');
  if (flags & 0x0400) names.push('aa');
  if (flags & 0x0200) names.push('tc');
  if (flags & 0x0100) names.push('rd');
  if (flags & 0x0080) names.push('ra');
  if (flags & 0x0020) names.push('ad');
  if (flags & 0x0010) names.push('cd');
  return names.join(',');
}
