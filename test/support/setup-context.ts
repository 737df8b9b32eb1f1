// A SetupContext for unit tests of a directive's setup: the given fields over inert defaults (a
// fresh runtime, routes/lameduck/reload recorded in `declared` for tests that look at them).
import { memoryLogger } from '../../src/log.js';
import type { Plugin, SetupContext } from '../../src/plugin.js';
import { createRuntime, type HttpRoute, type ReloadSettings } from '../../src/runtime.js';

export interface Declared {
  routes: HttpRoute[];
  lameduckMs: number[];
  reload: ReloadSettings[];
  plugins: Plugin[];
}

export function setupContext(fields: Partial<SetupContext> = {}): SetupContext & { declared: Declared } {
  const log = fields.log ?? memoryLogger();
  const declared: Declared = { routes: [], lameduckMs: [], reload: [], plugins: [] };
  return {
    zones: [''],
    port: 53,
    listen: [],
    generationAfter: () => 0,
    directives: [],
    runtime: createRuntime('0.0.0-test', log),
    route: (route) => declared.routes.push(route),
    lameduck: (ms) => declared.lameduckMs.push(ms),
    reload: (settings) => declared.reload.push(settings),
    plugins: () => declared.plugins,
    ...fields,
    log,
    declared,
  };
}
