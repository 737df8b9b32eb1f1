// One DNS message in, at most one message out: validation edges, routing, the plugin chain,
// encoding within the transport's size limit. Knows nothing about Kubernetes. A plugin that
// throws costs that query a SERVFAIL and a counted panic, never the process.
import { performance } from 'node:perf_hooks';
import { errorReply, refused, servfail } from '../dns/reply.js';
import { CLASS, type Reply, type Request } from '../dns/types.js';
import { encodeReply, encodeReusing, parseRequest, typeName, udpLimit } from '../dns/wire.js';
import type { Logger } from '../log.js';
import type { Query, Transport } from '../plugin.js';
import type { Router, Site } from './router.js';
import type { ServerStats } from './stats.js';

const TCP_LIMIT = 65535;

export interface Peer {
  readonly address: string;
  readonly port: number;
}

/** What a listener hands each message to; a reload swaps one for another under an open listener. */
export interface MessageHandler {
  /** The reply's bytes, or undefined when the message gets no reply at all. */
  handle(message: Buffer, transport: Transport, client: Peer): Buffer | undefined | Promise<Buffer | undefined>;
}

export class Handler implements MessageHandler {
  /** Replies still being worked on (a plugin answered with a promise). */
  private pending = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly router: Router,
    private readonly stats: ServerStats,
    private readonly log: Logger,
  ) {}

  handle(message: Buffer, transport: Transport, client: Peer): Buffer | undefined | Promise<Buffer | undefined> {
    const parsed = parseRequest(message);
    if (parsed.kind === 'drop') {
      this.stats.dropped++;
      return undefined;
    }
    const limit = transport === 'tcp' ? TCP_LIMIT : udpLimit(parsed.kind === 'reject' ? parsed.context.edns : parsed.request.edns);
    if (parsed.kind === 'reject') return encodeReply(parsed.context, errorReply(parsed.rcode), limit);

    const request = parsed.request;
    // Only class IN is served; CHAOS belongs to a plugin we do not have.
    if (request.qclass !== CLASS.IN) return encodeReply(request, refused(), limit);
    const lname = request.name.toLowerCase();
    const site = this.router.route(lname);
    if (!site) return encodeReply(request, refused(), limit);

    const query: Query = {
      request,
      name: request.name,
      lname,
      type: typeName(request.qtype),
      qtype: request.qtype,
      transport,
      client,
      size: message.length,
      server: site,
      producer: undefined,
    };
    const started = site.observers.length > 0 ? performance.now() : 0;
    let reply: Reply | Promise<Reply>;
    try {
      reply = site.chain(query);
    } catch (err) {
      reply = this.panic(query, err);
    }
    if (reply instanceof Promise) {
      this.pending++;
      return reply.then(
        (r) => this.settle(this.finish(site, query, request, r, limit, started)),
        (err) => this.settle(this.finish(site, query, request, this.panic(query, err), limit, started)),
      );
    }
    return this.finish(site, query, request, reply, limit, started);
  }

  /**
   * Resolves once every reply this handler was working on is done: a reload waits for it before
   * stopping the plugins of the configuration it replaces, so their answers in flight still arrive.
   */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  private settle(wire: Buffer): Buffer {
    if (--this.pending === 0) for (const resolve of this.waiting.splice(0)) resolve();
    return wire;
  }

  /** `started`: performance.now() when the chain was called, taken only when someone observes. */
  private finish(site: Site, query: Query, request: Request, reply: Reply, limit: number, started: number): Buffer {
    let wire: Buffer;
    try {
      wire = encodeReusing(request, reply, limit);
    } catch (err) {
      reply = this.panic(query, err);
      wire = encodeReply(request, reply, limit);
    }
    if (site.observers.length > 0) {
      const seconds = (performance.now() - started) / 1000;
      for (const o of site.observers) o.observe!(query, reply, wire, seconds);
    }
    return wire;
  }

  private panic(query: Query, err: unknown): Reply {
    this.stats.panics++;
    const why = err instanceof Error ? err.message : String(err);
    this.log.error(`plugin panic on "${query.name}. ${query.type}": ${why}`);
    return servfail();
  }
}
