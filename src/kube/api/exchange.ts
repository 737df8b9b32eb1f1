// One GET to the API server, read as a whole JSON document (a list page) or line by line (a watch).
// Design decision: a silence timer runs from the request until the body's end and restarts on
// every chunk, so a connection that died without a FIN or RST (a vanished node, a NAT that
// forgot the flow) is abandoned after `silenceMs` instead of being waited on forever.
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApiConnection } from './connection.js';

/** A non-2xx answer, with the Status the server sent (or what could be made of the body). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** From a Retry-After header (429, 503), in ms. */
    readonly retryAfterMs: number | undefined = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 410 Gone / Expired: the resourceVersion or continue token is older than the server's history. */
  get expired(): boolean {
    return this.code === 410 || this.reason === 'Expired' || this.reason === 'Gone';
  }
}

/** Nothing arrived for too long. */
export class SilenceError extends Error {
  constructor(ms: number) {
    super(`no data from the API server for ${ms / 1000} s`);
    this.name = 'SilenceError';
  }
}

export interface Exchange {
  /** The whole body, parsed as JSON. */
  json(): Promise<unknown>;
  /**
   * Calls `onLine` with every non-empty line as it arrives, with the time (performance.now()) its
   * chunk was received; resolves when the server ends the body. A throwing `onLine` ends the
   * exchange with its error.
   */
  lines(onLine: (line: string, receivedAt: number) => void): Promise<void>;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Sends `GET path`; resolves once a 2xx answer's headers are in, rejects with ApiError for others. */
export async function exchange(connection: ApiConnection, path: string, stop: AbortSignal, silenceMs: number): Promise<Exchange> {
  stop.throwIfAborted();
  const controller = new AbortController();
  const onStop = () => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new SilenceError(silenceMs)), silenceMs);
  };
  const finish = () => {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  };
  // An abort's own error says only "aborted"; the reason says why.
  const explain = (err: unknown) => (controller.signal.reason instanceof SilenceError ? controller.signal.reason : err);

  arm();
  let res: IncomingMessage;
  try {
    res = await connection.get(path, controller.signal);
  } catch (err) {
    finish();
    throw explain(err);
  }
  if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode > 299) {
    let error: unknown;
    try {
      error = await failure(res);
    } catch (err) {
      error = err;
    } finally {
      finish();
    }
    throw explain(error);
  }

  const read = (onChunk: (chunk: string, receivedAt: number) => void): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        arm();
        try {
          onChunk(chunk, performance.now());
        } catch (err) {
          ended = true;
          finish();
          res.destroy();
          reject(err);
        }
      });
      res.on('end', () => {
        if (ended) return;
        ended = true;
        finish();
        resolve();
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        if (ended) return;
        ended = true;
        finish();
        reject(explain(new Error('the API server closed the connection')));
      });
    });

  return {
    async json() {
      const chunks: string[] = [];
      await read((chunk) => chunks.push(chunk));
      try {
        return JSON.parse(chunks.join('')) as unknown;
      } catch (err) {
        throw new Error(`the API server's answer is not JSON: ${(err as Error).message}`);
      }
    },
    lines(onLine) {
      let pending = '';
      return read((chunk, receivedAt) => {
        pending += chunk;
        let start = 0;
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
          const line = pending.slice(start, nl).trim();
          start = nl + 1;
          if (line !== '') onLine(line, receivedAt);
        }
        pending = pending.slice(start);
      });
    },
  };
}

/** The ApiError for a non-2xx answer, read from its Status body when it has one. */
async function failure(res: IncomingMessage): Promise<ApiError> {
  const code = res.statusCode ?? 0;
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    if (text.length < MAX_ERROR_BODY) text += chunk as string;
  }
  let reason = res.statusMessage ?? '';
  let message = `${code} ${reason}`.trim();
  try {
    const status = JSON.parse(text) as { reason?: unknown; message?: unknown };
    if (typeof status.reason === 'string') reason = status.reason;
    if (typeof status.message === 'string') message = `${code} ${reason}: ${status.message}`;
  } catch {
    // Not a Status (a proxy's HTML page, say): the status line says enough.
  }
  const retryAfter = Number(res.headers['retry-after']);
  return new ApiError(code, reason, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
}
