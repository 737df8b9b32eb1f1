// The plugin contract. A plugin answers a query or hands it to the next one; it returns the
// reply instead of writing it, so the server encodes once and always knows who answered.
import type { Reply, Request } from './dns/types.js';
import type { Directive } from './config/corefile.js';
import type { Logger } from './log.js';
import type { HttpRoute, ReloadSettings, Runtime } from './runtime.js';

export type Transport = 'udp' | 'tcp';

/** One question on its way through a server block's plugin chain. */
export interface Query {
  readonly request: Request;
  /** Question name as asked (letter case kept), no trailing dot. */
  readonly name: string;
  /** Lower-cased question name, for every comparison (RFC 4343). */
  readonly lname: string;
  /** Question type by mnemonic ('A', 'SRV', …; 'TYPE65' style for types without one). */
  readonly type: string;
  readonly qtype: number;
  readonly transport: Transport;
  readonly client: { address: string; port: number };
  /** Size of the request message in bytes. */
  readonly size: number;
  /** The server block this query reached: its zones (lower-case, no trailing dot) and port. */
  readonly server: { zones: readonly string[]; port: number };
  /** Set by the chain: the plugin that produced the reply ('' for none); see src/chain.ts. */
  producer?: string | undefined;
}

export type Next = (query: Query) => Reply | Promise<Reply>;

export interface Plugin {
  readonly name: string;
  serve(query: Query, next: Next): Reply | Promise<Reply>;
  /**
   * Sees every reply of its server block after it was encoded (the `log` plugin needs its size and
   * flags). Called by the server only for plugins that define it, so others cost nothing.
   */
  observe?(query: Query, reply: Reply, wire: Buffer, seconds: number): void;
  /**
   * A number that changes whenever the data this plugin answers from changes (kubernetes: the
   * index generation). The cache drops entries made under another generation, so an update is
   * never hidden by a cached answer. Absent = answers never change by themselves.
   */
  generation?(): number;
  /** Readiness as the `ready` plugin will report it (kubernetes: informers synced). Absent = always ready. */
  ready?(): boolean;
  /** Starts the plugin's I/O (watches, file reads) once the whole Corefile is known to be valid. */
  start?(): Promise<void>;
  /** Releases every resource the plugin holds; called on shutdown and on reload. */
  stop?(): Promise<void>;
  /**
   * What the plugin holds, for operators (the debug view on the `health` address): with a name,
   * what it holds for that name; without, a summary (counts). Plain JSON-able data.
   */
  inspect?(name: string | undefined): unknown;
}

/** What a directive's setup can see and change about the server block it stands in. */
export interface SetupContext {
  /** The server block's zones, lower-case, no trailing dot ('' is the root). */
  readonly zones: readonly string[];
  readonly port: number;
  readonly log: Logger;
  /** Listen addresses; `bind` fills it, empty means every address (IPv4 and IPv6). */
  readonly listen: string[];
  /**
   * The sum of `generation()` over the plugins of this server block that come after `plugin` in
   * execution order: what a caching plugin compares to know whether answers behind it changed.
   * Callable once setup of the whole block is done (i.e. at query time).
   */
  generationAfter(plugin: Plugin): number;
  /** The directives of this server block, in execution order (coredns_plugin_enabled). */
  readonly directives: readonly string[];
  /** What the whole process shares, across server blocks and reloads. */
  readonly runtime: Runtime;
  /** Adds an HTTP endpoint, served while this configuration is the running one. */
  route(route: HttpRoute): void;
  /** `health { lameduck }`: keep answering this long after SIGTERM; the longest asked for wins. */
  lameduck(ms: number): void;
  /** `reload`: check the Corefile for changes; one server block asking is enough. */
  reload(settings: ReloadSettings): void;
  /** Every plugin of the configuration, all server blocks (callable once setup is done). */
  plugins(): readonly Plugin[];
}

/**
 * A directive's setup: parse and validate the stanza (throwing `directive.error(...)` on bad input)
 * and return the plugin, or nothing for directives that only configure the server (`bind`).
 */
export type Setup = (directive: Directive, ctx: SetupContext) => Plugin | undefined;
