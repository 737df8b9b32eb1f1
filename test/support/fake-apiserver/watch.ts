// The watch verb: a chunked stream of newline-delimited `{"type","object"}` events, as the real
// server sends for `?watch=true`.
// Design decision: history replay and the live subscription are set up in the same synchronous
// step, so no change can fall between them; an object that stops (or starts) matching the
// request's selectors is sent as DELETED (or ADDED), as the apiserver's watch cache does, and a
// start older than the kept history gets one ERROR event with a 410 Status, then the stream ends.
import type { ServerResponse } from 'node:http';
import { SelectorError, selectionOf, type Selection } from './selectors.js';
import type { Target } from './resources.js';
import { status, sendStatus, tooOldResourceVersion } from './status.js';
import { objectJson, withResourceVersion, type Change, type ChangeType, type Stored, type VersionedStore } from './store.js';

export interface WatchSettings {
  bookmarkIntervalMs: number;
}

export function serveWatch(
  res: ServerResponse,
  store: VersionedStore,
  target: Target,
  params: URLSearchParams,
  settings: WatchSettings,
): void {
  let selection: Selection;
  try {
    selection = selectionOf(target, params);
  } catch (err) {
    if (err instanceof SelectorError) return sendStatus(res, status(400, err.message));
    throw err;
  }
  const version = params.get('resourceVersion') ?? '';
  const timeoutText = params.get('timeoutSeconds') ?? '';
  if (version !== '' && !/^\d+$/.test(version)) return sendStatus(res, status(400, `resourceVersion: Invalid value: "${version}"`));
  if (timeoutText !== '' && !/^\d+$/.test(timeoutText)) return sendStatus(res, status(400, `timeoutSeconds: Invalid value: "${timeoutText}"`));

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const send = (type: ChangeType | 'BOOKMARK' | 'ERROR', object: string) => res.write(`{"type":"${type}","object":${object}}\n`);

  // Unset and "0" mean "the current state, then changes": the state comes as synthetic ADDED events.
  const from = version === '' || version === '0' ? undefined : Number(version);
  const replay = from === undefined ? [] : store.changesSince(from);
  if (!replay) {
    send('ERROR', JSON.stringify(tooOldResourceVersion(from!, store.compactedRevision)));
    res.end();
    return;
  }
  if (from === undefined) {
    const { keys, at } = store.snapshot(target.resource, store.revision)!;
    for (const key of keys) {
      const object = at(key)!;
      if (selection.matches(object)) send('ADDED', objectJson(object));
    }
  }
  const deliver = (change: Change) => {
    if (change.object.resource !== target.resource) return;
    const event = eventFor(change, selection);
    if (event) send(event.type, objectJson(event.object));
  };
  replay.forEach(deliver);
  const unsubscribe = store.subscribe(deliver);

  const timers: NodeJS.Timeout[] = [];
  if (params.get('allowWatchBookmarks') === 'true') {
    const { kind, apiVersion } = target.resource;
    const bookmark = () => send('BOOKMARK', JSON.stringify({ kind, apiVersion, metadata: { resourceVersion: String(store.revision) } }));
    timers.push(setInterval(bookmark, settings.bookmarkIntervalMs));
  }
  if (Number(timeoutText) > 0) timers.push(setTimeout(() => res.end(), Number(timeoutText) * 1000));
  res.on('close', () => {
    unsubscribe();
    timers.forEach(clearTimeout);
  });
}

/** What a watcher with this selection sees of a change, if anything. */
function eventFor(change: Change, selection: Selection): { type: ChangeType; object: Stored } | undefined {
  const before = change.prev !== undefined && selection.matches(change.prev);
  const after = change.type !== 'DELETED' && selection.matches(change.object);
  if (after) return { type: before ? 'MODIFIED' : 'ADDED', object: change.object };
  if (!before) return undefined;
  // Leaving the selection reads as a deletion of the last state the watcher could see.
  return { type: 'DELETED', object: change.type === 'DELETED' ? change.object : withResourceVersion(change.prev!, change.rv) };
}
