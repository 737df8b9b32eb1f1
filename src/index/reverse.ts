// The reverse map: address → the services that have a PTR for it. Design decision: the map keeps
// owners, not targets; a PTR question asks each owner of the address for its targets, so an
// address costs one map entry whatever its names. Rules applied on the way out: a ClusterIP's
// target hides endpoint targets of the same address; targets are de-duplicated (the same address
// in two slices of one service gives one PTR) and sorted.
import { toAddress, type Address } from './address.js';

/** A holder of PTR facts: the addresses it covers, and its targets for one of them. */
export interface PtrOwner {
  ptrAddresses(): readonly Address[];
  /** Adds the owner's targets of `address` to `out`; true when they are ClusterIP targets. */
  ptrTargets(address: Address, out: string[]): boolean;
}

export class PtrMap {
  /** One owner (the common case) or several. */
  private readonly owners = new Map<Address, PtrOwner | PtrOwner[]>();

  /** How many addresses have a PTR. */
  get size(): number {
    return this.owners.size;
  }

  /** The targets of `ip`, sorted; undefined when it has none. */
  targets(ip: string): readonly string[] | undefined {
    const address = toAddress(ip);
    const held = address === undefined ? undefined : this.owners.get(address);
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
      const held = this.owners.get(address);
      if (held === undefined) this.owners.set(address, owner);
      // concat, not push: a pushed array keeps room for 16 more owners, per address.
      else if (Array.isArray(held)) {
        if (!held.includes(owner)) this.owners.set(address, held.concat(owner));
      } else if (held !== owner) this.owners.set(address, [held, owner]);
    }
  }

  remove(owner: PtrOwner): void {
    for (const address of owner.ptrAddresses()) {
      const held = this.owners.get(address);
      if (held === owner) this.owners.delete(address);
      else if (Array.isArray(held)) {
        const left = held.filter((o) => o !== owner);
        if (left.length === held.length) continue;
        this.owners.set(address, left.length === 1 ? left[0]! : left);
      }
    }
  }
}
