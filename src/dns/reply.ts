// Reply constructors: every plugin builds its answer through these, so flags are set in one place.
import { RCODE, type Reply, type RR } from './types.js';

export function reply(rcode: number, answers: RR[] = [], authority: RR[] = [], additional: RR[] = []): Reply {
  return { rcode, authoritative: false, recursionAvailable: false, truncated: false, answers, authority, additional };
}

/** An authoritative reply (AA=1), as the cluster zone gives for positive and negative answers alike. */
export function authoritative(rcode: number, answers: RR[], authority: RR[] = [], additional: RR[] = []): Reply {
  const r = reply(rcode, answers, authority, additional);
  r.authoritative = true;
  return r;
}

export function errorReply(rcode: number): Reply {
  return reply(rcode);
}

export const refused = (): Reply => errorReply(RCODE.REFUSED);
export const servfail = (): Reply => errorReply(RCODE.SERVFAIL);
