// The forward handler: a query under FROM (and not `except`ed) goes to the upstreams in the pool's
// order until one answers, over the client's transport (TCP with force_tcp, UDP with prefer_udp);
// a truncated UDP answer is asked again over TCP of the same upstream. The answer is relayed whole,
// AA cleared and RA set. Each upstream gets the 2 s read timeout and the whole query 5 s, as in
// CoreDNS; when nothing answers in that time the client gets SERVFAIL.
import { isSubdomain } from '../../src/dns/names.js';
import { relayedReply } from '../../src/dns/relay.js';
import { refused, servfail } from '../../src/dns/reply.js';
import type { Reply, Request } from '../../src/dns/types.js';
import type { Next, Plugin, Query, SetupContext, Transport } from '../../src/plugin.js';
import { UpstreamError } from '../../src/upstream/failure.js';
import { forwardersOf, type Forwarder } from '../../src/upstream/forwarders.js';
import { upstreamMetrics } from '../../src/upstream/metrics.js';
import type { UpstreamPool } from '../../src/upstream/pool.js';
import type { UpstreamQuery } from '../../src/upstream/query.js';
import { READ_TIMEOUT_MS, type Upstream } from '../../src/upstream/upstream.js';
import type { ForwardOptions } from './options.js';

/** CoreDNS's deadline for one query across every upstream tried. */
export const QUERY_DEADLINE_MS = 5000;

const TC = 0x200;

export class Forward implements Plugin, Forwarder {
  readonly name = 'forward';
  readonly zones: readonly string[];
  readonly transport: Transport;
  private inFlight = 0;

  constructor(
    private readonly options: ForwardOptions,
    private readonly pool: UpstreamPool,
    private readonly ctx: SetupContext,
  ) {
    this.zones = options.zones;
    this.transport = options.forceTcp ? 'tcp' : 'udp';
  }

  get upstreams(): readonly Upstream[] {
    return this.pool.upstreams;
  }

  handles(lname: string): boolean {
    return this.zones.some((z) => isSubdomain(lname, z)) && !this.options.except.some((e) => isSubdomain(lname, e));
  }

  exclude(upstream: Upstream): void {
    this.pool.exclude(upstream);
  }

  serve(query: Query, next: Next): Reply | Promise<Reply> {
    if (!this.handles(query.lname)) return next(query);
    const max = this.options.maxConcurrent;
    if (max !== undefined && this.inFlight >= max) {
      upstreamMetrics().maxConcurrentRejects++;
      return refused();
    }
    return this.forward(query, next);
  }

  async stop(): Promise<void> {
    this.pool.close();
  }

  private async forward(query: Query, next: Next): Promise<Reply> {
    this.inFlight++;
    let reply: Reply | undefined;
    try {
      reply = await this.ask(upstreamQuery(query.request), this.transportFor(query));
    } finally {
      this.inFlight--;
    }
    if (!reply) return servfail();
    if (this.options.next.has(reply.rcode) && this.followedByForwarder()) return next(query);
    return reply;
  }

  private async ask(q: UpstreamQuery, transport: Transport): Promise<Reply | undefined> {
    const deadline = Date.now() + QUERY_DEADLINE_MS;
    for (const upstream of this.pool.order()) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      try {
        const reply = relayedReply(await this.exchange(upstream, q, transport, Math.min(READ_TIMEOUT_MS, left)), {
          authoritative: false,
          recursionAvailable: true,
        });
        if (reply) return reply;
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
      }
      this.pool.failed(upstream);
    }
    return undefined;
  }

  // A truncated UDP answer is asked again over TCP; if that fails, the truncated answer still stands.
  private async exchange(upstream: Upstream, q: UpstreamQuery, transport: Transport, timeoutMs: number): Promise<Buffer> {
    const answer = await upstream.exchange(q, transport, timeoutMs);
    if (transport === 'tcp' || !(answer.readUInt16BE(2) & TC)) return answer;
    try {
      return await upstream.exchange(q, 'tcp', timeoutMs);
    } catch (err) {
      if (err instanceof UpstreamError) return answer;
      throw err;
    }
  }

  private transportFor(query: Query): Transport {
    if (this.options.forceTcp) return 'tcp';
    return this.options.preferUdp ? 'udp' : query.transport;
  }

  // As CoreDNS: `next` applies only when another forward follows in this server block.
  private followedByForwarder(): boolean {
    const all = forwardersOf(this.ctx);
    return all.indexOf(this) < all.length - 1;
  }
}

function upstreamQuery(request: Request): UpstreamQuery {
  return { question: request.questionWire, rd: request.rd, cd: request.cd, dnssecOk: request.edns?.do ?? false };
}
