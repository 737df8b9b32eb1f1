// The query-log line: CoreDNS's placeholders and its default ("common") format. The template is
// split once at setup, as CoreDNS's replacer does it: a known placeholder becomes a slot, a metadata
// label `{/NAME}` becomes "-" (there is no metadata plugin), anything else in braces stays as text.
import { rcodeName } from '../../src/dns/classify.js';
import type { Reply } from '../../src/dns/types.js';
import type { Query } from '../../src/plugin.js';

export const COMMON = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED = `${COMMON} "{>opcode}"`;

/** CoreDNS's value for what is not known. */
const EMPTY = '-';
/** A brace pair with no brace inside: the innermost placeholder, as CoreDNS finds them. */
const PLACEHOLDER = /\{[^{}]*\}/g;
const TCP_BUFSIZE = 65535;
const MIN_BUFSIZE = 512;

interface Entry {
  query: Query;
  reply: Reply;
  wire: Buffer;
  seconds: number;
}

type Fill = (e: Entry) => string;

const PLACEHOLDERS: Record<string, Fill> = {
  '{remote}': (e) => (e.query.client.address.includes(':') ? `[${e.query.client.address}]` : e.query.client.address),
  '{port}': (e) => String(e.query.client.port),
  // The server does not tell plugins which of its addresses a query came to.
  '{local}': () => EMPTY,
  '{>id}': (e) => String(e.query.request.id),
  '{type}': (e) => e.query.type,
  '{class}': (e) => (e.query.request.qclass === 1 ? 'IN' : `CLASS${e.query.request.qclass}`),
  '{name}': (e) => `${e.query.lname}.`,
  '{proto}': (e) => e.query.transport,
  '{size}': (e) => String(e.query.size),
  '{>do}': (e) => String(e.query.request.edns?.do ?? false),
  '{>bufsize}': (e) => String(bufsize(e.query)),
  '{rcode}': (e) => rcodeName(e.reply.rcode),
  '{>rflags}': (e) => replyFlags(e.wire),
  '{rsize}': (e) => String(e.wire.length),
  '{duration}': (e) => `${e.seconds.toFixed(9).replace(/0+$/, '').replace(/\.$/, '')}s`,
  '{>opcode}': (e) => String(e.query.request.opcode),
};

export type Formatter = (query: Query, reply: Reply, wire: Buffer, seconds: number) => string;

/** FORMAT as the Corefile gives it: `{common}` or `{combined}` alone name those formats. */
export function compileFormat(format: string): Formatter {
  const template = format === '{common}' ? COMMON : format === '{combined}' ? COMBINED : format;
  const parts: (string | Fill)[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const fill = PLACEHOLDERS[m[0]] ?? (m[0].startsWith('{/') ? () => EMPTY : undefined);
    if (!fill) continue;
    parts.push(template.slice(last, m.index), fill);
    last = m.index! + m[0].length;
  }
  parts.push(template.slice(last));
  return (query, reply, wire, seconds) => {
    const e = { query, reply, wire, seconds };
    let line = '';
    for (const p of parts) line += typeof p === 'string' ? p : p(e);
    return line;
  };
}

/** The requestor's buffer as CoreDNS normalises it: the TCP maximum over TCP, at least 512 over UDP. */
function bufsize(query: Query): number {
  if (query.transport === 'tcp') return TCP_BUFSIZE;
  return Math.max(MIN_BUFSIZE, query.request.edns?.udpSize ?? 0);
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
  if (flags & 0x0040) names.push('z');
  if (flags & 0x0020) names.push('ad');
  if (flags & 0x0010) names.push('cd');
  return names.join(',');
}
