// The process's HTTP endpoints (`health`, `ready`, `prometheus`, the debug view): one fastify
// server per listen address, each serving the routes the running configuration declared for it.
// Design decision: a server outlives configurations. `apply` swaps a kept address's route table in
// place, so a probe never finds the port closed across a reload; servers open and close only as
// addresses come and go, and new ones open before anything changes, so a failed bind leaves the
// previous state serving. fastify is imported with the first server: a configuration without
// HTTP endpoints does not pay its memory.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { HttpAnswer, HttpRoute } from '../runtime.js';
import { formatHttpAddress, parseHttpAddress, type HttpAddress } from './address.js';

const TEXT = 'text/plain; charset=utf-8';
/** Go's http.NotFound body, which CoreDNS's endpoints answer for an unknown path. */
const NOT_FOUND = '404 page not found\n';

/** The routes wanted on one address. */
interface Wanted {
  readonly address: HttpAddress;
  /** By path; the first route declared for a path serves it. */
  readonly table: Map<string, HttpRoute>;
}

interface Served {
  readonly address: HttpAddress;
  readonly app: FastifyInstance;
  readonly port: number;
  /** Replaced whole by `apply`; requests read it as they come. */
  readonly routes: { table: Map<string, HttpRoute> };
}

export class HttpServers {
  /** By canonical address (host:port as written back). */
  private readonly served = new Map<string, Served>();
  /** The last apply, settled or not. */
  private applied: Promise<void> = Promise.resolve();

  constructor(private readonly log: Logger) {}

  /**
   * Serves exactly `routes` from now on. Two routes on one address share its server; two routes
   * for the same address and path are the same endpoint declared twice (e.g. `ready` in two
   * server blocks) and the first serves it, since every endpoint answers for the whole process.
   * Calls take effect one after the other, in the order made (a reload racing a shutdown).
   */
  apply(routes: readonly HttpRoute[]): Promise<void> {
    const applied = this.applied.then(() => this.change(routes));
    this.applied = applied.catch(() => undefined);
    return applied;
  }

  private async change(routes: readonly HttpRoute[]): Promise<void> {
    const wanted = byAddress(routes);
    const opened = new Map<string, Served>();
    try {
      for (const [key, want] of wanted) {
        if (!this.served.has(key)) opened.set(key, await this.open(want));
      }
    } catch (err) {
      await Promise.all([...opened.values()].map((s) => s.app.close()));
      throw err;
    }
    for (const [key, s] of opened) this.served.set(key, s);
    const closing: Promise<void>[] = [];
    for (const [key, s] of this.served) {
      const want = wanted.get(key);
      if (want) {
        s.routes.table = want.table;
      } else {
        this.served.delete(key);
        closing.push(s.app.close().then(() => this.log.info(`http: closed ${formatHttpAddress(s.address, s.port)}`)));
      }
    }
    await Promise.all(closing);
  }

  /** The port `address` (as routes write it) is bound to; for port 0, the one chosen. */
  port(address: string): number | undefined {
    const parsed = parseHttpAddress(address);
    return parsed && this.served.get(formatHttpAddress(parsed))?.port;
  }

  /** Closes every server once its requests in flight are answered. */
  close(): Promise<void> {
    return this.apply([]);
  }

  private async open(want: Wanted): Promise<Served> {
    const routes = { table: want.table };
    let app: FastifyInstance;
    try {
      app = await listen(want.address, (instance) => this.dispatch(instance, routes));
    } catch (err) {
      const origin = [...want.table.values()][0]!.origin;
      throw new Error(`${origin}: cannot listen on ${formatHttpAddress(want.address)}: ${(err as Error).message}`);
    }
    const port = (app.server.address() as AddressInfo).port;
    this.log.info(`http: serving ${[...want.table.keys()].join(', ')} on ${formatHttpAddress(want.address, port)}`);
    return { address: want.address, app, port, routes };
  }

  /** One catch-all route that looks the path up in the table current at request time. */
  private dispatch(app: FastifyInstance, routes: Served['routes']): void {
    const notFound: HttpAnswer = { status: 404, body: NOT_FOUND };
    app.setNotFoundHandler((_request, reply) => reply.code(404).type(TEXT).send(NOT_FOUND));
    app.get('*', async (request, reply) => {
      const url = new URL(request.url, 'http://endpoint');
      const route = routes.table.get(url.pathname);
      let answer: HttpAnswer;
      try {
        answer = route ? await route.handle(url.searchParams) : notFound;
      } catch (err) {
        this.log.error(`http: ${route!.origin} GET ${url.pathname}: ${(err as Error).message}`);
        answer = { status: 500, body: 'internal error\n' };
      }
      return reply
        .code(answer.status)
        .type(answer.contentType ?? TEXT)
        .send(answer.body);
    });
  }
}

function byAddress(routes: readonly HttpRoute[]): Map<string, Wanted> {
  const wanted = new Map<string, Wanted>();
  for (const route of routes) {
    const address = parseHttpAddress(route.address);
    if (!address) throw new Error(`${route.origin}: '${route.address}' is not a host:port address`);
    const key = formatHttpAddress(address);
    const want = wanted.get(key) ?? { address, table: new Map() };
    if (!want.table.has(route.path)) want.table.set(route.path, route);
    wanted.set(key, want);
  }
  return wanted;
}

/**
 * A listening fastify server. No host means every address: dual-stack `::`, or `0.0.0.0` on a
 * machine without IPv6 (Node's own choice for a server without host; fastify's default would be
 * localhost only).
 */
async function listen(address: HttpAddress, setup: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const hosts = address.host === '' ? ['::', '0.0.0.0'] : [address.host];
  const { default: Fastify } = await import('fastify');
  for (let i = 0; ; i++) {
    const app = Fastify({ logger: false });
    setup(app);
    try {
      await app.listen({ host: hosts[i]!, port: address.port });
      return app;
    } catch (err) {
      await app.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (i + 1 === hosts.length || (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL')) throw err;
    }
  }
}
