// Queries over TCP against the scripted upstream: connection reuse, pipelining with answers out
// of order, forged answers ignored, idle close, and an upstream closing a connection under us.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { endpoint } from '../../src/upstream/endpoint.js';
import { UpstreamError } from '../../src/upstream/failure.js';
import { countOf, upstreamMetrics } from '../../src/upstream/metrics.js';
import { TcpChannel } from '../../src/upstream/tcp.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { addresses, aQuery, aRecord } from './support.js';

let upstream: ScriptedUpstream;
let to: ReturnType<typeof endpoint>;
const channels: TcpChannel[] = [];

function channel(expireMs = 5000): TcpChannel {
  const c = new TcpChannel(to, expireMs);
  channels.push(c);
  return c;
}

before(async () => {
  upstream = await ScriptedUpstream.start();
  to = endpoint(upstream.host, upstream.port);
  upstream.script('www.example.com', { answers: [aRecord('192.0.2.1')] });
  upstream.script('slow.example.com', { answers: [aRecord('192.0.2.9')], delayMs: 150 });
  upstream.script('silent.example.com', { silent: true });
});
after(async () => {
  for (const c of channels) c.close();
  await upstream.stop();
});

test('queries one after another share one connection, counted as cache misses then hits', async () => {
  const c = channel();
  const connections = upstream.tcpConnections;
  const hits = countOf(upstreamMetrics().connCacheHits, to.label, 'tcp');
  const misses = countOf(upstreamMetrics().connCacheMisses, to.label, 'tcp');
  for (let i = 0; i < 3; i++) assert.deepEqual(addresses(await c.exchange(aQuery('www.example.com'), 1000)), ['192.0.2.1']);
  assert.equal(upstream.tcpConnections - connections, 1);
  assert.equal(countOf(upstreamMetrics().connCacheMisses, to.label, 'tcp') - misses, 1);
  assert.equal(countOf(upstreamMetrics().connCacheHits, to.label, 'tcp') - hits, 2);
});

test('pipelined queries on one connection get their own answers, the fast one before the slow one', async () => {
  const c = channel();
  const connections = upstream.tcpConnections;
  const order: string[] = [];
  const slow = c.exchange(aQuery('slow.example.com'), 1000).then((a) => (order.push('slow'), a));
  const fast = c.exchange(aQuery('www.example.com'), 1000).then((a) => (order.push('fast'), a));
  assert.deepEqual(addresses(await slow), ['192.0.2.9']);
  assert.deepEqual(addresses(await fast), ['192.0.2.1']);
  assert.deepEqual(order, ['fast', 'slow']);
  assert.equal(upstream.tcpConnections - connections, 1);
});

for (const how of ['id', 'question'] as const) {
  test(`a forged answer with another ${how} on the connection is ignored and counted`, async () => {
    const name = `forged-tcp-${how}.example.com`;
    upstream.script(name, { answers: [aRecord('192.0.2.4')], forge: { how } });
    const before = countOf(upstreamMetrics().ignoredAnswers, to.label, how);
    assert.deepEqual(addresses(await channel().exchange(aQuery(name), 1000)), ['192.0.2.4']);
    assert.equal(countOf(upstreamMetrics().ignoredAnswers, to.label, how), before + 1);
  });
}

test('a connection with nothing in flight closes after expire', async () => {
  const c = channel(100);
  await c.exchange(aQuery('www.example.com'), 1000);
  assert.equal(c.open, 1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(c.open, 0);
});

test('a reused connection the upstream closes under a query: the query is sent again on a new one', async () => {
  const c = channel();
  await c.exchange(aQuery('www.example.com'), 1000);
  upstream.script('hangup-once.example.com', { answers: [aRecord('192.0.2.5')], hangUp: 1 });
  const connections = upstream.tcpConnections;
  assert.deepEqual(addresses(await c.exchange(aQuery('hangup-once.example.com'), 1000)), ['192.0.2.5']);
  assert.equal(upstream.tcpConnections - connections, 1);
});

test('a new connection closed under its first query: an UpstreamError (closed or reset), no second try', async () => {
  upstream.script('hangup-twice.example.com', { answers: [aRecord('192.0.2.6')], hangUp: 2 });
  const connections = upstream.tcpConnections;
  await assert.rejects(
    channel().exchange(aQuery('hangup-twice.example.com'), 1000),
    (err: unknown) => err instanceof UpstreamError && (err.kind === 'closed' || err.kind === 'network'),
  );
  assert.equal(upstream.tcpConnections - connections, 1);
});

test('no answer: kind timeout; the connection stays for the next query', async () => {
  const c = channel();
  await assert.rejects(c.exchange(aQuery('silent.example.com'), 200), (err: unknown) => err instanceof UpstreamError && err.kind === 'timeout');
  assert.equal(c.open, 1);
  assert.deepEqual(addresses(await c.exchange(aQuery('www.example.com'), 1000)), ['192.0.2.1']);
});

test('nothing listening: kind network', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
  const c = new TcpChannel(endpoint('127.0.0.1', closed), 1000);
  await assert.rejects(c.exchange(aQuery('www.example.com'), 1000), (err: unknown) => err instanceof UpstreamError && err.kind === 'network');
  assert.equal(c.open, 0);
});
