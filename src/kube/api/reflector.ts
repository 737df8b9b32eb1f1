// One resource's list+watch loop, as client-go's reflector runs it but without its cache: a
// paginated list, then a watch from the list's resourceVersion whose events are projected one by
// one as their line arrives (the raw object is garbage as soon as it is projected). The first
// list goes to the sink page by page, as nothing is there yet to compare with, so no more than
// a page is ever held; every later list (a relist, or a retry after a first list broke off)
// is collected whole, projected, and applied with replaceKind, which changes only what differs. Design decision: the loop never gives up and never
// throws: an expired resourceVersion (410) lists again and lets replaceKind apply only the
// difference, so unchanged names never vanish; a clean end of the watch resumes at once from
// the last resourceVersion; every other failure retries after an exponential backoff with
// jitter while the sink keeps serving what it has.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log.js';
import type { KubeObject, ObjectSink } from '../objects.js';
import { projectAs } from '../project.js';
import { Backoff, type BackoffSettings } from './backoff.js';
import type { ApiConnection } from './connection.js';
import { ApiError, exchange } from './exchange.js';
import { lastChangeTrigger, type ProgrammingLatency } from './programming-latency.js';
import { collectionPath, type ApiResource } from './resources.js';

export interface ReflectorSettings {
  resource: ApiResource;
  /** Only this namespace's objects; undefined for every namespace. */
  namespace: string | undefined;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  /** Objects per list page (`limit`). */
  pageSize: number;
  /** A request that receives nothing for this long (bookmarks included) is abandoned. */
  silenceMs: number;
  backoff: BackoffSettings;
  /** `timeoutSeconds` of the next watch. */
  watchTimeoutSeconds: () => number;
}

/** How one list+watch attempt ended: the server closed the watch, the resourceVersion expired, or a failure. */
type Outcome = 'ended' | 'expired' | Error;

export class Reflector {
  /** The resourceVersion to watch from; undefined when a list is needed first. */
  private resourceVersion: string | undefined;
  private readonly backoff: Backoff;
  private listed = false;
  /** Whether the sink may hold objects of this reflector's; until then a list is delivered page by page. */
  private delivered = false;
  /** Set by the first event of a watch: the connection proved healthy. */
  private healthy = false;
  /** What the current attempt is doing, for messages. */
  private phase: 'list' | 'watch' = 'list';

  constructor(
    private readonly connection: ApiConnection,
    private readonly sink: ObjectSink,
    private readonly log: Logger,
    private readonly settings: ReflectorSettings,
    private readonly latency: ProgrammingLatency,
    /** Called once, when the first list has been delivered. */
    private readonly onListed: () => void,
  ) {
    this.backoff = new Backoff(settings.backoff);
  }

  /** What this reflector follows, for messages: `services`, `pods in shop`. */
  get name(): string {
    const { resource, namespace } = this.settings;
    return namespace === undefined ? resource.plural : `${resource.plural} in ${namespace}`;
  }

  /** Whether the first list has been delivered. */
  get synced(): boolean {
    return this.listed;
  }

  /** Lists and watches until `stop` is aborted; resolves then, and never rejects. */
  async run(stop: AbortSignal): Promise<void> {
    let delay = 0;
    let expiries = 0;
    while (!stop.aborted) {
      if (delay > 0) {
        try {
          await sleep(delay, undefined, { signal: stop });
        } catch {
          return;
        }
      }
      this.healthy = false;
      let end: Outcome = 'ended';
      try {
        if (this.resourceVersion === undefined) {
          this.phase = 'list';
          await this.list(stop);
        }
        this.phase = 'watch';
        await this.watch(stop);
      } catch (err) {
        if (stop.aborted) return;
        end = err instanceof ApiError && err.expired ? 'expired' : (err as Error);
      }
      if (this.healthy) expiries = 0;
      if (end === 'expired') {
        this.log.info(`kubernetes: ${this.name}: resourceVersion ${this.resourceVersion ?? ''} expired; listing again`);
        this.resourceVersion = undefined;
        // A first expiry is routine (the watch fell behind the server's history); a second in a row is not.
        delay = expiries++ === 0 ? 0 : this.backoff.next();
      } else if (end === 'ended') {
        delay = this.healthy ? 0 : this.retry('the watch ended before sending anything');
      } else {
        delay = this.retry(end.message, end instanceof ApiError ? end.retryAfterMs : undefined);
      }
    }
  }

  private retry(problem: string, atLeastMs = 0): number {
    const delay = Math.max(this.backoff.next(), atLeastMs);
    this.log.warn(`kubernetes: ${this.phase} ${this.name}: ${problem}; retrying in ${(delay / 1000).toFixed(2)} s`);
    return delay;
  }

  /** Lists every page: delivered page by page to an empty sink, otherwise collected and applied as a diff. */
  private async list(stop: AbortSignal): Promise<void> {
    const { resource, namespace, pageSize } = this.settings;
    // Ends a page asked for ahead when the list fails or stops.
    const listing = new AbortController();
    const signal = AbortSignal.any([stop, listing.signal]);
    let streaming = !this.delivered;
    const objects: KubeObject[] = [];
    let limit = pageSize;
    let token: string | undefined;
    let resourceVersion: string | undefined;
    let next = this.page(limit, token, signal);
    try {
      for (;;) {
        let page: unknown;
        try {
          page = await next;
        } catch (err) {
          if (!(token !== undefined && err instanceof ApiError && err.expired)) throw err;
          // As client-go's pager: the snapshot being paged through is gone; read the present in one go.
          this.log.info(`kubernetes: list ${this.name}: the continue token expired; listing everything in one request`);
          // Pages already delivered may hold objects deleted since: the whole present must replace them.
          streaming = false;
          objects.length = 0;
          limit = 0;
          token = undefined;
          next = this.page(limit, token, signal);
          continue;
        }
        const { items, metadata } = listBody(page);
        resourceVersion = metadata.resourceVersion;
        token = metadata.continue;
        // The server prepares the next page while this one is applied.
        if (token !== undefined) next = this.page(limit, token, signal);
        if (streaming) this.delivered = true;
        for (const item of items) {
          const p = projectAs(resource.kind, item);
          if ('object' in p) {
            if (streaming) this.sink.upsert(p.object);
            else objects.push(p.object);
          } else if ('error' in p) this.log.error(`kubernetes: ${this.name}: ${p.error}; skipped`);
        }
        if (token === undefined) break;
      }
    } finally {
      listing.abort();
    }
    if (!streaming) this.sink.replaceKind(resource.kind, objects, resource.namespaced ? namespace : undefined);
    this.delivered = true;
    this.resourceVersion = resourceVersion;
    if (!this.listed) {
      this.listed = true;
      this.onListed();
    }
  }

  /** One list page, parsed; marked handled at once, as it may fail while the previous page is applied. */
  private page(limit: number, token: string | undefined, signal: AbortSignal): Promise<unknown> {
    const page = this.request({ limit: limit > 0 ? String(limit) : undefined, continue: token }, signal).then((exchange) => exchange.json());
    page.catch(() => undefined);
    return page;
  }

  /** Follows the watch until the server ends it; ERROR events and failures reject. */
  private async watch(stop: AbortSignal): Promise<void> {
    const query = {
      watch: 'true',
      allowWatchBookmarks: 'true',
      resourceVersion: this.resourceVersion,
      timeoutSeconds: String(this.settings.watchTimeoutSeconds()),
    };
    await (await this.request(query, stop)).lines((line, receivedAt) => this.event(line, receivedAt));
  }

  private request(params: Record<string, string | undefined>, stop: AbortSignal) {
    const { resource, namespace, labelSelector, fieldSelector, silenceMs } = this.settings;
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ labelSelector, fieldSelector, ...params })) {
      if (value !== undefined && value !== '') query.set(key, value);
    }
    return exchange(this.connection, `${collectionPath(resource, namespace)}?${query}`, stop, silenceMs);
  }

  /** Applies one line of a watch; throws (ending the watch) for ERROR events and failures to apply. */
  private event(line: string, receivedAt: number): void {
    let event: { type?: unknown; object?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      this.log.error(`kubernetes: watch ${this.name}: skipped a line that is not JSON: ${clip(line)}`);
      return;
    }
    const { type, object } = event ?? {};
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        this.becameHealthy();
        this.change(type, object, receivedAt);
        return;
      case 'BOOKMARK':
        this.becameHealthy();
        this.resourceVersion = resourceVersionOf(object) ?? this.resourceVersion;
        return;
      case 'ERROR':
        throw statusError(object);
      default:
        this.log.error(`kubernetes: watch ${this.name}: skipped an event of unknown type: ${clip(line)}`);
    }
  }

  private becameHealthy(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.backoff.reset();
  }

  private change(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: unknown, receivedAt: number): void {
    const { kind } = this.settings.resource;
    const id = identity(object, this.settings.resource.namespaced);
    try {
      if (type === 'DELETED') {
        if (id) this.sink.remove(kind, id.namespace, id.name);
      } else {
        const p = projectAs(kind, object);
        if ('object' in p) {
          this.sink.upsert(p.object);
        } else if ('error' in p) {
          // A version that turned bad replaces the good one by nothing, as a re-list would.
          this.log.error(`kubernetes: ${this.name}: ${p.error}; skipped`);
          if (id && type === 'MODIFIED') this.sink.remove(kind, id.namespace, id.name);
        }
      }
    } catch (err) {
      // The sink's state is no longer known to match the API's: start over from a list.
      this.resourceVersion = undefined;
      throw err;
    }
    this.latency.eventApplied(kind, (performance.now() - receivedAt) / 1000);
    if (kind === 'EndpointSlice' && type !== 'DELETED') this.sliceLatency(object);
    this.resourceVersion = resourceVersionOf(object) ?? this.resourceVersion;
  }

  private sliceLatency(object: unknown): void {
    const trigger = lastChangeTrigger(object);
    if (trigger === undefined) return;
    if ('at' in trigger) this.latency.sliceProgrammed(trigger.at);
    else this.log.warn(`kubernetes: ${this.name}: invalid last-change-trigger-time "${clip(trigger.invalid)}"; programming latency not measured`);
  }
}

interface ListMetadata {
  resourceVersion: string;
  continue: string | undefined;
}

/** The items and metadata of a list answer; throws when it is not one. */
function listBody(page: unknown): { items: unknown[]; metadata: ListMetadata } {
  const body = page as { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } } | null;
  const items = body?.items ?? [];
  if (!Array.isArray(items)) throw new Error('the list answer has no items list');
  const resourceVersion = body?.metadata?.resourceVersion;
  if (typeof resourceVersion !== 'string' || resourceVersion === '') throw new Error('the list answer has no resourceVersion');
  const token = body?.metadata?.continue;
  return { items, metadata: { resourceVersion, continue: typeof token === 'string' && token !== '' ? token : undefined } };
}

function statusError(object: unknown): ApiError {
  const status = (object ?? {}) as { code?: unknown; reason?: unknown; message?: unknown };
  const code = typeof status.code === 'number' ? status.code : 500;
  const reason = typeof status.reason === 'string' ? status.reason : '';
  const message = typeof status.message === 'string' ? status.message : 'an ERROR event without a message';
  return new ApiError(code, reason, `${code} ${reason}: ${message}`);
}

function resourceVersionOf(object: unknown): string | undefined {
  const rv = (object as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

/** Namespace and name of a raw object, namespace defaulted as projection does; undefined without a name. */
function identity(object: unknown, namespaced: boolean): { namespace: string; name: string } | undefined {
  const metadata = (object as { metadata?: { name?: unknown; namespace?: unknown } } | null)?.metadata;
  if (typeof metadata?.name !== 'string' || metadata.name === '') return undefined;
  const namespace = namespaced ? (typeof metadata.namespace === 'string' && metadata.namespace) || 'default' : '';
  return { namespace, name: metadata.name };
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
