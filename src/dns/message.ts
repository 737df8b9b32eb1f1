// The client side of the codec, for tests and the forward plugin: build a query, decode any
// message. Sections and the rdata of our own types are read here with the same name reader as
// the server's parser, so names come back in our text form and type names in ours ('HTTPS', not
// 'UNKNOWN_65'); dns-packet decodes only the rdata of the other types, in its own shapes.
import packet from 'dns-packet';
import { NameWriter, nameEnd, nameText } from './compress.js';
import { typeCode, typeName } from './typenames.js';
import { CLASS, QTYPE, type Edns } from './types.js';

export interface DecodedRR {
  name: string;
  type: string;
  class: number;
  ttl: number;
  /**
   * string for A/AAAA/CNAME/PTR/NS, {priority,weight,port,target} for SRV, {mname,rname,serial,...}
   * for SOA, string[] for TXT; dns-packet's shape for other types (a Buffer for unknown ones).
   */
  data: unknown;
}

export interface DecodedMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  cd: boolean;
  /** The full rcode, extended bits from the OPT record included. */
  rcode: number;
  questions: { name: string; type: string; class: number }[];
  answers: DecodedRR[];
  authority: DecodedRR[];
  /** Without the OPT record, whose facts are in `edns`. */
  additional: DecodedRR[];
  edns: (Edns & { extendedRcode: number }) | undefined;
}

export interface QuerySpec {
  id: number;
  name: string;
  type: string | number;
  qclass?: number;
  /** Recursion desired; true unless set to false, as dig does. */
  rd?: boolean;
  cd?: boolean;
  edns?: { udpSize: number; do?: boolean; version?: number };
  opcode?: number;
}

const HEADER = 12;
const DNSSEC_OK = 0x8000;
const writer = new NameWriter();

export function encodeQuery(q: QuerySpec): Buffer {
  const type = typeof q.type === 'number' ? q.type : typeCode(q.type);
  if (type === undefined) throw new Error(`unknown RR type "${q.type}"`);
  const opcode = q.opcode ?? 0;
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15) throw new Error(`opcode ${opcode} is not 0-15`);
  const buf = Buffer.alloc(HEADER + 256 + 4 + 11);
  buf.writeUInt16BE(q.id, 0);
  buf.writeUInt16BE((opcode << 11) | (q.rd === false ? 0 : 0x100) | (q.cd ? 0x10 : 0), 2);
  buf.writeUInt16BE(1, 4);
  buf.writeUInt16BE(q.edns ? 1 : 0, 10);
  writer.reset();
  let pos = writer.write(buf, HEADER, q.name, false);
  buf.writeUInt16BE(type, pos);
  buf.writeUInt16BE(q.qclass ?? CLASS.IN, pos + 2);
  pos += 4;
  if (q.edns) {
    buf[pos] = 0;
    buf.writeUInt16BE(QTYPE.OPT, pos + 1);
    buf.writeUInt16BE(q.edns.udpSize, pos + 3);
    buf[pos + 5] = 0;
    buf.writeUInt8(q.edns.version ?? 0, pos + 6);
    buf.writeUInt16BE(q.edns.do ? DNSSEC_OK : 0, pos + 7);
    pos += 11;
  }
  return buf.subarray(0, pos);
}

/** Decodes any DNS message; throws an Error naming the offset where it is malformed. */
export function decodeMessage(message: Buffer): DecodedMessage {
  if (message.length < HEADER) {
    throw new Error(`DNS message of ${message.length} bytes is shorter than its 12-byte header`);
  }
  const flags = message.readUInt16BE(2);
  const reader = new SectionReader(message);
  const questions: DecodedMessage['questions'] = [];
  for (let i = message.readUInt16BE(4); i > 0; i--) questions.push(reader.question());
  const answers = reader.records(message.readUInt16BE(6));
  const authority = reader.records(message.readUInt16BE(8));
  const additional: DecodedRR[] = [];
  let edns: DecodedMessage['edns'];
  for (let i = message.readUInt16BE(10); i > 0; i--) {
    const at = reader.offset;
    const rr = reader.record();
    if (rr.type !== 'OPT') {
      additional.push(rr);
      continue;
    }
    if (edns !== undefined) throw new Error(`second OPT record at offset ${at}`);
    edns = {
      udpSize: rr.class,
      extendedRcode: rr.ttl >>> 24,
      version: (rr.ttl >>> 16) & 0xff,
      do: (rr.ttl & DNSSEC_OK) !== 0,
    };
  }
  return {
    id: message.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x400) !== 0,
    tc: (flags & 0x200) !== 0,
    rd: (flags & 0x100) !== 0,
    ra: (flags & 0x80) !== 0,
    cd: (flags & 0x10) !== 0,
    rcode: ((edns?.extendedRcode ?? 0) << 4) | (flags & 0xf),
    questions,
    answers,
    authority,
    additional,
    edns,
  };
}

// @types/dns-packet leaves out the per-type rdata codecs that dns-packet exports.
const rdataCodec = (packet as unknown as { record(type: string): { decode(buf: Buffer, offset: number): unknown } })
  .record;

class SectionReader {
  offset = HEADER;

  constructor(private readonly message: Buffer) {}

  question(): DecodedMessage['questions'][number] {
    const start = this.offset;
    const end = this.name('question name');
    this.need(end, 4, 'question');
    this.offset = end + 4;
    return { name: nameText(this.message, start), type: typeName(this.u16(end)), class: this.u16(end + 2) };
  }

  records(count: number): DecodedRR[] {
    const list: DecodedRR[] = [];
    for (let i = 0; i < count; i++) list.push(this.record());
    return list;
  }

  record(): DecodedRR {
    const m = this.message;
    const start = this.offset;
    const end = this.name('owner name');
    this.need(end, 10, 'record header');
    const code = this.u16(end);
    const type = typeName(code);
    const rdata = end + 10;
    const rdataEnd = rdata + this.u16(end + 8);
    this.need(rdata, rdataEnd - rdata, `${type} rdata`);
    this.offset = rdataEnd;
    return {
      name: nameText(m, start),
      type,
      class: this.u16(end + 2),
      ttl: m.readUInt32BE(end + 4),
      data: code === QTYPE.OPT ? undefined : this.rdata(code, type, rdata, rdataEnd),
    };
  }

  private rdata(code: number, type: string, start: number, end: number): unknown {
    const m = this.message;
    switch (code) {
      case QTYPE.A:
        this.exact(type, start + 4, end);
        return `${m[start]}.${m[start + 1]}.${m[start + 2]}.${m[start + 3]}`;
      case QTYPE.AAAA:
        this.exact(type, start + 16, end);
        return ipv6Text(m, start);
      case QTYPE.CNAME:
      case QTYPE.PTR:
      case QTYPE.NS:
        this.exact(type, this.nameIn(type, start, end), end);
        return nameText(m, start);
      case QTYPE.SRV: {
        this.exact(type, this.nameIn(type, start + 6, end), end);
        return { priority: this.u16(start), weight: this.u16(start + 2), port: this.u16(start + 4), target: nameText(m, start + 6) };
      }
      case QTYPE.SOA: {
        const rname = this.nameIn(type, start, end);
        const numbers = this.nameIn(type, rname, end);
        this.exact(type, numbers + 20, end);
        return {
          mname: nameText(m, start),
          rname: nameText(m, rname),
          serial: m.readUInt32BE(numbers),
          refresh: m.readUInt32BE(numbers + 4),
          retry: m.readUInt32BE(numbers + 8),
          expire: m.readUInt32BE(numbers + 12),
          minimum: m.readUInt32BE(numbers + 16),
        };
      }
      case QTYPE.TXT: {
        const strings: string[] = [];
        for (let at = start; at < end; ) {
          const next = at + 1 + m[at];
          if (next > end) throw new Error(`TXT rdata at offset ${start} has a string running past its end`);
          strings.push(m.toString('utf8', at + 1, next));
          at = next;
        }
        return strings;
      }
      default:
        try {
          return rdataCodec(type).decode(m, start - 2);
        } catch (error) {
          throw new Error(`malformed ${type} rdata at offset ${start}: ${(error as Error).message}`);
        }
    }
  }

  private name(what: string): number {
    const end = nameEnd(this.message, this.offset);
    if (end < 0) throw new Error(`malformed ${what} at offset ${this.offset}`);
    return end;
  }

  private nameIn(type: string, start: number, end: number): number {
    const after = nameEnd(this.message, start);
    if (after < 0 || after > end) throw new Error(`malformed name in ${type} rdata at offset ${start}`);
    return after;
  }

  private exact(type: string, reached: number, end: number): void {
    if (reached !== end) throw new Error(`${type} rdata ending at offset ${end} has the wrong length`);
  }

  private need(at: number, bytes: number, what: string): void {
    if (at + bytes > this.message.length) throw new Error(`${what} at offset ${at} runs past the end of the message`);
  }

  private u16(at: number): number {
    return this.message.readUInt16BE(at);
  }
}

// RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as '::'.
function ipv6Text(buf: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(at + i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]): string => list.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}
