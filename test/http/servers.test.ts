// The HTTP servers: one per address whatever the number of paths, route tables swapped in place
// on apply, addresses opened and closed as they come and go, and a failed bind changing nothing.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, test } from 'node:test';
import { HttpServers } from '../../src/http/servers.js';
import { memoryLogger } from '../../src/log.js';
import type { HttpAnswer, HttpRoute } from '../../src/runtime.js';
import { freePort } from '../support/unbound.js';

function route(address: string, path: string, answer: HttpAnswer | ((q: URLSearchParams) => HttpAnswer | Promise<HttpAnswer>)): HttpRoute {
  return { address, path, origin: `Corefile:1 test ${path}`, handle: typeof answer === 'function' ? answer : () => answer };
}

const text = (body: string, status = 200): HttpAnswer => ({ status, body });

async function get(port: number, path: string, host = '127.0.0.1'): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

let servers: HttpServers | undefined;
afterEach(async () => {
  await servers?.close();
  servers = undefined;
});

function start(): { servers: HttpServers; logs: string[] } {
  const log = memoryLogger();
  servers = new HttpServers(log);
  return { servers, logs: log.lines };
}

test('routes of one address share one server; an unknown path is 404 as in Go', async () => {
  const { servers, logs } = start();
  await servers.apply([route('127.0.0.1:0', '/health', text('OK')), route('127.0.0.1:0', '/ready', text('kubernetes', 503))]);
  const port = servers.port('127.0.0.1:0')!;
  assert.ok(port > 0);
  assert.deepEqual(await get(port, '/health'), { status: 200, type: 'text/plain; charset=utf-8', body: 'OK' });
  assert.deepEqual(await get(port, '/ready'), { status: 503, type: 'text/plain; charset=utf-8', body: 'kubernetes' });
  assert.deepEqual(await get(port, '/metrics'), { status: 404, type: 'text/plain; charset=utf-8', body: '404 page not found\n' });
  assert.deepEqual(logs, [`[INFO] http: serving /health, /ready on 127.0.0.1:${port}`]);
});

test('the query string reaches the handler, and a content type given is sent', async () => {
  const { servers } = start();
  await servers.apply([route('127.0.0.1:0', '/debug/index', (q) => ({ status: 200, body: `{"name":"${q.get('name')}"}`, contentType: 'text/plain; version=0.0.4; charset=utf-8' }))]);
  const res = await get(servers.port('127.0.0.1:0')!, '/debug/index?name=web.shop.svc.cluster.local');
  assert.deepEqual(res, { status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: '{"name":"web.shop.svc.cluster.local"}' });
});

test('the same path declared twice on one address is served by the first', async () => {
  const { servers } = start();
  await servers.apply([route('127.0.0.1:0', '/ready', text('first')), route('127.0.0.1:0', '/ready', text('second'))]);
  assert.equal((await get(servers.port('127.0.0.1:0')!, '/ready')).body, 'first');
});

test('a handler that throws answers 500 and is logged with its origin', async () => {
  const { servers, logs } = start();
  await servers.apply([
    route('127.0.0.1:0', '/boom', () => {
      throw new Error('kaput');
    }),
  ]);
  const res = await get(servers.port('127.0.0.1:0')!, '/boom');
  assert.equal(res.status, 500);
  assert.ok(logs.includes('[ERROR] http: Corefile:1 test /boom GET /boom: kaput'), logs.join('\n'));
});

test('apply swaps the routes of a kept address on the same port and connection, and closes an address no longer used', async () => {
  const { servers, logs } = start();
  const other = `127.0.0.1:${await freePort('127.0.0.1')}`;
  await servers.apply([route('127.0.0.1:0', '/health', text('old')), route(other, '/ready', text('OK'))]);
  const port = servers.port('127.0.0.1:0')!;
  const agent = keepAliveGet(port);
  assert.equal(await agent.get('/health'), 'old');
  await servers.apply([route('127.0.0.1:0', '/health', text('new')), route('127.0.0.1:0', '/metrics', text('# metrics'))]);
  assert.equal(servers.port('127.0.0.1:0'), port);
  assert.equal(await agent.get('/health'), 'new');
  assert.equal(await agent.get('/metrics'), '# metrics');
  assert.equal(agent.connections(), 1);
  agent.close();
  assert.equal(servers.port(other), undefined);
  assert.ok(logs.includes(`[INFO] http: closed ${other}`), logs.join('\n'));
  await assert.rejects(get(Number(other.split(':')[1]), '/ready'));
});

test('a bind that fails rejects naming the route, and leaves the servers as they were', async () => {
  const { servers } = start();
  await servers.apply([route('127.0.0.1:0', '/health', text('OK'))]);
  const port = servers.port('127.0.0.1:0')!;
  const taken = await occupy();
  try {
    await assert.rejects(
      servers.apply([route(`127.0.0.1:${taken.port}`, '/ready', text('OK'))]),
      new RegExp(`^Error: Corefile:1 test /ready: cannot listen on 127\\.0\\.0\\.1:${taken.port}: .*EADDRINUSE`),
    );
  } finally {
    taken.server.close();
  }
  assert.equal(servers.port('127.0.0.1:0'), port);
  assert.equal((await get(port, '/health')).body, 'OK');
});

test('an address without host listens on every address', async () => {
  const { servers } = start();
  const free = await freePort('127.0.0.1');
  await servers.apply([route(`:${free}`, '/health', text('OK'))]);
  assert.equal(servers.port(`:${free}`), free);
  assert.equal((await get(free, '/health', '127.0.0.1')).body, 'OK');
  if (ipv6) assert.equal((await get(free, '/health', '::1')).body, 'OK');
});

test('close answers the requests in flight, then refuses connections', async () => {
  const { servers } = start();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await servers.apply([route('127.0.0.1:0', '/slow', async () => (await held, text('late')))]);
  const port = servers.port('127.0.0.1:0')!;
  const inFlight = get(port, '/slow');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = servers.close();
  release();
  assert.equal((await inFlight).body, 'late');
  await closed;
  await assert.rejects(get(port, '/slow'));
});

test('applies take effect in the order made: a close right after an apply leaves nothing open', async () => {
  const { servers } = start();
  const free = await freePort('127.0.0.1');
  const opening = servers.apply([route(`127.0.0.1:${free}`, '/health', text('OK'))]);
  const closing = servers.close();
  await Promise.all([opening, closing]);
  assert.equal(servers.port(`127.0.0.1:${free}`), undefined);
  await assert.rejects(get(free, '/health'));
});

const ipv6 = await new Promise<boolean>((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '::1', () => probe.close(() => resolve(true)));
});

function occupy(): Promise<{ server: net.Server; port: number }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port }));
  });
}

/** Plain HTTP/1.1 GETs over one kept-alive connection, counting the connections made. */
function keepAliveGet(port: number): { get(path: string): Promise<string>; connections(): number; close(): void } {
  let socket: net.Socket | undefined;
  let made = 0;
  let buffered = '';
  return {
    get(path) {
      if (!socket || socket.destroyed) {
        socket = net.connect(port, '127.0.0.1');
        socket.setEncoding('utf8');
        made++;
      }
      const s = socket;
      return new Promise((resolve, reject) => {
        const onData = (chunk: string) => {
          buffered += chunk;
          const end = buffered.indexOf('\r\n\r\n');
          const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1]);
          if (end < 0 || !(buffered.length >= end + 4 + length)) return;
          s.off('data', onData);
          const body = buffered.slice(end + 4, end + 4 + length);
          buffered = buffered.slice(end + 4 + length);
          resolve(body);
        };
        s.on('data', onData);
        s.once('error', reject);
        s.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`);
      });
    },
    connections: () => made,
    close: () => socket?.destroy(),
  };
}
