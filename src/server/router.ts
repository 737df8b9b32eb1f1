// Picks the server block for a question: the one whose zone is the longest suffix of the name,
// as CoreDNS does among the blocks sharing a listener. No match means REFUSED.
import { isSubdomain } from '../dns/names.js';
import type { Next, Plugin } from '../plugin.js';

/** A server block ready to serve: its zones, its chain, and the plugins that watch replies. */
export interface Site {
  readonly zones: readonly string[];
  readonly port: number;
  readonly chain: Next;
  readonly observers: readonly Plugin[];
}

export class Router {
  // Longest zone first, so the first match is the most specific one.
  private readonly entries: { zone: string; site: Site }[];

  constructor(sites: readonly Site[]) {
    this.entries = sites
      .flatMap((site) => site.zones.map((zone) => ({ zone, site })))
      .sort((a, b) => b.zone.length - a.zone.length);
  }

  route(lname: string): Site | undefined {
    for (const e of this.entries) if (isSubdomain(lname, e.zone)) return e.site;
    return undefined;
  }
}
