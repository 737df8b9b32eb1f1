// TCP framing and connection lifetime (RFC 7766), on a listener with a stub chain.
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { test } from 'node:test';
import { authoritative } from '../../src/dns/reply.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire.js';
import { memoryLogger } from '../../src/log.js';
import { Handler } from '../../src/server/handle.js';
import { Router } from '../../src/server/router.js';
import { newStats } from '../../src/server/stats.js';
import { listenTcp } from '../../src/server/tcp.js';

function framed(wire: Buffer): Buffer {
  const b = Buffer.alloc(2 + wire.length);
  b.writeUInt16BE(wire.length, 0);
  wire.copy(b, 2);
  return b;
}

async function withListener(idleMs: number, delayMs: number, fn: (port: number) => Promise<void>): Promise<void> {
  const chain = () =>
    new Promise<ReturnType<typeof authoritative>>((resolve) => setTimeout(() => resolve(authoritative(0, [])), delayMs));
  const handler = new Handler(new Router([{ zones: [''], port: 0, chain, observers: [] }]), newStats(), memoryLogger());
  const listener = await listenTcp('127.0.0.1', 0, handler, memoryLogger(), { idleMs, maxInFlight: 128 });
  try {
    await fn((listener.server.address() as net.AddressInfo).port);
  } finally {
    await listener.close();
  }
}

test('a message split across many TCP segments is reassembled', async () => {
  await withListener(5000, 0, async (port) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    await once(socket, 'connect');
    const bytes = framed(encodeQuery({ id: 77, name: 'split.example', type: 'A' }));
    for (const b of bytes) {
      socket.write(Buffer.from([b]));
      await new Promise((r) => setImmediate(r));
    }
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    assert.equal(decodeMessage(chunk.subarray(2)).id, 77);
    socket.destroy();
  });
});

test('an idle connection is closed after the idle timeout', async () => {
  await withListener(150, 0, async (port) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await once(socket, 'connect');
    const started = Date.now();
    await once(socket, 'close');
    assert.ok(Date.now() - started >= 100, 'closed by the server, not at once');
  });
});

test('a connection with a query in flight outlives the idle timeout', async () => {
  await withListener(100, 400, async (port) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await once(socket, 'connect');
    socket.write(framed(encodeQuery({ id: 78, name: 'slow.example', type: 'A' })));
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    assert.equal(decodeMessage(chunk.subarray(2)).id, 78);
    socket.destroy();
  });
});
