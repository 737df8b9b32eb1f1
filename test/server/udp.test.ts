// UDP listener lifetime: a reply that is ready only after the listener closed is dropped quietly.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { authoritative } from '../../src/dns/reply.js';
import { encodeQuery } from '../../src/dns/wire.js';
import { memoryLogger } from '../../src/log.js';
import { Handler } from '../../src/server/handle.js';
import { Router } from '../../src/server/router.js';
import { newStats } from '../../src/server/stats.js';
import { listenUdp } from '../../src/server/udp.js';

test('a slow answer finishing after the socket closed neither throws nor rejects', async () => {
  let answered!: () => void;
  const done = new Promise<void>((resolve) => (answered = resolve));
  const chain = () =>
    new Promise<ReturnType<typeof authoritative>>((resolve) =>
      setTimeout(() => {
        resolve(authoritative(0, []));
        setImmediate(answered);
      }, 150),
    );
  const handler = new Handler(new Router([{ zones: [''], port: 0, chain, observers: [] }]), newStats(), memoryLogger());
  const socket = await listenUdp('127.0.0.1', 0, handler, memoryLogger());
  const failures: unknown[] = [];
  const record = (err: unknown) => failures.push(err);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  try {
    const client = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => client.send(encodeQuery({ id: 1, name: 'slow.example', type: 'A' }), socket.address().port, '127.0.0.1', () => resolve()));
    await new Promise((r) => setTimeout(r, 30));
    socket.close();
    await done;
    await new Promise((r) => setTimeout(r, 50));
    client.close();
    assert.deepEqual(failures, []);
  } finally {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
  }
});
