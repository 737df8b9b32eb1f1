// health: `GET /health` answers 200 OK for as long as the process serves, lameduck included, as
// CoreDNS's does; `lameduck DURATION` is how long the process keeps answering after SIGTERM (the
// supervisor waits it out). The operators' view of the index, `GET /debug/index`, shares the
// address: it is the endpoint an operator already reaches. Serves no queries itself.
import { parseDuration } from '../../src/config/duration.js';
import { addressArgument } from '../../src/http/address.js';
import type { Setup } from '../../src/plugin.js';
import type { HttpAnswer } from '../../src/runtime.js';
import { debugIndexRoute } from './debug.js';

const DEFAULT_ADDRESS = ':8080';
const OK: HttpAnswer = { status: 200, body: 'OK' };

export const setup: Setup = (directive, ctx) => {
  const address = addressArgument(directive, DEFAULT_ADDRESS);
  for (const line of directive.block ?? []) {
    if (line.name !== 'lameduck') throw line.error(`health: unknown property '${line.name}'`);
    line.expectNoBlock();
    if (line.args.length !== 1) throw line.error('health: lameduck takes one DURATION');
    const ms = parseDuration(line.args[0]!);
    if (ms === undefined) throw line.error(`health: unable to parse lameduck duration value: '${line.args[0]}'`);
    ctx.lameduck(ms);
  }
  const origin = `${directive.file}:${directive.line} health`;
  ctx.route({ address, path: '/health', origin, handle: () => OK });
  ctx.route(debugIndexRoute(address, origin, ctx.plugins));
  return undefined;
};
