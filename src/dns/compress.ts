// Domain names on the wire (RFC 1035 3.1 and 4.1.4): reading possibly compressed names safely,
// and writing names with compression. Compression matches suffixes byte for byte (a hash of each
// wire suffix finds a candidate, a byte comparison confirms it), so letter case survives and no
// suffix strings are built on the hot path.
//
// Text form: labels joined by '.', no trailing dot, '' for the root. A label byte that is '.',
// '\' or outside 0x21-0x7e is written '\.', '\\' or '\DDD' (RFC 4343), so a name read from the
// wire and written back gives the same bytes, and no label byte can pass for a label boundary.

const MAX_NAME = 255;
const MAX_LABEL = 63;
const HEADER = 12;
const POINTER_LIMIT = 0x4000;
const DOT = 0x2e;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const FNV_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const SLOTS = 4096;
// Half full at most, so probes stay short; later suffixes are then written out, still correct.
const MAX_TARGETS = SLOTS / 2;

/**
 * The offset just past the name at `offset`, or -1 when it is malformed: cut short, a label type
 * other than 00 or 11, over 255 bytes, or a pointer into the header or not strictly before the
 * labels that led to it (which rules out loops and forward pointers).
 */
export function nameEnd(buf: Uint8Array, offset: number): number {
  let pos = offset;
  let segment = offset;
  let length = 1;
  let end = -1;
  for (;;) {
    if (pos >= buf.length) return -1;
    const len = buf[pos];
    if (len === 0) return end < 0 ? pos + 1 : end;
    const kind = len & 0xc0;
    if (kind === 0) {
      length += len + 1;
      if (length > MAX_NAME) return -1;
      pos += len + 1;
    } else if (kind === 0xc0) {
      if (pos + 1 >= buf.length) return -1;
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      if (target < HEADER || target >= segment) return -1;
      if (end < 0) end = pos + 2;
      pos = segment = target;
    } else {
      return -1;
    }
  }
}

// Room for the longest escaped name: 255 wire bytes, each at most 4 characters ('\DDD').
const text = Buffer.allocUnsafe(4 * MAX_NAME);

/** The text form of the name at `offset`, which nameEnd must have accepted. */
export function nameText(buf: Uint8Array, offset: number): string {
  let pos = offset;
  let n = 0;
  for (;;) {
    const len = buf[pos];
    if (len === 0) return text.toString('latin1', 0, n);
    if (len >= 0xc0) {
      pos = ((len & 0x3f) << 8) | buf[pos + 1];
      continue;
    }
    if (n > 0) text[n++] = DOT;
    const end = pos + 1 + len;
    for (let i = pos + 1; i < end; i++) {
      const b = buf[i];
      if (b === DOT || b === BACKSLASH) {
        text[n++] = BACKSLASH;
        text[n++] = b;
      } else if (b < 0x21 || b > 0x7e) {
        text[n++] = BACKSLASH;
        text[n++] = ZERO + ((b / 100) | 0);
        text[n++] = ZERO + (((b / 10) | 0) % 10);
        text[n++] = ZERO + (b % 10);
      } else {
        text[n++] = b;
      }
    }
    pos = end;
  }
}

/**
 * Writes names into one message, remembering where each written suffix starts so later names can
 * point to it. One writer serves one message at a time: `reset()` before each.
 */
export class NameWriter {
  // Pointer targets: an open-addressed table from suffix hash to offset. A slot counts only when
  // its stamp is the current one, so reset() is one increment instead of clearing the table.
  private readonly keys = new Int32Array(SLOTS);
  private readonly offsets = new Int32Array(SLOTS);
  private readonly stamps = new Float64Array(SLOTS);
  private stamp = 1;
  private size = 0;
  private readonly starts = new Int32Array(MAX_NAME);
  private readonly hashes = new Int32Array(MAX_NAME);
  private count = 0;

  reset(): void {
    this.stamp++;
    this.size = 0;
  }

  /**
   * Writes `name` (text form) at `pos` and returns the offset just past it; at least 256 bytes
   * must be free there. With `compress`, the longest suffix already in the message becomes a
   * pointer; either way the suffixes written out become pointer targets.
   * Throws an Error for an empty label, a label over 63 bytes or a name over 255 bytes.
   */
  write(buf: Buffer, pos: number, name: string, compress: boolean): number {
    const end = this.writeLabels(buf, pos, name);
    this.hashSuffixes(buf);
    let cut = this.count;
    let target = 0;
    if (compress) {
      for (let k = 0; k < this.count; k++) {
        const t = this.find(this.hashes[k]);
        if (t >= 0 && sameSuffix(buf, this.starts[k], t)) {
          cut = k;
          target = t;
          break;
        }
      }
    }
    this.register(cut);
    if (cut === this.count) return end;
    const at = this.starts[cut];
    buf[at] = 0xc0 | (target >> 8);
    buf[at + 1] = target & 0xff;
    return at + 2;
  }

  /** Makes the uncompressed name already at `pos` (a question echoed verbatim) a pointer target. */
  remember(buf: Buffer, pos: number): void {
    let count = 0;
    for (let at = pos; buf[at] !== 0; at += buf[at] + 1) this.starts[count++] = at;
    this.count = count;
    this.hashSuffixes(buf);
    this.register(count);
  }

  private writeLabels(buf: Buffer, start: number, name: string): number {
    const length = name.length;
    let count = 0;
    let label = start;
    let pos = start + 1;
    for (let i = 0; i < length; i++) {
      let c = name.charCodeAt(i);
      if (c === DOT) {
        if (pos === label + 1) {
          if (length === 1) break;
          throw nameError(name, 'has an empty label');
        }
        buf[label] = pos - label - 1;
        this.starts[count++] = label;
        label = pos++;
        continue;
      }
      let decimal = false;
      if (c === BACKSLASH) {
        if (++i === length) throw nameError(name, 'ends in a lone backslash');
        c = name.charCodeAt(i);
        if (c >= ZERO && c <= ZERO + 9) {
          c = decimalEscape(name, i);
          decimal = true;
          i += 2;
        }
      }
      if (c > 0x7f && !decimal) throw nameError(name, 'has a character outside ASCII (write it as \\DDD)');
      if (pos - start >= MAX_NAME - 1) throw nameError(name, 'is longer than 255 bytes');
      if (pos - label > MAX_LABEL) throw nameError(name, 'has a label longer than 63 bytes');
      buf[pos++] = c;
    }
    this.count = count;
    // An empty last label is the root itself: the whole name was '' or '.', or it ended in a dot.
    if (pos === label + 1) {
      buf[label] = 0;
      return label + 1;
    }
    buf[label] = pos - label - 1;
    this.starts[this.count++] = label;
    buf[pos] = 0;
    return pos + 1;
  }

  // hashes[k] identifies the wire bytes of the suffix starting at label k, computed from the root up.
  private hashSuffixes(buf: Buffer): void {
    let h = FNV_BASIS;
    for (let k = this.count - 1; k >= 0; k--) {
      const s = this.starts[k];
      const e = s + buf[s] + 1;
      for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
      this.hashes[k] = h;
    }
  }

  private register(labels: number): void {
    for (let k = 0; k < labels && this.size < MAX_TARGETS; k++) {
      const at = this.starts[k];
      if (at >= POINTER_LIMIT) return;
      const hash = this.hashes[k];
      let slot = hash & (SLOTS - 1);
      while (this.stamps[slot] === this.stamp && this.keys[slot] !== hash) slot = (slot + 1) & (SLOTS - 1);
      if (this.stamps[slot] === this.stamp) continue;
      this.stamps[slot] = this.stamp;
      this.keys[slot] = hash;
      this.offsets[slot] = at;
      this.size++;
    }
  }

  private find(hash: number): number {
    for (let slot = hash & (SLOTS - 1); this.stamps[slot] === this.stamp; slot = (slot + 1) & (SLOTS - 1)) {
      if (this.keys[slot] === hash) return this.offsets[slot];
    }
    return -1;
  }
}

function decimalEscape(name: string, i: number): number {
  const d2 = name.charCodeAt(i + 1) - ZERO;
  const d3 = name.charCodeAt(i + 2) - ZERO;
  if (!(d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9)) throw nameError(name, 'has a \\DDD escape without three digits');
  const value = (name.charCodeAt(i) - ZERO) * 100 + d2 * 10 + d3;
  if (value > 255) throw nameError(name, 'has a \\DDD escape above 255');
  return value;
}

// `a` is an uncompressed suffix being written; `b` an earlier one, whose tail may be a pointer.
function sameSuffix(buf: Buffer, a: number, b: number): boolean {
  for (;;) {
    let lb = buf[b];
    while (lb >= 0xc0) {
      b = ((lb & 0x3f) << 8) | buf[b + 1];
      lb = buf[b];
    }
    const la = buf[a];
    if (la !== lb) return false;
    if (la === 0) return true;
    for (let i = 1; i <= la; i++) if (buf[a + i] !== buf[b + i]) return false;
    a += la + 1;
    b += la + 1;
  }
}

function nameError(name: string, problem: string): Error {
  return new Error(`domain name "${name}" ${problem}`);
}
