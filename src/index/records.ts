// The record model of the index: what one name answers. Fixed names hold plain record sets built
// at update time; the names of a service derive theirs from its compact facts (service.ts). Names
// inside records (SRV targets, glue owners, PTR targets) are relative to the cluster zone
// and lower-case, because one index serves every cluster zone of a plugin: the answering side
// completes them with the zone as the client spelled it. Owners are not stored at all: an
// answer's owner is the question name.

export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** Relative to the cluster zone. */
  readonly target: string;
}

/** An address of an SRV target, for the additional section. */
export interface GlueRecord {
  /** Relative to the cluster zone. */
  readonly name: string;
  readonly type: 'A' | 'AAAA';
  readonly address: string;
}

export interface NameRecords {
  readonly ttl: number;
  readonly a: readonly string[];
  readonly aaaa: readonly string[];
  readonly srv: readonly SrvRecord[];
  readonly glue: readonly GlueRecord[];
  /** An ExternalName's target: absolute, lower-case. A name with a CNAME has no other records. */
  readonly cname: string | undefined;
  /** One TXT record's strings. */
  readonly txt: readonly string[] | undefined;
  /** The names below this one, when these records derive them instead of the tree holding them. */
  below?(name: string, start: number, end: number): IndexEntry | undefined;
}

/** What a lookup finds at a name that exists: its records (none for an empty non-terminal) and, for `<ns>.pod`, the pod addresses. */
export interface IndexEntry {
  readonly records: NameRecords | undefined;
  readonly pods: ReadonlyMap<string, number> | undefined;
}

const NONE: readonly never[] = Object.freeze([]);

/** A record set with only the given fields filled; the others share one frozen empty list. */
export function nameRecords(ttl: number, fields: Partial<Omit<NameRecords, 'ttl'>>): NameRecords {
  // One object shape for every name, written out rather than spread, so V8 keeps it a fast object.
  return {
    ttl,
    a: fields.a ?? NONE,
    aaaa: fields.aaaa ?? NONE,
    srv: fields.srv ?? NONE,
    glue: fields.glue ?? NONE,
    cname: fields.cname,
    txt: fields.txt,
  };
}
