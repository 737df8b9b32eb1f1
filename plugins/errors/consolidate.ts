// errors' `consolidate DURATION REGEXP [LEVEL] [show_first]`: error lines whose message matches a
// pattern are counted instead of logged, and one summary line per pattern ends the period that the
// first of them started ("3 errors like 'REGEXP' occurred in last 30s", CoreDNS's words).
// Design decision: a pattern holds a timer only while a period runs, and stop() clears every timer
// and prints the summaries due, so the plugin leaves no handle behind and loses no count.
import { goDuration } from './go-duration.js';

export type Level = 'error' | 'warning' | 'info' | 'debug';

export interface ConsolidateRule {
  readonly periodMs: number;
  /** The REGEXP as the Corefile wrote it, for the summary line. */
  readonly source: string;
  readonly pattern: RegExp;
  readonly level: Level;
  /** Log the first matching line of a period at once (at `level`); summarise only when more came. */
  readonly showFirst: boolean;
}

export type Emit = (level: Level, text: string) => void;

interface Period {
  count: number;
  timer: NodeJS.Timeout;
}

export class Consolidator {
  private readonly periods: (Period | undefined)[];
  private stopped = false;

  constructor(
    private readonly rules: readonly ConsolidateRule[],
    private readonly emit: Emit,
  ) {
    this.periods = rules.map(() => undefined);
  }

  /**
   * Counts `line` under the first rule whose pattern matches `message`; false when no rule does
   * (or the plugin has stopped), and the caller logs the line itself.
   */
  take(message: string, line: string): boolean {
    if (this.stopped) return false;
    const i = this.rules.findIndex((r) => r.pattern.test(message));
    if (i < 0) return false;
    const period = this.periods[i];
    if (period) {
      period.count++;
      return true;
    }
    const rule = this.rules[i]!;
    this.periods[i] = { count: 1, timer: setTimeout(() => this.close(i), rule.periodMs) };
    if (rule.showFirst) this.emit(rule.level, line);
    return true;
  }

  /** Ends every running period now, with its summary; lines that come later are logged one by one. */
  stop(): void {
    this.stopped = true;
    for (let i = 0; i < this.rules.length; i++) {
      const period = this.periods[i];
      if (!period) continue;
      clearTimeout(period.timer);
      this.close(i);
    }
  }

  private close(i: number): void {
    const count = this.periods[i]!.count;
    this.periods[i] = undefined;
    const rule = this.rules[i]!;
    // With show_first the first line was printed already; a lone one needs no summary.
    if (rule.showFirst && count === 1) return;
    this.emit(rule.level, `${count} errors like '${rule.source}' occurred in last ${goDuration(rule.periodMs)}`);
  }
}
