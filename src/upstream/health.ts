// Health of one upstream, as CoreDNS's forward judges it: a failed exchange starts a check
// (`NAME IN NS`, `.` by default) that repeats every interval until the upstream answers anything at
// all, any rcode included. Each failed check counts; `maxFails` in a row mark the upstream down,
// one answer brings it back up. With `maxFails` 0 nothing is checked and the upstream is never down.
import { QTYPE } from '../dns/types.js';
import type { Transport } from '../plugin.js';
import { countHealthcheckFailure } from './metrics.js';
import { questionWire, type UpstreamQuery } from './query.js';
import type { Upstream } from './upstream.js';

export interface HealthOptions {
  /** Failed checks in a row that mark the upstream down; 0 disables checking. CoreDNS: 2. */
  readonly maxFails: number;
  /** Pause between checks while the upstream fails them. CoreDNS: 0.5 s. */
  readonly intervalMs: number;
  /** RD of the check query (`no_rec` clears it). */
  readonly recursionDesired: boolean;
  /** The name whose NS the check asks (`domain NAME`); '' is the root. */
  readonly domain: string;
  /** The transport queries use, so the check tests what queries need. */
  readonly transport: Transport;
  /** Read timeout of one check. CoreDNS: 1 s. */
  readonly timeoutMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = { maxFails: 2, intervalMs: 500, recursionDesired: true, domain: '', transport: 'udp', timeoutMs: 1000 };

export class HealthCheck {
  /** Failed checks since the upstream last answered one. */
  fails = 0;
  private running = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly query: UpstreamQuery;

  constructor(
    private readonly upstream: Upstream,
    private readonly options: HealthOptions,
  ) {
    this.query = { question: questionWire(options.domain, QTYPE.NS), rd: options.recursionDesired, cd: false, dnssecOk: false };
  }

  get down(): boolean {
    return this.options.maxFails > 0 && this.fails >= this.options.maxFails;
  }

  /** An exchange with the upstream failed: check it until it answers (once is enough to be running). */
  suspect(): void {
    if (this.options.maxFails === 0 || this.running || this.stopped) return;
    this.running = true;
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async check(): Promise<void> {
    try {
      await this.upstream.exchange(this.query, this.options.transport, this.options.timeoutMs);
      this.fails = 0;
      this.running = false;
      return;
    } catch {
      // Whatever went wrong (an UpstreamError or a socket we could not even open), no answer came.
      this.fails++;
      countHealthcheckFailure(this.upstream.label);
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }
}
