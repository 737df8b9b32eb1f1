// Corefile model (CoreDNS syntax). The parser that fills it lives in src/config/parse.ts.
import type { ConfigError } from '../errors.js';

/** One directive line, with its nested `{ }` block if any; nested lines are Directives too. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  /** Lines inside `{ }`, or undefined when the directive has no block. */
  readonly block: readonly Directive[] | undefined;
  readonly file: string;
  readonly line: number;
  /** An error that names this directive's file and line: "FILE:LINE: message". */
  error(message: string): ConfigError;
  /** Throws "FILE:LINE: NAME takes no arguments" when args were given. */
  expectNoArgs(): void;
  /** Throws "FILE:LINE: NAME takes no block" when a block was given. */
  expectNoBlock(): void;
}

/** One address of a server block: `.:53`, `dns://cluster.local:1053`, `10.in-addr.arpa`. */
export interface ServerKey {
  /** Lower-cased zone without trailing dot; '' is the root zone '.'. */
  readonly zone: string;
  /** The port, or undefined when the key names none (the `-dns.port` default applies, 53). */
  readonly port: number | undefined;
}

export interface ServerBlock {
  readonly keys: readonly ServerKey[];
  readonly directives: readonly Directive[];
  readonly file: string;
  readonly line: number;
}

export interface Corefile {
  readonly file: string;
  readonly blocks: readonly ServerBlock[];
}
