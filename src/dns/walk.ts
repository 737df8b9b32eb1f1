// Walks the resource records of a whole DNS message (an upstream's reply) without decoding them:
// where each record's owner, TTL and rdata sit. The relayed-message helpers (TTL patching,
// address shuffling) build on it. One mutable record view is handed to the visitor for every
// record, so a walk allocates nothing; a visitor that keeps facts must copy them out.
import { nameEnd } from './compress.js';

const HEADER = 12;

export const SECTION = { ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 2 } as const;

/** Where one record sits in the message. Valid only during the visit. */
export interface WireRecord {
  /** SECTION.ANSWER, AUTHORITY or ADDITIONAL. */
  section: number;
  /** Index of the record within its section. */
  index: number;
  /** Offset of the owner name (possibly a compression pointer). */
  owner: number;
  type: number;
  /** Offset of the 32-bit TTL field. */
  ttlAt: number;
  /** Offset of the rdata and its length. */
  rdata: number;
  rdlength: number;
}

const view: WireRecord = { section: 0, index: 0, owner: 0, type: 0, ttlAt: 0, rdata: 0, rdlength: 0 };

/**
 * Calls `visit` for every record of the answer, authority and additional sections, in order.
 * Throws an Error naming the offset when the message is malformed (cut short, bad name).
 */
export function walkRecords(message: Buffer, visit: (record: WireRecord) => void): void {
  if (message.length < HEADER) throw new Error(`DNS message of ${message.length} bytes is shorter than its 12-byte header`);
  let pos = HEADER;
  for (let q = message.readUInt16BE(4); q > 0; q--) {
    const end = nameEnd(message, pos);
    if (end < 0 || end + 4 > message.length) throw new Error(`malformed question at offset ${pos}`);
    pos = end + 4;
  }
  for (let section = 0; section < 3; section++) {
    const count = message.readUInt16BE(6 + section * 2);
    for (let index = 0; index < count; index++) {
      const end = nameEnd(message, pos);
      if (end < 0 || end + 10 > message.length) throw new Error(`malformed record at offset ${pos}`);
      const rdlength = message.readUInt16BE(end + 8);
      if (end + 10 + rdlength > message.length) throw new Error(`rdata at offset ${end + 10} runs past the end of the message`);
      view.section = section;
      view.index = index;
      view.owner = pos;
      view.type = message.readUInt16BE(end);
      view.ttlAt = end + 4;
      view.rdata = end + 10;
      view.rdlength = rdlength;
      visit(view);
      pos = end + 10 + rdlength;
    }
  }
}

/** Whether the names at offsets `a` and `b` (both accepted by nameEnd) are equal, ignoring ASCII case. */
export function sameName(message: Buffer, a: number, b: number): boolean {
  for (;;) {
    while (message[a] >= 0xc0) a = ((message[a] & 0x3f) << 8) | message[a + 1];
    while (message[b] >= 0xc0) b = ((message[b] & 0x3f) << 8) | message[b + 1];
    if (a === b) return true;
    const length = message[a];
    if (length !== message[b]) return false;
    if (length === 0) return true;
    for (let i = 1; i <= length; i++) if (foldCase(message[a + i]) !== foldCase(message[b + i])) return false;
    a += length + 1;
    b += length + 1;
  }
}

/** An ASCII upper-case letter byte as lower case; every other byte as it is. */
export function foldCase(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}
