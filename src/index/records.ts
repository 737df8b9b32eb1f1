// The record model of the index: what one name answers, as plain DNS facts built at update time.
// Names inside records (SRV targets, glue owners, PTR targets) are relative to the cluster zone
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
}

/** A PTR fact: `ip` points at `target` (relative); a ClusterIP's PTR hides those of endpoints. */
export interface PtrRecord {
  readonly ip: string;
  readonly target: string;
  readonly clusterIP: boolean;
}

/** Records of a name below a service (`ep1a`, `_http._tcp`), labels leftmost first. */
export interface NamedRecords {
  readonly labels: readonly string[];
  readonly records: NameRecords;
}

/** Everything one service contributes to the index. */
export interface ServiceNames {
  /** The service's own name; undefined when it must not exist (its names below do not either). */
  readonly records: NameRecords | undefined;
  readonly below: readonly NamedRecords[];
  readonly ptr: readonly PtrRecord[];
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
