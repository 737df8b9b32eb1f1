// `GET /debug/index`: what the plugins of the running configuration hold, as JSON, from each
// plugin's inspect(): a summary (counts) without `name`, what is held for the name with
// `?name=NAME`. Plugins without inspect() are left out. A view may be a promise (kubernetes asks
// its own answer path, which may chase a CNAME), so every view is awaited.
import type { Plugin } from '../../src/plugin.js';
import type { HttpRoute } from '../../src/runtime.js';

export function debugIndexRoute(address: string, origin: string, plugins: () => readonly Plugin[]): HttpRoute {
  return {
    address,
    path: '/debug/index',
    origin,
    async handle(query) {
      const name = query.get('name') || undefined;
      const views = await Promise.all(
        plugins()
          .filter((p) => p.inspect)
          .map(async (p) => ({ plugin: p.name, holds: await p.inspect!(name) })),
      );
      const body = name === undefined ? { plugins: views } : { name, plugins: views };
      return { status: 200, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(body, null, 2)}\n` };
    },
  };
}
