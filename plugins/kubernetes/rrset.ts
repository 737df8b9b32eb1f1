// Turns the index's record sets into resource records for one question. The owner of answer
// records is the question name exactly as asked; every other name (SRV targets, glue owners,
// the SOA's names) is the index's lower-case relative name completed with the zone as the
// client spelled it.
import { joinName } from '../../src/dns/names.js';
import { QTYPE, type RR } from '../../src/dns/types.js';
import type { NameRecords } from '../../src/index/records.js';

/** The records of `type` at a name: answer and additional sections (empty answer = no data). */
export interface Found {
  answers: RR[];
  additional: RR[];
}

const NONE: Found = { answers: [], additional: [] };
const SOA_TTL_CAP = 300;

export function recordsOfType(owner: string, records: NameRecords, qtype: number, zone: string): Found {
  const ttl = records.ttl;
  switch (qtype) {
    case QTYPE.A:
      return { answers: records.a.map((data) => ({ name: owner, type: 'A', ttl, data })), additional: [] };
    case QTYPE.AAAA:
      return { answers: records.aaaa.map((data) => ({ name: owner, type: 'AAAA', ttl, data })), additional: [] };
    case QTYPE.SRV:
      return {
        answers: records.srv.map((s) => ({ name: owner, type: 'SRV', ttl, data: { ...s, target: joinName(s.target, zone) } })),
        additional: records.glue.map((g) => ({ name: joinName(g.name, zone), type: g.type, ttl, data: g.address })),
      };
    case QTYPE.TXT:
      return records.txt ? { answers: [{ name: owner, type: 'TXT', ttl, data: [...records.txt] }], additional: [] } : NONE;
    default:
      return NONE;
  }
}

/** The zone's SOA: owner TTL min(T, 300), negative-caching TTL (minimum) T, serial from the index. */
export function soaRecord(zone: string, ttl: number, serial: number): RR {
  return {
    name: zone,
    type: 'SOA',
    ttl: Math.min(ttl, SOA_TTL_CAP),
    data: {
      mname: joinName('ns.dns', zone),
      rname: joinName('hostmaster', zone),
      serial,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  };
}

/** The apex NS record, naming `ns.dns.<zone>`, with that name's addresses as glue. */
export function nsRecords(zone: string, ttl: number, nameserver: NameRecords): Found {
  const host = joinName('ns.dns', zone);
  return {
    answers: [{ name: zone, type: 'NS', ttl, data: host }],
    additional: [
      ...recordsOfType(host, nameserver, QTYPE.A, zone).answers,
      ...recordsOfType(host, nameserver, QTYPE.AAAA, zone).answers,
    ],
  };
}
