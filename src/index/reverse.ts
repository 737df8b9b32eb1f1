// The reverse map: address → PTR targets. Each owner (a service) states its PTR facts whole, and
// the answer for every address it touches is recomputed at once, so a lookup is one map read.
// Rules applied here: a ClusterIP's target hides endpoint targets of the same address; targets
// are de-duplicated (the same address in two slices of one service gives one PTR).
import type { PtrRecord } from './records.js';

/** A PTR fact and who stated it. */
interface Stated {
  readonly owner: string;
  readonly record: PtrRecord;
}

export class PtrMap {
  private readonly byOwner = new Map<string, readonly PtrRecord[]>();
  private readonly byIP = new Map<string, Stated[]>();
  private readonly answers = new Map<string, readonly string[]>();

  /** The targets of `ip` (canonical form), sorted; undefined when it has none. */
  targets(ip: string): readonly string[] | undefined {
    return this.answers.get(ip);
  }

  /** Replaces everything `owner` said before with `records` (an empty list withdraws it). */
  set(owner: string, records: readonly PtrRecord[]): void {
    const touched = new Set<string>();
    for (const r of this.byOwner.get(owner) ?? []) {
      if (touched.has(r.ip)) continue;
      touched.add(r.ip);
      const left = this.byIP.get(r.ip)!.filter((s) => s.owner !== owner);
      if (left.length > 0) this.byIP.set(r.ip, left);
      else this.byIP.delete(r.ip);
    }
    if (records.length > 0) this.byOwner.set(owner, records);
    else this.byOwner.delete(owner);
    for (const record of records) {
      touched.add(record.ip);
      const stated = this.byIP.get(record.ip);
      if (stated) stated.push({ owner, record });
      else this.byIP.set(record.ip, [{ owner, record }]);
    }
    for (const ip of touched) this.recompute(ip);
  }

  private recompute(ip: string): void {
    const stated = this.byIP.get(ip);
    if (!stated) {
      this.answers.delete(ip);
      return;
    }
    if (stated.length === 1) {
      this.answers.set(ip, [stated[0]!.record.target]);
      return;
    }
    const clusterIPs = stated.filter((s) => s.record.clusterIP);
    const chosen = clusterIPs.length > 0 ? clusterIPs : stated;
    this.answers.set(ip, [...new Set(chosen.map((s) => s.record.target))].sort());
  }
}
