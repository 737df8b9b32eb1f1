// Turns a Reply into wire bytes: the hot path. Everything is written once into a reusable scratch
// buffer and copied out at the end. Truncation needs no second pass: compression pointers only
// point backwards, so any prefix that ends on a record boundary is a whole message, and it is
// enough to remember where each section's records ended and cut there (RFC 1035 4.1.4, RFC 2181 9).
import { NameWriter, nameEnd } from './compress.js';
import type { ReplyContext } from './decode-request.js';
import { encodeRelay } from './relay.js';
import { CLASS, QTYPE, RCODE, type Edns, type Reply, type RR } from './types.js';

const HEADER = 12;
const OUR_UDP_SIZE = 1232;
const OPT_SIZE = 11;
const NAME_ROOM = 256;
const FIXED = 10;
const DNSSEC_OK = 0x8000;
const MAX_RDATA = 0xffff;

/** The UDP reply size limit for a request: 512 without EDNS, else max(512, advertised size) capped at 65535. */
export function udpLimit(edns: Edns | undefined): number {
  return edns === undefined ? 512 : Math.min(0xffff, Math.max(512, edns.udpSize));
}

let scratch = Buffer.allocUnsafe(0x10000 + 0x1000);
const names = new NameWriter();

// Where the records of the section just written stopped fitting; module state instead of a
// result object per section.
let fitting = 0;
let fitEnd = 0;
let overflowed = false;

/**
 * Encodes with RFC 1035 4.1.4 name compression and fits the reply into `limit` bytes: additional
 * records go first (TC stays clear), then authority and the answers that do not fit whole (TC set).
 * Throws an Error for a record that cannot be encoded (bad name, address or TTL); the caller
 * answers SERVFAIL instead. A relayed message is copied by relay.ts; one it cannot relay is
 * answered SERVFAIL.
 */
export function encodeReply(context: ReplyContext, reply: Reply, limit: number): Buffer {
  if (reply.relayed !== undefined) {
    return encodeRelay(context, reply, limit) ?? encodeReply(context, { ...reply, rcode: RCODE.SERVFAIL, truncated: false, relayed: undefined }, limit);
  }
  const { edns, questionWire } = context;
  const rcode = reply.rcode;
  if (rcode < 0 || rcode > 0xfff || (rcode > 0xf && edns === undefined)) {
    throw new Error(`rcode ${rcode} cannot be sent ${edns === undefined ? 'without EDNS' : 'at all'}`);
  }
  names.reset();
  let end = HEADER;
  if (questionWire.length > 0) {
    questionWire.copy(scratch, HEADER);
    if (nameEnd(scratch, HEADER) + 4 !== HEADER + questionWire.length) throw new Error('questionWire is not one question');
    names.remember(scratch, HEADER);
    end += questionWire.length;
  }
  const budget = limit - (edns === undefined ? 0 : OPT_SIZE);

  let truncated = reply.truncated;
  let nscount = 0;
  let arcount = 0;
  writeRecords(reply.answers, end, budget);
  const ancount = fitting;
  end = fitEnd;
  if (overflowed) {
    truncated = true;
  } else {
    writeRecords(reply.authority, end, budget);
    if (overflowed) {
      truncated = true;
    } else {
      nscount = fitting;
      end = fitEnd;
      writeRecords(reply.additional, end, budget);
      if (!overflowed) {
        arcount = fitting;
        end = fitEnd;
      }
    }
  }
  if (edns !== undefined) {
    end = writeOpt(end, edns, rcode);
    arcount++;
  }

  scratch.writeUInt16BE(context.id, 0);
  scratch.writeUInt16BE(
    0x8000 |
      ((context.opcode & 0xf) << 11) |
      (reply.authoritative ? 0x400 : 0) |
      (truncated ? 0x200 : 0) |
      (context.rd ? 0x100 : 0) |
      (reply.recursionAvailable ? 0x80 : 0) |
      (context.cd ? 0x10 : 0) |
      (rcode & 0xf),
    2,
  );
  scratch.writeUInt16BE(questionWire.length > 0 ? 1 : 0, 4);
  scratch.writeUInt16BE(ancount, 6);
  scratch.writeUInt16BE(nscount, 8);
  scratch.writeUInt16BE(arcount, 10);

  const out = Buffer.allocUnsafe(end);
  scratch.copy(out, 0, 0, end);
  return out;
}

// Writes records from `pos` until one ends beyond `budget`; a record that does not fit is never kept.
function writeRecords(records: readonly RR[], pos: number, budget: number): void {
  fitting = 0;
  fitEnd = pos;
  overflowed = false;
  for (const rr of records) {
    const end = writeRecord(rr, fitEnd);
    if (end > budget) {
      overflowed = true;
      return;
    }
    fitting++;
    fitEnd = end;
  }
}

function writeRecord(rr: RR, start: number): number {
  ensureRoom(start + NAME_ROOM + FIXED + NAME_ROOM * 2 + 20);
  const pos = names.write(scratch, start, rr.name, true);
  const rdata = pos + FIXED;
  let end: number;
  switch (rr.type) {
    case 'A':
      writeIPv4(rr.data, 0, rdata);
      end = rdata + 4;
      break;
    case 'AAAA':
      writeIPv6(rr.data, rdata);
      end = rdata + 16;
      break;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      end = names.write(scratch, rdata, rr.data, true);
      break;
    case 'SRV':
      scratch.writeUInt16BE(rr.data.priority, rdata);
      scratch.writeUInt16BE(rr.data.weight, rdata + 2);
      scratch.writeUInt16BE(rr.data.port, rdata + 4);
      // RFC 2782: the target must not be compressed, though later names may point into it.
      end = names.write(scratch, rdata + 6, rr.data.target, false);
      break;
    case 'SOA': {
      const soa = rr.data;
      end = names.write(scratch, names.write(scratch, rdata, soa.mname, true), soa.rname, true);
      scratch.writeUInt32BE(soa.serial, end);
      scratch.writeUInt32BE(soa.refresh, end + 4);
      scratch.writeUInt32BE(soa.retry, end + 8);
      scratch.writeUInt32BE(soa.expire, end + 12);
      scratch.writeUInt32BE(soa.minimum, end + 16);
      end += 20;
      break;
    }
    case 'TXT':
      end = writeTxt(rr.data, rdata);
      break;
    default:
      throw new Error(`cannot encode ${(rr as { type: string }).type} records`);
  }
  if (end - rdata > MAX_RDATA) throw new Error(`${rr.type} record of ${rr.name} is over 65535 bytes`);
  scratch.writeUInt16BE(QTYPE[rr.type], pos);
  scratch.writeUInt16BE(CLASS.IN, pos + 2);
  scratch.writeUInt32BE(rr.ttl, pos + 4);
  scratch.writeUInt16BE(end - rdata, pos + 8);
  return end;
}

// RFC 1035 3.3.14: each string becomes one or more character-strings of at most 255 bytes.
function writeTxt(strings: readonly string[], start: number): number {
  if (strings.length === 0) {
    scratch[start] = 0;
    return start + 1;
  }
  let pos = start;
  for (const s of strings) {
    const bytes = Buffer.byteLength(s);
    const chunks = Math.max(1, Math.ceil(bytes / 255));
    const base = pos;
    ensureRoom(base + chunks + bytes);
    // The bytes land after room for every length byte, then each chunk slides down into place;
    // a chunk only ever moves onto bytes already moved.
    scratch.write(s, base + chunks);
    for (let k = 0; k < chunks; k++) {
      const from = base + chunks + k * 255;
      const size = Math.min(255, bytes - k * 255);
      scratch[pos] = size;
      scratch.copyWithin(pos + 1, from, from + size);
      pos += size + 1;
    }
  }
  return pos;
}

function writeOpt(pos: number, edns: Edns, rcode: number): number {
  scratch[pos] = 0;
  scratch.writeUInt16BE(QTYPE.OPT, pos + 1);
  scratch.writeUInt16BE(OUR_UDP_SIZE, pos + 3);
  scratch[pos + 5] = rcode >> 4;
  scratch[pos + 6] = 0;
  scratch.writeUInt16BE(edns.do ? DNSSEC_OK : 0, pos + 7);
  scratch.writeUInt16BE(0, pos + 9);
  return pos + OPT_SIZE;
}

function ensureRoom(size: number): void {
  if (size <= scratch.length) return;
  const bigger = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  scratch.copy(bigger);
  scratch = bigger;
}

const DOT = 0x2e;
const COLON = 0x3a;

// Dotted quad from text[from..] into 4 bytes at `at`; 1-3 digits per part. `family` names the
// whole address in errors, as the quad may be the tail of an IPv6 address.
function writeIPv4(text: string, from: number, at: number, family = 'IPv4'): void {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (digits === 0 || parts === 4) throw addressError(family, text);
      scratch[at + parts++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + c - 0x30;
      digits++;
      if (value > 255) throw addressError(family, text);
    } else {
      throw addressError(family, text);
    }
  }
  if (parts !== 4) throw addressError(family, text);
}

// RFC 4291 2.2 text: eight hex groups, one '::' for a run of zero groups, an IPv4 tail allowed.
// Groups are written in order as they are read; the ones after '::' then slide to the end.
function writeIPv6(text: string, at: number): void {
  const length = text.length;
  let words = 0;
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  }
  while (i < length) {
    let value = 0;
    let j = i;
    for (; j < length && j - i < 5; j++) {
      const digit = hexDigit(text.charCodeAt(j));
      if (digit < 0) break;
      value = value * 16 + digit;
    }
    if (j < length && text.charCodeAt(j) === DOT) {
      if (words > 6) throw addressError('IPv6', text);
      writeIPv4(text, i, at + words * 2, 'IPv6');
      words += 2;
      break;
    }
    if (j === i || j - i > 4 || words === 8) throw addressError('IPv6', text);
    scratch[at + words * 2] = value >> 8;
    scratch[at + words * 2 + 1] = value & 0xff;
    words++;
    i = j;
    if (i === length) break;
    if (text.charCodeAt(i) !== COLON || ++i === length) throw addressError('IPv6', text);
    if (text.charCodeAt(i) === COLON) {
      if (gap >= 0) throw addressError('IPv6', text);
      gap = words;
      i++;
    }
  }
  if (gap < 0) {
    if (words !== 8) throw addressError('IPv6', text);
    return;
  }
  if (words > 7) throw addressError('IPv6', text);
  const tail = (words - gap) * 2;
  scratch.copyWithin(at + 16 - tail, at + gap * 2, at + words * 2);
  scratch.fill(0, at + gap * 2, at + 16 - tail);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function addressError(family: string, text: string): Error {
  return new Error(`invalid ${family} address "${text}"`);
}
