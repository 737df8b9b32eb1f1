// Handing an open listener to another handler (what a reload does): UDP and TCP answer with the
// new handler from the next message on, an open TCP connection included, and a handler tells
// when the answers it was still working on are done.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { test } from 'node:test';
import { authoritative } from '../../src/dns/reply.js';
import { RCODE, type Reply } from '../../src/dns/types.js';
import { decodeMessage, encodeQuery } from '../../src/dns/wire.js';
import { memoryLogger } from '../../src/log.js';
import type { Next } from '../../src/plugin.js';
import { Handler } from '../../src/server/handle.js';
import { listen } from '../../src/server/listen.js';
import { Router } from '../../src/server/router.js';
import { newStats } from '../../src/server/stats.js';
import { query } from '../support/dns-client.js';

function handler(chain: Next): Handler {
  return new Handler(new Router([{ zones: [''], port: 0, chain, observers: [] }]), newStats(), memoryLogger());
}

const answering = (rcode: number) => handler(() => authoritative(rcode, []));

test('a listener answers with the handler it was given until use() hands it another', async () => {
  const listener = await listen(['127.0.0.1'], 0, answering(RCODE.NOERROR), memoryLogger());
  try {
    for (const transport of ['udp', 'tcp'] as const) {
      assert.equal((await query(listener.port, 'a.example', 'A', { transport })).rcode, RCODE.NOERROR);
    }
    listener.use(answering(RCODE.NXDOMAIN));
    for (const transport of ['udp', 'tcp'] as const) {
      assert.equal((await query(listener.port, 'a.example', 'A', { transport })).rcode, RCODE.NXDOMAIN, transport);
    }
  } finally {
    await listener.close();
  }
});

test('an open TCP connection uses the new handler for its next message', async () => {
  const listener = await listen(['127.0.0.1'], 0, answering(RCODE.NOERROR), memoryLogger());
  const socket = net.connect({ host: '127.0.0.1', port: listener.port, noDelay: true });
  try {
    await once(socket, 'connect');
    const ask = async (id: number) => {
      const wire = encodeQuery({ id, name: 'a.example', type: 'A' });
      socket.write(Buffer.concat([Buffer.from([0, wire.length]), wire]));
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      return decodeMessage(chunk.subarray(2));
    };
    assert.equal((await ask(1)).rcode, RCODE.NOERROR);
    listener.use(answering(RCODE.NXDOMAIN));
    const second = await ask(2);
    assert.equal(second.id, 2);
    assert.equal(second.rcode, RCODE.NXDOMAIN, 'same connection, new handler');
  } finally {
    socket.destroy();
    await listener.close();
  }
});

test('idle() waits for the answers in flight and is at once when there are none', async () => {
  const releases: (() => void)[] = [];
  const slow = handler(() => new Promise<Reply>((resolve) => releases.push(() => resolve(authoritative(RCODE.NOERROR, [])))));
  let idle = false;
  await slow.idle();
  const message = encodeQuery({ id: 7, name: 'slow.example', type: 'A' });
  const client = { address: '127.0.0.1', port: 5353 };
  const first = slow.handle(message, 'udp', client);
  const second = slow.handle(message, 'udp', client);
  const waited = slow.idle().then(() => (idle = true));
  releases[0]!();
  await first;
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'one answer still in flight');
  releases[1]!();
  await second;
  await waited;
  assert.equal(idle, true);
});
