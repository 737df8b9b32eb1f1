// One request to the API server: Status errors, lines split anywhere, silence, cut connections and stop.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, test } from 'node:test';
import { openConnection, type ApiConnection } from '../../../src/kube/api/connection.js';
import { ApiError, exchange, SilenceError } from '../../../src/kube/api/exchange.js';
import { rawServer, type RawServer } from './support.js';

/** What the server does with the next request, by path. */
const routes = new Map<string, (res: ServerResponse) => void>();
let server: RawServer;
let connection: ApiConnection;
const live = new AbortController().signal;

before(async () => {
  server = await rawServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(res);
    else res.writeHead(404).end();
  });
  connection = await openConnection({ kubeconfig: undefined, endpoint: server.url });
});
after(() => server.stop());

test('a non-2xx answer is an ApiError with the Status’s reason and message, and Retry-After', async () => {
  const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', code, reason, message });
  routes.set('/gone', (res) => res.writeHead(410).end(status(410, 'Expired', 'too old resource version: 5 (9)')));
  routes.set('/busy', (res) => res.writeHead(429, { 'Retry-After': '2' }).end(status(429, 'TooManyRequests', 'slow down')));
  routes.set('/proxy', (res) => res.writeHead(502, 'Bad Gateway').end('<html>upstream down</html>'));
  const cases = [
    { path: '/gone', code: 410, reason: 'Expired', message: '410 Expired: too old resource version: 5 (9)', expired: true, retryAfterMs: undefined },
    { path: '/busy', code: 429, reason: 'TooManyRequests', message: '429 TooManyRequests: slow down', expired: false, retryAfterMs: 2000 },
    { path: '/proxy', code: 502, reason: 'Bad Gateway', message: '502 Bad Gateway', expired: false, retryAfterMs: undefined },
  ];
  for (const c of cases) {
    await assert.rejects(exchange(connection, c.path, live, 1000), (err: unknown) => {
      assert.ok(err instanceof ApiError, c.path);
      assert.deepEqual([err.code, err.reason, err.message, err.expired, err.retryAfterMs], [c.code, c.reason, c.message, c.expired, c.retryAfterMs]);
      return true;
    });
  }
});

test('lines come whole, however the body is cut into chunks, multi-byte characters included', async () => {
  const text = '{"a":"é"}\n\n{"b":"日本"}\r\n{"c":3}\n';
  const bytes = Buffer.from(text);
  routes.set('/chunks', (res) => {
    res.writeHead(200);
    let i = 0;
    // One byte at a time, splitting every character and line end.
    const next = () => (i < bytes.length ? res.write(bytes.subarray(i, ++i), () => setImmediate(next)) : res.end());
    next();
  });
  const lines: string[] = [];
  await (await exchange(connection, '/chunks', live, 1000)).lines((line) => lines.push(line));
  assert.deepEqual(lines, ['{"a":"é"}', '{"b":"日本"}', '{"c":3}']);
});

test('a whole body parses as JSON; one that is not JSON is an error saying so', async () => {
  routes.set('/json', (res) => res.writeHead(200).end('{"items":[1,2]}'));
  routes.set('/html', (res) => res.writeHead(200).end('<html>'));
  assert.deepEqual(await (await exchange(connection, '/json', live, 1000)).json(), { items: [1, 2] });
  await assert.rejects((await exchange(connection, '/html', live, 1000)).json(), /the API server's answer is not JSON/);
});

test('silence: no answer, or a body that stops flowing, is abandoned after silenceMs', async () => {
  routes.set('/mute', () => undefined);
  routes.set('/stall', (res) => {
    res.writeHead(200);
    res.write('{"type":"BOOKMARK"}\n');
  });
  let started = Date.now();
  await assert.rejects(exchange(connection, '/mute', live, 150), (err: unknown) => err instanceof SilenceError);
  assert.ok(Date.now() - started >= 140, 'not before the silence');
  started = Date.now();
  const lines: string[] = [];
  await assert.rejects((await exchange(connection, '/stall', live, 150)).lines((l) => lines.push(l)), SilenceError);
  assert.deepEqual(lines, ['{"type":"BOOKMARK"}'], 'what came before the silence was delivered');
});

test('a connection cut before the end of the body rejects; a throwing reader ends the exchange', async () => {
  routes.set('/cut', (res) => {
    res.writeHead(200);
    res.write('{"n":1}\n', () => res.destroy());
  });
  routes.set('/long', (res) => {
    res.writeHead(200);
    res.write('{"n":1}\n{"n":2}\n');
  });
  await assert.rejects((await exchange(connection, '/cut', live, 1000)).lines(() => undefined), /closed the connection/);
  const seen: string[] = [];
  const failing = (line: string) => {
    seen.push(line);
    throw new Error('cannot apply');
  };
  await assert.rejects((await exchange(connection, '/long', live, 1000)).lines(failing), /cannot apply/);
  assert.deepEqual(seen, ['{"n":1}'], 'nothing is read after the failure');
});

test('stop aborts a request waiting for its answer and a body being read', async () => {
  routes.set('/mute', () => undefined);
  routes.set('/open', (res) => res.writeHead(200).write('\n'));
  const stop = new AbortController();
  const waiting = exchange(connection, '/mute', stop.signal, 10_000);
  const reading = (await exchange(connection, '/open', stop.signal, 10_000)).lines(() => undefined);
  setTimeout(() => stop.abort(), 20);
  await assert.rejects(waiting, { name: 'AbortError' });
  await assert.rejects(reading);
});

test('a request asked for after stop is not sent', async () => {
  const before = server.requests.length;
  await assert.rejects(exchange(connection, '/json', AbortSignal.abort(), 1000), { name: 'AbortError' });
  assert.equal(server.requests.length, before);
});
