// ready: `GET /ready` answers 200 OK when every plugin of the running configuration that reports
// readiness is ready, else 503 with their names (sorted, comma-separated: CoreDNS's body), and
// 503 "Shutting down" from the first SIGTERM on, while DNS still answers through the lameduck.
// Design decision: readiness is asked at every request (CoreDNS's `monitor continuously`), not
// remembered once given, because `loop` withdraws it when it finds a loop; `monitor until-ready`
// restores CoreDNS's default. Serves no queries itself.
import { addressArgument } from '../../src/http/address.js';
import type { Plugin, Setup } from '../../src/plugin.js';
import type { HttpAnswer } from '../../src/runtime.js';

const DEFAULT_ADDRESS = ':8181';
const MONITOR_MODES = ['continuously', 'until-ready'] as const;

export const setup: Setup = (directive, ctx) => {
  const address = addressArgument(directive, DEFAULT_ADDRESS);
  let remember = false;
  for (const line of directive.block ?? []) {
    if (line.name !== 'monitor') throw line.error(`ready: unknown property '${line.name}'`);
    line.expectNoBlock();
    const mode = line.args[0] as (typeof MONITOR_MODES)[number];
    if (line.args.length !== 1 || !MONITOR_MODES.includes(mode)) {
      throw line.error(`ready: monitor type '${line.args.join(' ')}' not supported (${MONITOR_MODES.join(' or ')})`);
    }
    remember = mode === 'until-ready';
  }
  const seenReady = new Set<Plugin>();
  ctx.route({
    address,
    path: '/ready',
    origin: `${directive.file}:${directive.line} ready`,
    handle(): HttpAnswer {
      if (ctx.runtime.shuttingDown) return { status: 503, body: 'Shutting down' };
      const waiting = new Set<string>();
      for (const p of ctx.plugins()) {
        if (!p.ready || seenReady.has(p)) continue;
        if (!p.ready()) waiting.add(p.name);
        else if (remember) seenReady.add(p);
      }
      if (waiting.size === 0) return { status: 200, body: 'OK' };
      return { status: 503, body: [...waiting].sort().join(',') };
    },
  });
  return undefined;
};
