// Reads a query straight from its bytes and decides between no reply, an error reply and a
// request (RFC 1035 4.1, RFC 6891 6.1). Every read is bounds-checked, so it never throws: whatever
// arrives ends as one of the three outcomes, and nothing but the result is allocated.
import { nameEnd, nameText } from './compress.js';
import { OPCODE, QTYPE, RCODE, type Edns, type Request } from './types.js';

/** What a reply must echo; Request (src/dns/types.ts) is structurally a ReplyContext. */
export interface ReplyContext {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
  edns: Edns | undefined;
  /** The question section as received; empty when the question could not be read. */
  questionWire: Buffer;
}

export type Parsed =
  /** No reply at all: not a query, or too short to say whom to answer. */
  | { kind: 'drop'; reason: string }
  /** Reply with this rcode and no records. */
  | { kind: 'reject'; rcode: number; context: ReplyContext }
  | { kind: 'request'; request: Request };

const HEADER = 12;
const QR = 0x8000;
const Z = 0x0040;
const RD = 0x0100;
const CD = 0x0010;
const DO = 0x8000;
const NO_QUESTION = Buffer.alloc(0);

export function parseRequest(message: Buffer): Parsed {
  if (message.length < HEADER) return { kind: 'drop', reason: 'shorter than a DNS header' };
  const flags = u16(message, 2);
  if (flags & QR) return { kind: 'drop', reason: 'a response, not a query' };
  const qdcount = u16(message, 4);
  const arcount = u16(message, 10);

  const questionEnd = qdcount === 1 ? questionEndAt(message) : -1;
  // Copied, so the request stays valid when the caller reuses its receive buffer.
  const questionWire = questionEnd < 0 ? NO_QUESTION : Buffer.from(message.subarray(HEADER, questionEnd));

  if (((flags >> 11) & 0xf) !== OPCODE.QUERY) return reject(RCODE.NOTIMP, message, questionWire, undefined);
  if (qdcount !== 1 || u16(message, 6) !== 0 || u16(message, 8) !== 0 || arcount > 2 || flags & Z) {
    return reject(RCODE.FORMERR, message, questionWire, undefined);
  }
  if (questionEnd < 0) return reject(RCODE.FORMERR, message, NO_QUESTION, undefined);

  let edns: Edns | undefined;
  let pos = questionEnd;
  for (let i = 0; i < arcount; i++) {
    const owner = pos;
    pos = nameEnd(message, pos);
    if (pos < 0 || pos + 10 > message.length) return reject(RCODE.FORMERR, message, NO_QUESTION, undefined);
    const type = u16(message, pos);
    const udpSize = u16(message, pos + 2);
    const ttl = message.readUInt32BE(pos + 4);
    pos += 10 + u16(message, pos + 8);
    if (pos > message.length) return reject(RCODE.FORMERR, message, NO_QUESTION, undefined);
    if (type !== QTYPE.OPT) continue;
    if (edns !== undefined || message[owner] !== 0) return reject(RCODE.FORMERR, message, questionWire, undefined);
    edns = { udpSize, version: (ttl >>> 16) & 0xff, do: (ttl & DO) !== 0 };
  }
  if (edns !== undefined && edns.version !== 0) return reject(RCODE.BADVERS, message, questionWire, edns);

  const typeAt = questionEnd - 4;
  const request: Request = {
    id: u16(message, 0),
    opcode: OPCODE.QUERY,
    rd: (flags & RD) !== 0,
    cd: (flags & CD) !== 0,
    name: nameText(message, HEADER),
    qtype: u16(message, typeAt),
    qclass: u16(message, typeAt + 2),
    edns,
    questionWire,
  };
  return { kind: 'request', request };
}

function questionEndAt(message: Buffer): number {
  const end = nameEnd(message, HEADER);
  return end < 0 || end + 4 > message.length ? -1 : end + 4;
}

function reject(rcode: number, message: Buffer, questionWire: Buffer, edns: Edns | undefined): Parsed {
  const flags = u16(message, 2);
  const context: ReplyContext = {
    id: u16(message, 0),
    opcode: (flags >> 11) & 0xf,
    rd: (flags & RD) !== 0,
    cd: (flags & CD) !== 0,
    edns,
    questionWire,
  };
  return { kind: 'reject', rcode, context };
}

function u16(buf: Buffer, at: number): number {
  return (buf[at] << 8) | buf[at + 1];
}
