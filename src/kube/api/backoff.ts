// Delays between failed attempts to reach the API server: exponential, capped, with jitter.
// Design decision: each delay is drawn from [d/2, 3d/2) around the doubling base d, so many
// clusterdns replicas cut off together do not reconnect in lockstep, while the mean stays d.

export interface BackoffSettings {
  /** The base delay after the first failure (ms). */
  initialMs: number;
  /** The cap of the base delay (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 500, maxMs: 30_000 };

export class Backoff {
  private base = 0;

  constructor(
    private readonly settings: BackoffSettings = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call doubles the base up to the cap. */
  next(): number {
    this.base = this.base === 0 ? this.settings.initialMs : Math.min(this.base * 2, this.settings.maxMs);
    return Math.floor(this.base * (0.5 + this.random()));
  }

  /** After a healthy exchange: the next failure waits the initial delay again. */
  reset(): void {
    this.base = 0;
  }
}
