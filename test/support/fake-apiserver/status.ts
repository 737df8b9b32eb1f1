// metav1.Status bodies: what the API server answers on failure, and what a watch's ERROR event carries.
// Design decision: the reason follows from the HTTP code, as in the apiserver's errors package, so
// fault injection (`failNext(n, 503)`) produces exactly what a client would see from a real server.
import type { ServerResponse } from 'node:http';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, string>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function status(code: number, message: string, metadata: Record<string, string> = {}): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', code };
}

export function sendStatus(res: ServerResponse, body: Status): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  // The real server asks throttled clients to come back later rather than at once.
  if (body.code === 429) headers['Retry-After'] = '1';
  res.writeHead(body.code, headers).end(JSON.stringify(body));
}

/** As kube-apiserver words it when a watch starts before the history it still keeps. */
export function tooOldResourceVersion(requested: number, compacted: number): Status {
  return status(410, `too old resource version: ${requested} (${compacted})`);
}
