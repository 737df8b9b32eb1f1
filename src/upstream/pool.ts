// The upstreams of one forwarder and the order to try them in for each query: the healthy ones by
// policy (random, round_robin, sequential, as CoreDNS); when every one is down, health checking is
// assumed broken and all are tried anyway, in random order (counted as
// coredns_forward_healthcheck_broken_total). An excluded upstream (a detected loop) is never tried.
import { HealthCheck, type HealthOptions } from './health.js';
import { upstreamMetrics } from './metrics.js';
import type { Upstream } from './upstream.js';

export type Policy = 'random' | 'round_robin' | 'sequential';

export const POLICIES: readonly Policy[] = ['random', 'round_robin', 'sequential'];

interface Member {
  readonly upstream: Upstream;
  readonly health: HealthCheck;
  excluded: boolean;
}

export class UpstreamPool {
  private readonly members: Member[];
  private robin = 0;

  constructor(
    upstreams: readonly Upstream[],
    private readonly policy: Policy,
    health: HealthOptions,
  ) {
    this.members = upstreams.map((upstream) => ({ upstream, health: new HealthCheck(upstream, health), excluded: false }));
  }

  get upstreams(): readonly Upstream[] {
    return this.members.map((m) => m.upstream);
  }

  /** The upstreams to try for one query, first choice first; empty when every one is excluded. */
  order(): Upstream[] {
    const usable = this.members.filter((m) => !m.excluded);
    const healthy = usable.filter((m) => !m.health.down);
    if (healthy.length === 0 && usable.length > 0) {
      upstreamMetrics().healthcheckBroken++;
      return shuffle(usable).map((m) => m.upstream);
    }
    return this.arrange(healthy).map((m) => m.upstream);
  }

  /** An exchange with `upstream` failed. */
  failed(upstream: Upstream): void {
    this.member(upstream)?.health.suspect();
  }

  isDown(upstream: Upstream): boolean {
    return this.member(upstream)?.health.down ?? false;
  }

  /** Never try `upstream` again. */
  exclude(upstream: Upstream): void {
    const m = this.member(upstream);
    if (m) m.excluded = true;
  }

  close(): void {
    for (const m of this.members) {
      m.health.stop();
      m.upstream.close();
    }
  }

  private arrange(list: Member[]): Member[] {
    switch (this.policy) {
      case 'sequential':
        return list;
      case 'round_robin': {
        if (list.length === 0) return list;
        const first = this.robin++ % list.length;
        return [...list.slice(first), ...list.slice(0, first)];
      }
      case 'random':
        return shuffle(list);
    }
  }

  private member(upstream: Upstream): Member | undefined {
    return this.members.find((m) => m.upstream === upstream);
  }
}

function shuffle<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
