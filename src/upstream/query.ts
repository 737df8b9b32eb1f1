// What is sent to an upstream, and how its answer is recognised. Every upstream query gets a fresh
// ID from a cryptographic source and carries the question bytes as the client sent them; an answer
// counts only if it repeats that ID and that question (name compared without ASCII case, as a
// resolver may fold it), which with the source check of each transport makes blind spoofing a
// guess of 16 random bits per query on top of the source port.
import { randomFillSync } from 'node:crypto';
import { NameWriter } from '../dns/compress.js';
import { sameQuestion } from '../dns/relay.js';
import { CLASS, QTYPE } from '../dns/types.js';
import type { IgnoredReason } from './metrics.js';

export interface UpstreamQuery {
  /** The question section (name, type, class) as it goes on the wire. */
  readonly question: Buffer;
  readonly rd: boolean;
  readonly cd: boolean;
  /** EDNS DO bit. Every upstream query carries an OPT record advertising UPSTREAM_UDP_SIZE. */
  readonly dnssecOk: boolean;
}

/** The UDP payload size we advertise upstream: the DNS flag day 2020 value, as for clients. */
export const UPSTREAM_UDP_SIZE = 1232;

const HEADER = 12;
const OPT_SIZE = 11;
const QR = 0x8000;
const OPCODE_MASK = 0x7800;

const ids = new Uint16Array(2048);
let nextId = ids.length;

/** A query ID no one can predict (crypto-random, drawn in batches). */
export function randomId(): number {
  if (nextId === ids.length) {
    randomFillSync(ids);
    nextId = 0;
  }
  return ids[nextId++]!;
}

export function queryMessage(id: number, q: UpstreamQuery): Buffer {
  const m = Buffer.alloc(HEADER + q.question.length + OPT_SIZE);
  m.writeUInt16BE(id, 0);
  m.writeUInt16BE((q.rd ? 0x100 : 0) | (q.cd ? 0x10 : 0), 2);
  m.writeUInt16BE(1, 4);
  m.writeUInt16BE(1, 10);
  q.question.copy(m, HEADER);
  const opt = HEADER + q.question.length;
  m.writeUInt16BE(QTYPE.OPT, opt + 1);
  m.writeUInt16BE(UPSTREAM_UDP_SIZE, opt + 3);
  m.writeUInt16BE(q.dnssecOk ? 0x8000 : 0, opt + 7);
  return m;
}

/**
 * Why `message` is not the answer to query `id` asking `question`, or undefined when it is:
 * a response (QR) to a standard query with that ID and exactly one question equal to ours but for
 * ASCII letter case.
 */
export function mismatch(message: Buffer, id: number, question: Buffer): IgnoredReason | undefined {
  if (message.length < HEADER || message.readUInt16BE(0) !== id) return 'id';
  const flags = message.readUInt16BE(2);
  if (!(flags & QR) || flags & OPCODE_MASK || message.readUInt16BE(4) !== 1) return 'question';
  return sameQuestion(message, HEADER, question) ? undefined : 'question';
}

const writer = new NameWriter();
const scratch = Buffer.alloc(256 + 4);

/** The question section for `name` (text form, see src/dns/compress.ts), for queries we make ourselves. */
export function questionWire(name: string, qtype: number, qclass: number = CLASS.IN): Buffer {
  writer.reset();
  const end = writer.write(scratch, 0, name, false);
  scratch.writeUInt16BE(qtype, end);
  scratch.writeUInt16BE(qclass, end + 2);
  return Buffer.from(scratch.subarray(0, end + 4));
}
