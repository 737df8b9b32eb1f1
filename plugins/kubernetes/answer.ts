// The answering side of `kubernetes`: plain synchronous reads of the index, no object ever
// parsed here. Every answer from a zone of the plugin is authoritative; negative ones carry the
// zone's SOA spelled as in the question. A name the index does not hold is NXDOMAIN (or, with
// `fallthrough`, the next plugin's business); a name it holds without the asked type is NODATA.
import {
  dashedToIP,
  ipFamily,
  isReverseName,
  isSubdomain,
  joinName,
  longestZone,
  reverseToIP,
  zoneAsAsked,
} from '../../src/dns/names.js';
import { authoritative, refused } from '../../src/dns/reply.js';
import { QTYPE, RCODE, type Reply } from '../../src/dns/types.js';
import type { ClusterIndex } from '../../src/index/cluster-index.js';
import type { NameRecords } from '../../src/index/records.js';
import type { Next, Query } from '../../src/plugin.js';
import type { AnswerMemo } from './answer-memo.js';
import { chaseCname } from './chase.js';
import type { KubernetesOptions } from './options.js';
import { nsRecords, recordsOfType, soaRecord, type Found } from './rrset.js';

/** What the handler reads: its options and, per query, the current index. */
export interface KubernetesData {
  readonly options: KubernetesOptions;
  readonly store: { readonly synced: boolean; readonly index: ClusterIndex };
  /** Answers already given under the current index generation. */
  readonly memo: Pick<AnswerMemo, 'get' | 'keep' | 'soa'>;
}

/** Outcome of a lookup: records (possibly none, i.e. NODATA), or undefined for NXDOMAIN. */
type Lookup = Found | undefined;

const NODATA: Found = { answers: [], additional: [] };

export function answer(k: KubernetesData, q: Query, next: Next): Reply | Promise<Reply> {
  const index = k.store.index;
  const kept = k.memo.get(q, index.generation);
  if (kept !== undefined) return kept;
  const zone = longestZone(k.options.zones, q.lname);
  if (zone === undefined) return next(q);
  const asked = zoneAsAsked(q.name, zone);
  if (!k.store.synced) return negative(k, asked, RCODE.SERVFAIL);
  if (q.qtype === QTYPE.AXFR || q.qtype === QTYPE.IXFR) return refused();

  const end = zone === '' ? q.lname.length : q.lname.length - zone.length - 1;
  let found: Lookup;
  if (end <= 0) found = apex(k, q, asked, index);
  else if (isReverseName(q.lname)) found = reverse(k, q, index);
  else {
    const node = index.find(q.lname, 0, end);
    const records = node?.records;
    if (records?.cname !== undefined && q.qtype !== QTYPE.CNAME) {
      return chaseCname(k.options.zones, index, q, next, records.ttl, records.cname);
    }
    found = !node ? pod(k, q, end, index) : records ? forward(q, records, asked) : NODATA;
  }

  if (found === undefined) {
    if (k.options.fallthrough?.some((z) => isSubdomain(q.lname, z))) return next(q);
    return k.memo.keep(q, negative(k, asked, RCODE.NXDOMAIN));
  }
  if (found.answers.length === 0) return k.memo.keep(q, negative(k, asked, RCODE.NOERROR));
  return k.memo.keep(q, authoritative(RCODE.NOERROR, found.answers, [], found.additional));
}

/** A negative answer from the zone spelled `asked`: its SOA in the authority section. */
function negative(k: KubernetesData, asked: string, rcode: number): Reply {
  const serial = k.store.index.modified;
  return authoritative(rcode, [], [k.memo.soa(asked, (zone) => soaRecord(zone, k.options.ttl, serial))]);
}

function apex(k: KubernetesData, q: Query, asked: string, index: ClusterIndex): Lookup {
  if (q.qtype === QTYPE.SOA) return { answers: [soaRecord(asked, k.options.ttl, index.modified)], additional: [] };
  if (q.qtype === QTYPE.NS) return nsRecords(asked, k.options.ttl, index.nameserver);
  return NODATA;
}

function forward(q: Query, records: NameRecords, asked: string): Lookup {
  if (q.qtype === QTYPE.CNAME && records.cname !== undefined) {
    return { answers: [{ name: q.name, type: 'CNAME', ttl: records.ttl, data: records.cname }], additional: [] };
  }
  return recordsOfType(q.name, records, q.qtype, asked);
}

/** `<dashed-ip>.<ns>.pod.<zone>`: made up from the label (insecure) or checked against the namespace's pods (verified). */
function pod(k: KubernetesData, q: Query, end: number, index: ClusterIndex): Lookup {
  if (k.options.pods === 'disabled') return undefined;
  const dot = q.lname.indexOf('.');
  if (dot <= 0 || dot >= end) return undefined;
  const pods = index.find(q.lname, dot + 1, end)?.pods;
  if (!pods) return undefined;
  const ip = dashedToIP(q.lname.slice(0, dot));
  if (ip === undefined || (k.options.pods === 'verified' && !pods.has(ip))) return undefined;
  const type = ipFamily(ip) === 4 ? 'A' : 'AAAA';
  if (q.qtype !== QTYPE[type]) return NODATA;
  return { answers: [{ name: q.name, type, ttl: k.options.ttl, data: ip }], additional: [] };
}

/** PTR of a known address, its target written in the plugin's first forward zone. */
function reverse(k: KubernetesData, q: Query, index: ClusterIndex): Lookup {
  const ip = reverseToIP(q.lname);
  const targets = ip === undefined ? undefined : index.ptrTargets(ip);
  if (!targets) return undefined;
  if (q.qtype !== QTYPE.PTR) return NODATA;
  const ttl = k.options.ttl;
  return {
    answers: targets.map((t) => ({ name: q.name, type: 'PTR', ttl, data: joinName(t, k.options.primaryZone) })),
    additional: [],
  };
}
