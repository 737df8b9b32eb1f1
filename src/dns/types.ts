// The DNS message model every module speaks. Names are written without the trailing dot
// (the root is ''), letter case as received; records follow dns-packet's shapes so that rare
// types can be handed to it, while the wire codec in src/dns/wire.ts does the work for ours.

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

export const OPCODE = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;

export const CLASS = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

export const QTYPE = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, AAAA: 28, SRV: 33,
  OPT: 41, SVCB: 64, HTTPS: 65, IXFR: 251, AXFR: 252, ANY: 255, CAA: 257,
} as const;

export interface SrvData { priority: number; weight: number; port: number; target: string }
export interface SoaData {
  mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number;
}

interface RRBase { name: string; ttl: number }
export type RR =
  | (RRBase & { type: 'A' | 'AAAA'; data: string })
  | (RRBase & { type: 'CNAME' | 'PTR' | 'NS'; data: string })
  | (RRBase & { type: 'SRV'; data: SrvData })
  | (RRBase & { type: 'SOA'; data: SoaData })
  | (RRBase & { type: 'TXT'; data: string[] });

export type RRType = RR['type'];

/** EDNS0 facts of a request (RFC 6891), present only when the request carried an OPT record. */
export interface Edns {
  udpSize: number;
  version: number;
  do: boolean;
}

/** A request as the server accepted it: exactly one question, header already validated. */
export interface Request {
  id: number;
  opcode: number;
  rd: boolean;
  cd: boolean;
  /** Question name exactly as received (letter case kept), no trailing dot, '' for the root. */
  name: string;
  qtype: number;
  qclass: number;
  edns: Edns | undefined;
  /** The question section's bytes as received, echoed verbatim in the reply (RFC 1035 case, 0x20). */
  questionWire: Buffer;
}

/** What a plugin answers; the server turns it into wire bytes once. */
export interface Reply {
  rcode: number;
  authoritative: boolean;
  recursionAvailable: boolean;
  truncated: boolean;
  answers: RR[];
  authority: RR[];
  additional: RR[];
  /**
   * A whole message that came from elsewhere (an upstream, the cache), relayed instead of the
   * record arrays above, which stay empty: the encoder patches ID, question case and flags into a
   * copy and fits it to the client's size limit. `answerCount` is its ANCOUNT (for response
   * classes); `rcode`, `truncated` and the flags above describe it too.
   */
  relayed?: { message: Buffer; answerCount: number };
}
