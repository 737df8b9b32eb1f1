// Following an ExternalName's CNAME for any type other than CNAME (RFC 1034 §3.6.2): targets in
// a zone of this plugin are read from the index; the first target outside them is asked of the
// rest of the chain (`next`, normally forward) and its answer appended, TC included; from a relayed
// upstream message only the records our Reply model can carry are taken. The chain is bounded and
// stops at a loop. Every CNAME comes before the records of its target.
import { isReverseName, longestZone } from '../../src/dns/names.js';
import { authoritative } from '../../src/dns/reply.js';
import { CLASS, RCODE, type Reply, type RR, type RRType } from '../../src/dns/types.js';
import { decodeMessage } from '../../src/dns/wire.js';
import type { ClusterIndex } from '../../src/index/cluster-index.js';
import type { Next, Query } from '../../src/plugin.js';
import { recordsOfType } from './rrset.js';

const MAX_CHAIN = 8;

export function chaseCname(
  zones: readonly string[],
  index: ClusterIndex,
  q: Query,
  next: Next,
  ttl: number,
  first: string,
): Reply | Promise<Reply> {
  const answers: RR[] = [{ name: q.name, type: 'CNAME', ttl, data: first }];
  const additional: RR[] = [];
  const seen = new Set([q.lname]);
  let target = first;
  for (let hop = 0; hop < MAX_CHAIN && !seen.has(target); hop++) {
    seen.add(target);
    const zone = longestZone(zones, target);
    if (zone === undefined || isReverseName(zone)) return upstream(q, next, target, answers);
    const end = zone === '' ? target.length : target.length - zone.length - 1;
    const records = end > 0 ? index.find(target, 0, end)?.records : undefined;
    if (!records) break;
    if (records.cname !== undefined) {
      answers.push({ name: target, type: 'CNAME', ttl: records.ttl, data: records.cname });
      target = records.cname;
      continue;
    }
    const found = recordsOfType(target, records, q.qtype, zone);
    answers.push(...found.answers);
    additional.push(...found.additional);
    break;
  }
  return authoritative(RCODE.NOERROR, answers, [], additional);
}

/** Asks the rest of the chain for `target`; when that fails the CNAMEs alone are the answer. */
async function upstream(q: Query, next: Next, target: string, answers: RR[]): Promise<Reply> {
  let r: Reply;
  let found: RR[];
  try {
    r = await next(questionFor(q, target));
    found = answersOf(r);
  } catch {
    return authoritative(RCODE.NOERROR, answers);
  }
  if (r.rcode !== RCODE.NOERROR && r.rcode !== RCODE.NXDOMAIN) return authoritative(RCODE.NOERROR, answers);
  const merged = authoritative(r.rcode, [...answers, ...found]);
  merged.truncated = r.truncated;
  return merged;
}

const MODELLED = new Set<string>(['A', 'AAAA', 'CNAME', 'PTR', 'NS', 'SRV', 'SOA', 'TXT'] satisfies RRType[]);

/** The answer records of a reply; of a relayed message, those of the types RR models (others are dropped). */
function answersOf(r: Reply): RR[] {
  if (!r.relayed) return r.answers;
  return decodeMessage(r.relayed.message)
    .answers.filter((rr) => rr.class === CLASS.IN && MODELLED.has(rr.type))
    .map((rr) => ({ name: rr.name, type: rr.type, ttl: rr.ttl, data: rr.data }) as RR);
}

/** The same question for another name, as if the client had asked it. */
function questionFor(q: Query, name: string): Query {
  return {
    ...q,
    request: { ...q.request, name, questionWire: questionWire(name, q.qtype, q.request.qclass) },
    name,
    lname: name,
  };
}

function questionWire(name: string, qtype: number, qclass: number): Buffer {
  const labels = name === '' ? [] : name.split('.');
  const parts = labels.map((l) => {
    const bytes = Buffer.from(l, 'ascii');
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(qtype, 1);
  tail.writeUInt16BE(qclass, 3);
  return Buffer.concat([...parts, tail]);
}
