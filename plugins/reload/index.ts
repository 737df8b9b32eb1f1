// reload: asks for the Corefile to be checked for changes and reloaded when it changed, with
// CoreDNS's syntax, defaults and limits. It configures the process and serves no queries; the
// checks and the reload itself are src/reload.ts.
import { parseDuration } from '../../src/config/duration.js';
import type { Directive } from '../../src/config/corefile.js';
import type { Setup } from '../../src/plugin.js';
import { reloadMetrics } from '../../src/metrics/reload.js';

const MIN_INTERVAL = { ms: 2000, text: '2s' };
const MIN_JITTER = { ms: 1000, text: '1s' };

export const setup: Setup = (directive, ctx) => {
  directive.expectNoBlock();
  if (directive.args.length > 2) throw directive.error('reload takes [INTERVAL [JITTER]]');
  if (ctx.directives.filter((name) => name === 'reload').length > 1) {
    throw directive.error('reload can only be used once per server block');
  }
  const [interval = '30s', jitter = '15s'] = directive.args;
  const intervalMs = duration(directive, interval, 'interval', MIN_INTERVAL);
  const jitterMs = duration(directive, jitter, 'jitter', MIN_JITTER);
  ctx.reload({ intervalMs, jitterMs: Math.min(jitterMs, intervalMs / 2) });
  // Registered now, so the failure counter is exported as 0 before the first reload: a rate over
  // a series that appears only at 1 would never show that first failure.
  reloadMetrics(ctx.runtime.metrics);
  return undefined;
};

function duration(directive: Directive, text: string, what: string, min: { ms: number; text: string }): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw directive.error(`reload: ${what} is not a duration (like 30s, 5m, 1h): '${text}'`);
  if (ms < min.ms) throw directive.error(`reload: ${what} value must be greater or equal to ${min.text}`);
  return ms;
}
