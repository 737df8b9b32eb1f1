// Hand-built DNS messages for the codec tests: exact bytes, including the malformed ones no
// encoder would produce.

export interface HeaderFields {
  id?: number;
  qr?: boolean;
  opcode?: number;
  rd?: boolean;
  z?: boolean;
  cd?: boolean;
  qd?: number;
  an?: number;
  ns?: number;
  ar?: number;
}

export function header(h: HeaderFields = {}): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(h.id ?? 0x1234, 0);
  b.writeUInt16BE(
    (h.qr ? 0x8000 : 0) | ((h.opcode ?? 0) << 11) | (h.rd ?? true ? 0x100 : 0) | (h.z ? 0x40 : 0) | (h.cd ? 0x10 : 0),
    2,
  );
  b.writeUInt16BE(h.qd ?? 1, 4);
  b.writeUInt16BE(h.an ?? 0, 6);
  b.writeUInt16BE(h.ns ?? 0, 8);
  b.writeUInt16BE(h.ar ?? 0, 10);
  return b;
}

/** A name from its labels, uncompressed; each label is taken as raw bytes. */
export function labels(...parts: (string | Buffer)[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
    out.push(Buffer.from([bytes.length]), bytes);
  }
  out.push(Buffer.from([0]));
  return Buffer.concat(out);
}

export function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return b;
}

export function question(name: Buffer, type = 1, qclass = 1): Buffer {
  return Buffer.concat([name, u16(type, qclass)]);
}

/** An OPT pseudo-record (RFC 6891 6.1.2) with an empty rdata unless one is given. */
export function opt(o: { udpSize?: number; extendedRcode?: number; version?: number; do?: boolean; owner?: Buffer; rdata?: Buffer } = {}): Buffer {
  const rdata = o.rdata ?? Buffer.alloc(0);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(41, 0);
  fixed.writeUInt16BE(o.udpSize ?? 1232, 2);
  fixed[4] = o.extendedRcode ?? 0;
  fixed[5] = o.version ?? 0;
  fixed.writeUInt16BE(o.do ? 0x8000 : 0, 6);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([o.owner ?? Buffer.from([0]), fixed, rdata]);
}

/** Any resource record, with the rdata given as bytes. */
export function record(owner: Buffer, type: number, rdata: Buffer, ttl = 60, rclass = 1): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(rclass, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

export function pointer(offset: number): Buffer {
  return u16(0xc000 | offset);
}

export function message(h: HeaderFields, ...sections: Buffer[]): Buffer {
  return Buffer.concat([header(h), ...sections]);
}
