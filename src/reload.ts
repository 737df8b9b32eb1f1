// Reloading the Corefile while the server runs, as CoreDNS's `reload` does: a watch that notices
// when the file's content changed, and the reload that swaps the running configuration for the
// new one, or keeps the old one answering when the new one is bad or cannot start.
// Design decision: every check reads the file by path and hashes its bytes; nothing watches an
// inode. A ConfigMap volume replaces the Corefile by swapping its `..data` symlink, which a watch
// on the old file would never see, and a hash ignores a touch that changes nothing.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { markTried, reloadMetrics } from './metrics/reload.js';
import { startApp, type App, type AppOptions } from './app.js';
import { parseCorefile } from './config/parse.js';
import type { ReloadSettings } from './runtime.js';

/** The Corefile as one check read it. */
export interface CorefileContent {
  readonly text: string;
  /** SHA-512 of the bytes, in hex (CoreDNS's hash). */
  readonly sha512: string;
}

export async function readCorefile(path: string): Promise<CorefileContent> {
  const bytes = await readFile(path);
  return { text: bytes.toString('utf8'), sha512: createHash('sha512').update(bytes).digest('hex') };
}

/**
 * Reads `path` now, then again every interval ± jitter/2 (CoreDNS's spread), and calls `onChange`
 * when the content differs from the last content tried: the first read counts as tried, and so
 * does a content that failed to load, which is not tried again until it changes. `onChange`
 * reloads and answers with the `reload` settings of the configuration running afterwards; the
 * checks go on with those, jittered anew, or end when it has none. A Corefile that cannot be
 * read (mid-swap, say) is skipped until it can. Resolves once ended or `signal` aborted.
 */
export async function watchCorefile(
  path: string,
  settings: ReloadSettings,
  onChange: () => Promise<ReloadSettings | undefined>,
  signal: AbortSignal,
): Promise<void> {
  let tried = await hashOf(path);
  let current: ReloadSettings | undefined = settings;
  let delay = checkDelay(settings);
  while (current) {
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return; // sleep rejects only when aborted
    }
    const sha512 = await hashOf(path);
    if (sha512 === undefined || sha512 === tried) continue;
    tried = sha512;
    current = await onChange();
    if (current) delay = checkDelay(current);
  }
}

async function hashOf(path: string): Promise<string | undefined> {
  try {
    return (await readCorefile(path)).sha512;
  } catch {
    return undefined;
  }
}

/** The interval moved by up to half the jitter either way, as CoreDNS spreads it; `random` in [0, 1). */
export function checkDelay(settings: ReloadSettings, random = Math.random()): number {
  return settings.intervalMs + (random - 0.5) * settings.jitterMs;
}

/**
 * One reload: the Corefile at `path` is read, started beside `current` and takes it over.
 * Resolves with the configuration now running: the new one, or `current` when the new Corefile
 * does not parse, does not set up or does not start (logged as CoreDNS logs it, counted in
 * coredns_reload_failed_total). One reload at a time: the caller serializes them.
 */
export async function reloadApp(current: App, path: string, options: AppOptions): Promise<App> {
  const { log } = options;
  const metrics = reloadMetrics(options.runtime.metrics);
  log.info('Reloading');
  let content: CorefileContent | undefined;
  let next: App | undefined;
  try {
    content = await readCorefile(path);
    next = await startApp(parseCorefile(content.text, path), options, current);
    await next.takeOver(current);
  } catch (err) {
    await next?.stop();
    metrics.failed.inc();
    log.error(`plugin/reload: Corefile changed but reload failed: ${err instanceof Error ? err.message : String(err)}`);
    return current;
  } finally {
    if (content) markTried(metrics, content.sha512);
  }
  log.info(`plugin/reload: Running configuration SHA512 = ${content.sha512}`);
  log.info('Reloading complete');
  return next;
}
