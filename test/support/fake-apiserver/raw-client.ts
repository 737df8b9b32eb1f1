// A minimal HTTP client for the fake API server's wire protocol, for tests that check exactly what
// goes over the wire (status codes, list bodies, the lines of a watch stream).
// Design decision: one fresh connection per request (no agent), so a test's stop() never waits on
// a pooled socket and a cut watch shows up as a cut connection, not as a reused one.
import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { ApiObject } from './store.js';

export interface Endpoint {
  url: string;
  token: string;
}

export interface JsonAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

export interface WatchEvent {
  type: string;
  object: ApiObject & Record<string, any>;
}

export interface WatchStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** Every event received so far. */
  events: WatchEvent[];
  /** The next event not yet taken by `next`, waiting up to `timeoutMs` (default 3000) for it. */
  next(timeoutMs?: number): Promise<WatchEvent>;
  /** 'end' when the server finished the stream, 'cut' when the connection broke. */
  ended: Promise<'end' | 'cut'>;
  close(): void;
}

/** GET `path` and parse the JSON answer; `token` overrides the server's (null sends none). */
export async function getJson(server: Endpoint, path: string, token: string | null = server.token): Promise<JsonAnswer> {
  const res = await request(server, path, token);
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk;
  return { status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) };
}

/** Opens a watch: GET `path` (which should carry `watch=true`) and read events as they arrive. */
export async function openWatch(server: Endpoint, path: string): Promise<WatchStream> {
  const res = await request(server, path, server.token);
  const events: WatchEvent[] = [];
  const waiters: (() => void)[] = [];
  let taken = 0;
  let buffer = '';
  let finished = false;
  const ended = new Promise<'end' | 'cut'>((resolve) => {
    res.on('end', () => {
      finished = true;
      resolve('end');
    });
    res.on('close', () => {
      finished = true;
      resolve('cut');
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  res.on('error', () => undefined);
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) if (line !== '') events.push(JSON.parse(line) as WatchEvent);
    waiters.splice(0).forEach((wake) => wake());
  });
  const next = async (timeoutMs = 3000): Promise<WatchEvent> => {
    const deadline = Date.now() + timeoutMs;
    while (taken >= events.length) {
      if (finished) throw new Error(`the watch ended after ${events.length} events`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no watch event within ${timeoutMs} ms (had ${events.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return events[taken++]!;
  };
  return { status: res.statusCode ?? 0, headers: res.headers, events, next, ended, close: () => res.destroy() };
}

function request(server: Endpoint, path: string, token: string | null): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
    get(`${server.url}${path}`, { agent: false, headers }, resolve).on('error', reject);
  });
}
