// Helpers of the upstream tests: a query for a name, and the decoded A records of an answer.
import { decodeMessage } from '../../src/dns/wire.js';
import { QTYPE } from '../../src/dns/types.js';
import type { RR } from '../../src/dns/types.js';
import { questionWire, type UpstreamQuery } from '../../src/upstream/query.js';

export function aQuery(name: string): UpstreamQuery {
  return { question: questionWire(name, QTYPE.A), rd: true, cd: false, dnssecOk: false };
}

export function aRecord(data: string): RR {
  return { name: '', type: 'A', ttl: 60, data };
}

/** The answer's A records' addresses. */
export function addresses(answer: Buffer): string[] {
  return decodeMessage(answer).answers.map((rr) => String(rr.data));
}
