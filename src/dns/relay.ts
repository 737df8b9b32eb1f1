// Relaying a whole message that came from elsewhere (an upstream, a cache) to a client. The message
// is copied, not re-encoded: only the header, the question and the OPT record are rewritten. The
// client's question bytes replace the message's, which must therefore be the same question (letter
// case aside) and so the same length, leaving every compression pointer valid; a message that is
// not (or is malformed) is not relayed, and the caller answers SERVFAIL instead.
import { nameEnd } from './compress.js';
import type { ReplyContext } from './decode-request.js';
import { QTYPE, type Reply } from './types.js';
import { SECTION, foldCase, walkRecords } from './walk.js';

const HEADER = 12;
const OPT_SIZE = 11;
const OUR_UDP_SIZE = 1232;
const QR = 0x8000;
const TC = 0x200;
const AD = 0x20;
const DNSSEC_OK = 0x8000;

/** Where a message's parts are, as far as relaying needs to know. */
interface Layout {
  /** Offset just past the question. */
  questionEnd: number;
  /** The full rcode: header bits and the OPT record's extended bits. */
  rcode: number;
  truncated: boolean;
  answerCount: number;
  /** Where the message is cut when relayed: its OPT record, or its end when it has none. */
  keepEnd: number;
  /** Additional records before the OPT record, the ones kept. */
  additionalKept: number;
}

/**
 * The Reply relaying `message`, with the flags this server sets on it; undefined when `message`
 * is not one well-formed response with one question.
 */
export function relayedReply(message: Buffer, flags: { authoritative: boolean; recursionAvailable: boolean }): Reply | undefined {
  const layout = layoutOf(message);
  if (!layout) return undefined;
  return {
    rcode: layout.rcode,
    authoritative: flags.authoritative,
    recursionAvailable: flags.recursionAvailable,
    truncated: layout.truncated,
    answers: [],
    authority: [],
    additional: [],
    relayed: { message, answerCount: layout.answerCount },
  };
}

/**
 * The relayed message as the reply to `context`, within `limit` bytes: the client's ID, question
 * bytes, opcode, RD and CD; AA and RA from `reply`; TC, AD and rcode from the message. The client
 * gets an OPT record exactly when it sent one (ours: 1232 bytes, its DO bit, the message's extended
 * rcode). A message over `limit` becomes header, question and OPT with TC set, and the client retries
 * over TCP. Undefined when the message cannot be relayed (see the module comment).
 */
export function encodeRelay(context: ReplyContext, reply: Reply, limit: number): Buffer | undefined {
  const message = reply.relayed?.message;
  const layout = message && layoutOf(message);
  if (!message || !layout) return undefined;
  const { edns, questionWire } = context;
  if (layout.questionEnd - HEADER !== questionWire.length || !sameQuestion(message, HEADER, questionWire)) return undefined;
  if (layout.rcode > 0xf && edns === undefined) return undefined;

  const optSize = edns === undefined ? 0 : OPT_SIZE;
  const fits = layout.keepEnd + optSize <= limit;
  const bodyEnd = fits ? layout.keepEnd : layout.questionEnd;
  const out = Buffer.allocUnsafe(bodyEnd + optSize);
  message.copy(out, 0, 0, bodyEnd);
  questionWire.copy(out, HEADER);
  out.writeUInt16BE(context.id, 0);
  out.writeUInt16BE(
    QR |
      ((context.opcode & 0xf) << 11) |
      (reply.authoritative ? 0x400 : 0) |
      (layout.truncated || !fits ? TC : 0) |
      (context.rd ? 0x100 : 0) |
      (reply.recursionAvailable ? 0x80 : 0) |
      (message.readUInt16BE(2) & AD) |
      (context.cd ? 0x10 : 0) |
      (layout.rcode & 0xf),
    2,
  );
  if (!fits) out.fill(0, 6, 10);
  out.writeUInt16BE((fits ? layout.additionalKept : 0) + (edns === undefined ? 0 : 1), 10);
  if (edns !== undefined) {
    out[bodyEnd] = 0;
    out.writeUInt16BE(QTYPE.OPT, bodyEnd + 1);
    out.writeUInt16BE(OUR_UDP_SIZE, bodyEnd + 3);
    out[bodyEnd + 5] = layout.rcode >> 4;
    out[bodyEnd + 6] = 0;
    out.writeUInt16BE(edns.do ? DNSSEC_OK : 0, bodyEnd + 7);
    out.writeUInt16BE(0, bodyEnd + 9);
  }
  return out;
}

/** Whether the question at `at` in `message` is `question` (wire form) with ASCII letter case ignored in the name. */
export function sameQuestion(message: Buffer, at: number, question: Buffer): boolean {
  if (message.length < at + question.length) return false;
  const nameLength = question.length - 4;
  // Folding length bytes too is harmless: a label is at most 63 bytes, below 'A' (65).
  for (let i = 0; i < nameLength; i++) {
    if (foldCase(message[at + i]!) !== foldCase(question[i]!)) return false;
  }
  // Type and class are numbers, compared exactly: 0x41 there is a type byte, not an 'A'.
  return message.compare(question, nameLength, question.length, at + nameLength, at + question.length) === 0;
}

// The OPT record is the cut point: records after it (there should be none) go with it, which
// leaves every pointer of the kept part pointing into the kept part.
function layoutOf(message: Buffer): Layout | undefined {
  if (message.length < HEADER) return undefined;
  const flags = message.readUInt16BE(2);
  if (!(flags & QR) || message.readUInt16BE(4) !== 1) return undefined;
  let keepEnd = -1;
  let additionalKept = message.readUInt16BE(10);
  let extended = 0;
  let end = 0;
  try {
    walkRecords(message, (rr) => {
      if (rr.type === QTYPE.OPT && rr.section === SECTION.ADDITIONAL && keepEnd < 0) {
        keepEnd = rr.owner;
        additionalKept = rr.index;
        extended = message[rr.ttlAt]!;
      }
      end = rr.rdata + rr.rdlength;
    });
  } catch {
    return undefined;
  }
  const questionEnd = nameEnd(message, HEADER) + 4;
  return {
    questionEnd,
    rcode: (extended << 4) | (flags & 0xf),
    truncated: (flags & TC) !== 0,
    answerCount: message.readUInt16BE(6),
    keepEnd: keepEnd >= 0 ? keepEnd : Math.max(end, questionEnd),
    additionalKept,
  };
}
