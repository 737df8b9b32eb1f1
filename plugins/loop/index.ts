// loop: finds forwarding loops of its server block and contains them instead of exiting. At start
// it checks that no upstream of the block's forwarders is this server's own address and port, then
// sends each upstream `<random>.<random>.<zone>. HINFO` directly: a probe that reaches this plugin
// (which sits after the cluster zones' plugins, so it sees only names that would be forwarded) came
// back through that upstream. One return is proof, as the name is 128 random bits, and the probe is
// answered SERVFAIL at once instead of being sent round again. Unlike CoreDNS, which exits and so
// crash-loops every DNS pod of a cluster at once, the plugin stops forwarding to the looping
// upstream alone, reports not ready and explains the usual cause; the cluster zones stay served.
// It reaches the forwarders through src/upstream/forwarders.ts, never by importing forward.
import { randomBytes } from 'node:crypto';
import { isSubdomain, joinName } from '../../src/dns/names.js';
import { servfail } from '../../src/dns/reply.js';
import { QTYPE, type Reply } from '../../src/dns/types.js';
import type { Next, Plugin, Query, Setup, SetupContext } from '../../src/plugin.js';
import { forwardersOf, type Forwarder } from '../../src/upstream/forwarders.js';
import { questionWire, type UpstreamQuery } from '../../src/upstream/query.js';
import type { Upstream } from '../../src/upstream/upstream.js';
import { isOwnListener } from './own-address.js';

export interface ProbeTiming {
  /** Delay before the first probe, so that our own listeners are open when it comes back. */
  firstMs: number;
  /** Read timeout of one probe. */
  timeoutMs: number;
  /** Pause before probing again an upstream that did not answer. */
  retryMs: number;
  /** Stop probing an upstream that has not answered for this long (CoreDNS: 30 s). */
  giveUpMs: number;
}

export const DEFAULT_TIMING: ProbeTiming = { firstMs: 200, timeoutMs: 2000, retryMs: 2000, giveUpMs: 30_000 };

export const setup: Setup = (directive, ctx) => {
  directive.expectNoArgs();
  directive.expectNoBlock();
  return new Loop(ctx);
};

interface Probe {
  readonly name: string;
  readonly query: UpstreamQuery;
  readonly forwarder: Forwarder;
  readonly upstream: Upstream;
  readonly started: number;
}

export class Loop implements Plugin {
  readonly name = 'loop';
  /** Probes in flight by lower-case name. */
  private readonly probes = new Map<string, Probe>();
  private readonly looping = new Set<Upstream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly ctx: SetupContext,
    private readonly timing: ProbeTiming = DEFAULT_TIMING,
  ) {}

  serve(query: Query, next: Next): Reply | Promise<Reply> {
    const probe = query.qtype === QTYPE.HINFO ? this.probes.get(query.lname) : undefined;
    if (!probe) return next(query);
    this.found(probe.forwarder, probe.upstream, `the probe "${query.name}. HINFO" sent to ${probe.upstream.label} came back to this server`);
    return servfail();
  }

  ready(): boolean {
    return this.looping.size === 0;
  }

  async start(): Promise<void> {
    for (const forwarder of forwardersOf(this.ctx)) {
      const zone = probeZone(forwarder, this.ctx.zones);
      for (const upstream of forwarder.upstreams) {
        if (isOwnListener(upstream, this.ctx)) {
          this.found(forwarder, upstream, `${upstream.label} is this server's own address and port`);
        } else if (zone !== undefined) {
          this.later(this.timing.firstMs, () => this.send(this.probe(forwarder, upstream, zone)));
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.probes.clear();
  }

  private probe(forwarder: Forwarder, upstream: Upstream, zone: string): Probe {
    const name = joinName(`${randomLabel()}.${randomLabel()}`, zone);
    const probe = { name, query: { question: questionWire(name, QTYPE.HINFO), rd: true, cd: false, dnssecOk: false }, forwarder, upstream, started: Date.now() };
    this.probes.set(name, probe);
    return probe;
  }

  // Any answer ends the probe: had the upstream looped, the probe would have reached serve() first.
  private send(probe: Probe): void {
    if (this.stopped || this.looping.has(probe.upstream) || !this.probes.has(probe.name)) return;
    probe.upstream.exchange(probe.query, probe.forwarder.transport, this.timing.timeoutMs).then(
      () => this.probes.delete(probe.name),
      () => {
        if (Date.now() + this.timing.retryMs - probe.started < this.timing.giveUpMs) {
          this.later(this.timing.retryMs, () => this.send(probe));
        } else if (this.probes.delete(probe.name)) {
          this.ctx.log.warn(`loop: ${probe.upstream.label} did not answer a probe for ${this.timing.giveUpMs / 1000} s; a loop through it would go unnoticed`);
        }
      },
    );
  }

  private found(forwarder: Forwarder, upstream: Upstream, why: string): void {
    if (this.looping.has(upstream)) return;
    this.looping.add(upstream);
    forwarder.exclude(upstream);
    this.ctx.log.error(
      `loop: forwarding loop detected: ${why}. No longer forwarding to ${upstream.label} (names that went there get SERVFAIL) ` +
        `and reporting not ready; the cluster zones are still served. The usual cause is a node whose /etc/resolv.conf points ` +
        `at a local stub resolver, such as systemd-resolved's 127.0.0.53: inside the DNS pod that address is this server itself. ` +
        `Fix: point forward at real upstream resolvers, or set kubelet's --resolv-conf to a file that lists them ` +
        `(with systemd-resolved: /run/systemd/resolve/resolv.conf).`,
    );
  }

  private later(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}

/** The zone probe names go under: where the forwarder's FROM and the block's zones overlap, the narrower one. */
function probeZone(forwarder: Forwarder, blockZones: readonly string[]): string | undefined {
  for (const from of forwarder.zones) {
    for (const zone of blockZones) {
      const narrower = isSubdomain(from, zone) ? from : isSubdomain(zone, from) ? zone : undefined;
      if (narrower !== undefined && forwarder.handles(joinName('probe', narrower))) return narrower;
    }
  }
  return undefined;
}

function randomLabel(): string {
  return randomBytes(8).readBigUInt64BE().toString();
}
