// The reverse map: address → the services that have a PTR for it. Design decision: the map keeps
// owners, not targets; a PTR question asks each owner of the address for its targets, so an
// address costs one entry whatever its names. Rules applied on the way out: a ClusterIP's target
// hides endpoint targets of the same address; targets are de-duplicated (the same address in two
// slices of one service gives one PTR) and sorted.
//
// IPv4 addresses, hundreds of thousands of them in a large cluster, are held compactly: a sorted
// Uint32Array of addresses beside an array of their owners (12 bytes an address, where a Map
// costs 20 and doubles its table as it grows), found by binary search; changes since the arrays
// were built go to a small Map in front of them, merged in once it holds an eighth as many
// addresses. A bulk load (the first build of a cluster) only notes its adds, and sorts and
// merges them once at its end.
import { toAddress, type Address } from './address.js';

/** A holder of PTR facts: the addresses it covers, and its targets for one of them. */
export interface PtrOwner {
  ptrAddresses(): readonly Address[];
  /** Adds the owner's targets of `address` to `out`; true when they are ClusterIP targets. */
  ptrTargets(address: Address, out: string[]): boolean;
}

/** One owner (the common case) or several. */
type Owners = PtrOwner | readonly PtrOwner[];

/** Changes in front of the sorted arrays are merged in at this many, or an eighth of the arrays. */
const MIN_MERGE = 4096;
/** Adds noted by a bulk load are sorted as address × PAIRS + position: exact in a double up to 2³² × 2²¹. */
const PAIRS = 2 ** 21;

export class PtrMap {
  private sortedV4 = new Uint32Array(0);
  private ownersV4: readonly Owners[] = [];
  /** IPv4 changes not merged yet; null: the address has no owner any more. */
  private readonly recentV4 = new Map<number, Owners | null>();
  private readonly v6 = new Map<string, Owners>();
  private v4Count = 0;
  /** During a bulk load, its IPv4 adds not applied yet: address and owner, side by side. */
  private noted: { addresses: number[]; owners: PtrOwner[] } | undefined;

  /** How many addresses have a PTR. */
  get size(): number {
    this.applyNoted();
    return this.v4Count + this.v6.size;
  }

  /** The targets of `ip`, sorted; undefined when it has none. */
  targets(ip: string): readonly string[] | undefined {
    const address = toAddress(ip);
    const held = address === undefined ? undefined : this.get(address);
    if (held === undefined) return undefined;
    const cluster: string[] = [];
    const endpoints: string[] = [];
    for (const owner of Array.isArray(held) ? held : [held]) {
      const out: string[] = [];
      (owner.ptrTargets(address!, out) ? cluster : endpoints).push(...out);
    }
    const chosen = cluster.length > 0 ? cluster : endpoints;
    return chosen.length === 1 ? chosen : [...new Set(chosen)].sort();
  }

  add(owner: PtrOwner): void {
    for (const address of owner.ptrAddresses()) {
      if (this.noted && typeof address === 'number') {
        this.noted.addresses.push(address);
        this.noted.owners.push(owner);
        if (this.noted.addresses.length === PAIRS) this.applyNoted();
        continue;
      }
      const held = this.get(address);
      const owners = withOwner(held, owner);
      if (owners !== held) this.set(address, owners, held !== undefined);
    }
    this.mergeWhenDue();
  }

  remove(owner: PtrOwner): void {
    for (const address of owner.ptrAddresses()) {
      const held = this.get(address);
      if (held === owner) this.set(address, undefined, true);
      else if (Array.isArray(held)) {
        const left = held.filter((o) => o !== owner);
        if (left.length < held.length) this.set(address, left.length === 1 ? left[0]! : left, true);
      }
    }
    this.mergeWhenDue();
  }

  /** Runs `load` (many adds, as a first build makes) with its IPv4 adds applied in one merge at its end. */
  bulk(load: () => void): void {
    this.noted ??= { addresses: [], owners: [] };
    try {
      load();
    } finally {
      this.applyNoted();
      this.noted = undefined;
    }
  }

  private get(address: Address): Owners | undefined {
    if (typeof address === 'string') return this.v6.get(address);
    this.applyNoted();
    const recent = this.recentV4.get(address);
    if (recent !== undefined) return recent ?? undefined;
    const at = this.find(address);
    return at < 0 ? undefined : this.ownersV4[at];
  }

  /** Gives `address` its new owners (none when undefined); `had`: whether it had some. */
  private set(address: Address, owners: Owners | undefined, had: boolean): void {
    if (typeof address === 'string') {
      if (owners === undefined) this.v6.delete(address);
      else this.v6.set(address, owners);
      return;
    }
    this.v4Count += (owners !== undefined ? 1 : 0) - (had ? 1 : 0);
    this.recentV4.set(address, owners ?? null);
  }

  /** The position of `address` in the sorted arrays; -1 when it is not there. */
  private find(address: number): number {
    const sorted = this.sortedV4;
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = sorted[mid]!;
      if (at === address) return mid;
      if (at < address) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  private mergeWhenDue(): void {
    if (!this.noted && this.recentV4.size >= Math.max(MIN_MERGE, this.sortedV4.length >>> 3)) this.mergeRecent();
  }

  private mergeRecent(): void {
    const changed = Uint32Array.from(this.recentV4.keys()).sort();
    const owners = Array.from(changed, (address) => this.recentV4.get(address)!);
    this.recentV4.clear();
    this.merge(changed, owners);
  }

  /** Sorts the noted adds, joins them with what their addresses had, and merges them in. */
  private applyNoted(): void {
    const noted = this.noted;
    if (noted === undefined || noted.addresses.length === 0) return;
    const { addresses, owners } = noted;
    this.noted = { addresses: [], owners: [] };
    if (this.recentV4.size > 0) this.mergeRecent();
    const order = Float64Array.from(addresses, (address, i) => address * PAIRS + i).sort();
    const changed: number[] = [];
    const changedOwners: Owners[] = [];
    let last = -1;
    for (const key of order) {
      const address = Math.floor(key / PAIRS);
      const i = key - address * PAIRS;
      if (address !== last) {
        const at = this.find(address);
        changed.push(address);
        changedOwners.push(withOwner(at < 0 ? undefined : this.ownersV4[at], owners[i]!));
        last = address;
      } else {
        changedOwners[changedOwners.length - 1] = withOwner(changedOwners[changedOwners.length - 1], owners[i]!);
      }
    }
    this.merge(Uint32Array.from(changed), changedOwners);
  }

  /**
   * Builds the sorted arrays again from what they hold and `changed` (sorted, each address once)
   * with their new owners (null: none); exact lengths.
   */
  private merge(changed: Uint32Array, changedOwners: readonly (Owners | null)[]): void {
    const { sortedV4: old, ownersV4: oldOwners } = this;
    const sorted = new Uint32Array(old.length + changed.length);
    const owners: Owners[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < changed.length) {
      let address: number;
      let held: Owners | null | undefined;
      if (j >= changed.length || (i < old.length && old[i]! < changed[j]!)) {
        address = old[i]!;
        held = oldOwners[i++];
      } else {
        address = changed[j]!;
        held = changedOwners[j++];
        if (i < old.length && old[i] === address) i++;
      }
      if (held) {
        sorted[owners.length] = address;
        owners.push(held);
      }
    }
    this.sortedV4 = sorted.slice(0, owners.length);
    // A copy at its exact length: the pushed array keeps spare room.
    this.ownersV4 = owners.slice();
    this.v4Count = owners.length;
  }
}

/** `held` with `owner` among them; `held` itself when it is there already. */
function withOwner(held: Owners | undefined, owner: PtrOwner): Owners {
  if (held === undefined) return owner;
  // concat, not push: a pushed array keeps room for 16 more owners, per address.
  if (Array.isArray(held)) return held.includes(owner) ? held : held.concat(owner);
  return held === owner ? held : [held as PtrOwner, owner];
}
