// Response classes as CoreDNS names them (log's `class`, later the cache's success/denial split).
import { RCODE, type Reply } from './types.js';

export type ResponseClass = 'success' | 'denial' | 'error';

export function classify(reply: Reply): ResponseClass {
  if (reply.rcode === RCODE.NXDOMAIN) return 'denial';
  if (reply.rcode !== RCODE.NOERROR) return 'error';
  return (reply.relayed?.answerCount ?? reply.answers.length) === 0 ? 'denial' : 'success';
}

const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
  6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS',
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}
