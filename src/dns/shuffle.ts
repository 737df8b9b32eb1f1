// Random order of the addresses in a relayed message (an upstream's reply), for loadbalance.
// Design decision: records never move; only the rdata of answer-section A (or AAAA) records with
// the same owner is permuted among them. Addresses have a fixed size and hold no names, so every
// compression pointer of the message stays valid. MX is left in order: its rdata is a name.
import { QTYPE } from './types.js';
import { SECTION, sameName, walkRecords } from './walk.js';

interface AddressSet {
  type: number;
  owner: number;
  rdata: number[];
}

/**
 * `message` with the addresses of each owner's A and AAAA set in random order (a copy), or
 * `message` itself when no set has two addresses. Throws an Error when it is malformed.
 */
export function shuffleAddresses(message: Buffer, random: () => number = Math.random): Buffer {
  const sets: AddressSet[] = [];
  walkRecords(message, (rr) => {
    if (rr.section !== SECTION.ANSWER || rr.rdlength !== addressSize(rr.type)) return;
    const set = sets.find((s) => s.type === rr.type && sameName(message, s.owner, rr.owner));
    if (set) set.rdata.push(rr.rdata);
    else sets.push({ type: rr.type, owner: rr.owner, rdata: [rr.rdata] });
  });
  if (!sets.some((s) => s.rdata.length > 1)) return message;
  const copy = Buffer.from(message);
  for (const set of sets) {
    const size = addressSize(set.type);
    const order = permutation(set.rdata.length, random);
    for (let i = 0; i < order.length; i++) {
      const from = set.rdata[order[i]!]!;
      message.copy(copy, set.rdata[i]!, from, from + size);
    }
  }
  return copy;
}

// The rdata size of an address record; -1, which no rdata length equals, for other types.
function addressSize(type: number): number {
  if (type === QTYPE.A) return 4;
  return type === QTYPE.AAAA ? 16 : -1;
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
