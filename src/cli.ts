#!/usr/bin/env node
// The clusterdns command: CoreDNS's flags (`-conf FILE`, `-dns.port N`) plus GNU spellings.
// Exit 2 for bad flags, 1 for a bad Corefile or a failed start, 0 after a clean shutdown (2 when a
// second signal cuts the shutdown short; see supervisor.ts).
import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { parseFlags, usage, type Flags } from './flags.js';
import { consoleLogger } from './log.js';
import { createRuntime } from './runtime.js';
import { Supervisor } from './supervisor.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`clusterdns: ${(err as Error).message}\n${usage()}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`clusterdns-${version()}\nnode-${process.version}\n`);
    return 0;
  }
  const supervisor = new Supervisor(createRuntime(version(), consoleLogger), { defaultPort: flags.port });
  try {
    await supervisor.start(flags.conf);
    await supervisor.stopped;
    return 0;
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `start-up failed: ${(err as Error).message}`;
    process.stderr.write(`clusterdns: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main();
