// Replies a plugin hands out again and again (kubernetes: the same question under the same index
// generation) are encoded once per EDNS form and copied after that: each use patches in the
// request's ID, opcode, RD and CD, which are all that differ between two requests with the same
// question bytes. Design decision: the kept bytes live beside the Reply in a WeakMap, not on it,
// because plugins copy replies with spread (the cache re-stamping TTLs) and a copied field would
// carry bytes that no longer match. Only a reply that fits in 512 bytes untruncated is kept: it
// then fits every limit a client can have, so what is sent never depends on who asks. Kept bytes
// are copied into shared 64 KB slabs: a Buffer from Node's pool would pin an 8 KB pool chunk each.
import type { ReplyContext } from './decode-request.js';
import { encodeReply } from './encode-reply.js';
import type { Reply } from './types.js';

const SMALLEST_LIMIT = 512;
const TC = 0x02;
/** Header byte 2 bits taken from the request: opcode and RD. */
const REQUEST_BITS_2 = 0x79;
/** Header byte 3 bit taken from the request: CD. */
const CD = 0x10;

/** The wire forms of a reusable reply: without EDNS, with EDNS, with EDNS and DO. */
type Forms = [Buffer | undefined, Buffer | undefined, Buffer | undefined];

const kept = new WeakMap<Reply, Forms>();

const SLAB_SIZE = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
let slabUsed = 0;

/** A copy of `wire` in the current slab; the slab is garbage once no kept copy in it is reachable. */
function keepCopy(wire: Buffer): Buffer {
  if (slabUsed + wire.length > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabUsed = 0;
  }
  const copy = slab.subarray(slabUsed, slabUsed + wire.length);
  wire.copy(copy);
  slabUsed += wire.length;
  return copy;
}

/**
 * Marks `reply` as one its plugin will return again, unchanged, only for requests whose question
 * bytes are the same as this one's; returns it.
 */
export function reusable(reply: Reply): Reply {
  kept.set(reply, [undefined, undefined, undefined]);
  return reply;
}

/** `encodeReply`, from the kept bytes when `reply` is reusable and has been encoded in this EDNS form. */
export function encodeReusing(context: ReplyContext, reply: Reply, limit: number): Buffer {
  const forms = kept.get(reply);
  if (forms === undefined) return encodeReply(context, reply, limit);
  const form = context.edns === undefined ? 0 : context.edns.do ? 2 : 1;
  const wire = forms[form];
  if (wire === undefined) {
    const fresh = encodeReply(context, reply, limit);
    if (fresh.length <= SMALLEST_LIMIT && (fresh[2]! & TC) === 0) forms[form] = keepCopy(fresh);
    return fresh;
  }
  const out = Buffer.allocUnsafe(wire.length);
  wire.copy(out);
  out.writeUInt16BE(context.id, 0);
  out[2] = (wire[2]! & ~REQUEST_BITS_2) | ((context.opcode & 0xf) << 3) | (context.rd ? 1 : 0);
  out[3] = (wire[3]! & ~CD) | (context.cd ? CD : 0);
  return out;
}
