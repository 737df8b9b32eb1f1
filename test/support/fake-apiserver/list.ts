// The list verb: `GET` on a collection without `watch`, with limit/continue pagination, selectors
// and resourceVersion/resourceVersionMatch, answered as a typed list (`ServiceList`) whose items
// carry no kind or apiVersion, as the real server sends them.
// Design decision: every page of one paginated list is read at the revision of its first page
// (the continue token carries it), so pages are consistent even while objects change; a token
// whose revision has been compacted answers 410 Expired, as etcd's compaction makes it. The body
// is streamed from the stored JSON strings in chunks, never built as one string.
import type { ServerResponse } from 'node:http';
import { SelectorError, selectionOf } from './selectors.js';
import type { Target } from './resources.js';
import { status, sendStatus, tooOldResourceVersion, type Status } from './status.js';
import { firstAfter, type Stored, type VersionedStore } from './store.js';

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  /** The key of the last item sent: the next page starts after it. */
  start: string;
}

const CHUNK = 64 * 1024;

export async function serveList(res: ServerResponse, store: VersionedStore, target: Target, params: URLSearchParams): Promise<void> {
  const plan = planList(store, target, params);
  if ('code' in plan) return sendStatus(res, plan);
  const { rv, after, limit } = plan;
  const snapshot = store.snapshot(target.resource, rv);
  if (!snapshot) return sendStatus(res, tooOldResourceVersion(rv, store.compactedRevision));
  const { keys, at, absent } = snapshot;
  // As etcd does, a namespaced list reads only the keys under that namespace's prefix.
  const prefix = target.namespace === '' ? '' : `${target.namespace}/`;
  const end = prefix === '' ? keys.length : firstAfter(keys, `${target.namespace}/\uffff`);
  const items: Stored[] = [];
  let more = false;
  let i = firstAfter(keys, after > prefix ? after : prefix);
  for (; i < end; i++) {
    const object = at(keys[i]!);
    if (!object || !plan.selection.matches(object)) continue;
    if (limit > 0 && items.length === limit) {
      more = true;
      break;
    }
    items.push(object);
  }
  const metadata: Record<string, string | number> = { resourceVersion: String(rv) };
  if (more) {
    metadata.continue = encodeToken({ v: 'meta.k8s.io/v1', rv, start: items[items.length - 1]!.key });
    if (!plan.selection.narrowed) {
      // Counted without visiting the rest of the list, which would make paging quadratic.
      const absentInRest = firstAfter(absent, keys[end - 1]!) - firstAfter(absent, keys[i - 1]!);
      metadata.remainingItemCount = end - i - absentInRest;
    }
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const head = `{"kind":"${target.resource.kind}List","apiVersion":"${target.resource.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
  await writeChunked(res, head, items, ']}');
}

interface ListPlan {
  /** The revision the list is read at. */
  rv: number;
  after: string;
  limit: number;
  selection: ReturnType<typeof selectionOf>;
}

/** Reads the query parameters, or says which Status answers them. */
function planList(store: VersionedStore, target: Target, params: URLSearchParams): ListPlan | Status {
  let selection;
  try {
    selection = selectionOf(target, params);
  } catch (err) {
    if (err instanceof SelectorError) return status(400, err.message);
    throw err;
  }
  const limitText = params.get('limit') ?? '0';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText)) return status(400, `limit: Invalid value: "${limitText}"`);
  const version = params.get('resourceVersion') ?? '';
  const match = params.get('resourceVersionMatch') ?? '';
  const token = params.get('continue') ?? '';
  if (version !== '' && !/^\d+$/.test(version)) return status(400, `resourceVersion: Invalid value: "${version}": must be a revision`);
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    return status(400, `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match !== '' && version === '') return status(400, 'resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (version !== '' && Number(version) > store.revision) {
    return status(504, `Too large resource version: ${version}, current: ${store.revision}`);
  }
  if (token !== '') {
    if (version !== '' && version !== '0') return status(400, 'specifying resource version is not allowed when using continue');
    const decoded = decodeToken(token);
    if (!decoded) return status(400, 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    if (decoded.rv < store.compactedRevision) {
      // As the real server: say the token expired, and offer one that continues at the current revision.
      const inconsistent = encodeToken({ ...decoded, rv: store.revision });
      return status(
        410,
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without ' +
          'the continue parameter, or use the continue token in this response to retrieve the remainder of the results. ' +
          'Continuing with the provided token results in an inconsistent list - objects that were created, modified, or ' +
          'deleted between the time the first chunk was returned and now may show up in the list.',
        { continue: inconsistent },
      );
    }
    return { rv: decoded.rv, after: decoded.start, limit, selection };
  }
  // Exact reads the past; unset, "0" and NotOlderThan are all satisfied by the present.
  const rv = match === 'Exact' ? Number(version) : store.revision;
  return { rv, after: '', limit, selection };
}

function encodeToken(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): ContinueToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (token.v === 'meta.k8s.io/v1' && Number.isSafeInteger(token.rv) && typeof token.start === 'string') {
      return token as ContinueToken;
    }
  } catch {
    // Not base64 JSON: the same 400 as a token of the wrong shape.
  }
  return undefined;
}

/** Writes head, the items' JSON joined by commas, and tail, in chunks that respect back-pressure. */
async function writeChunked(res: ServerResponse, head: string, items: Stored[], tail: string): Promise<void> {
  let chunk = head;
  for (let i = 0; i < items.length; i++) {
    chunk += i === 0 ? items[i]!.body : `,${items[i]!.body}`;
    if (chunk.length >= CHUNK) {
      if (!res.write(chunk) && !(await drained(res))) return;
      chunk = '';
    }
  }
  res.end(chunk + tail);
}

/** Resolves true once the response can take more, false if the connection closed first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
