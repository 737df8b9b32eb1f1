// A plugin that throws, at once or by rejecting, costs its query a SERVFAIL, one counted panic
// (coredns_panics_total) and one error line, and nothing else: the server answers the next queries,
// over UDP and over the same TCP connection. The kubernetes plugin of a real server is made to throw
// for two names by replacing its serve(); every other name still goes to the real one.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { RCODE, type Reply } from '../../src/dns/types.js';
import { decodeMessage, encodeQuery, type DecodedMessage } from '../../src/dns/wire.js';
import type { Next, Query } from '../../src/plugin.js';
import { repoRoot, startServer, type TestServer } from '../support/server.js';

const THROWS = 'throws.cluster.local';
const REJECTS = 'rejects.cluster.local';
const GOOD = 'kubernetes.default.svc.cluster.local';

let server: TestServer;
before(async () => {
  server = await startServer(
    `. {\n  bind 127.0.0.1\n  errors\n  log\n  kubernetes cluster.local {\n    objects ${path.join(repoRoot, 'zones/cluster')}\n  }\n}\n`,
  );
  const kubernetes = server.app.plugins.find((p) => p.name === 'kubernetes')!;
  const serve = kubernetes.serve.bind(kubernetes);
  kubernetes.serve = (query: Query, next: Next): Reply | Promise<Reply> => {
    if (query.lname === THROWS) throw new TypeError(`cannot read properties of undefined (reading 'records')`);
    if (query.lname === REJECTS) return Promise.reject(new Error('index went away'));
    return serve(query, next);
  };
});
after(() => server.stop());

/** What the server logged and counted while `action` ran. */
async function observed<T>(action: () => Promise<T>): Promise<{ result: T; errors: string[]; panics: number }> {
  const lines = server.logs.length;
  const panics = server.app.stats.panics;
  const result = await action();
  return { result, errors: server.logs.slice(lines).filter((l) => l.startsWith('[ERROR]')), panics: server.app.stats.panics - panics };
}

const failures = [
  { name: THROWS, line: `[ERROR] plugin panic on "${THROWS}. A": cannot read properties of undefined (reading 'records')` },
  { name: REJECTS, line: `[ERROR] plugin panic on "${REJECTS}. A": index went away` },
];

for (const f of failures) {
  test(`UDP: ${f.name} gets SERVFAIL, one panic, one error line; the next query is answered`, async () => {
    const { result, errors, panics } = await observed(() => server.query(f.name, 'A'));
    assert.equal(result.rcode, RCODE.SERVFAIL);
    assert.equal(panics, 1);
    assert.deepEqual(errors, [f.line]);
    const next = await server.query(GOOD, 'A');
    assert.equal(next.rcode, RCODE.NOERROR);
    assert.equal(next.answers.length, 1);
  });
}

/** One TCP connection on which each query is sent only after the previous reply came back. */
async function sequentialTcp(port: number, names: string[]): Promise<DecodedMessage[]> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies: DecodedMessage[] = [];
  let pending = Buffer.alloc(0);
  try {
    for (const [i, name] of names.entries()) {
      const wire = encodeQuery({ id: 1000 + i, name, type: 'A', rd: true });
      socket.write(Buffer.concat([Buffer.from([wire.length >> 8, wire.length & 0xff]), wire]));
      const message = await new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no TCP reply to ${name}`)), 2000);
        const onClose = () => reject(new Error(`connection closed before the reply to ${name}`));
        const onData = (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          if (pending.length < 2 || pending.length < 2 + pending.readUInt16BE(0)) return;
          const length = pending.readUInt16BE(0);
          clearTimeout(timer);
          socket.off('data', onData).off('close', onClose);
          resolve(pending.subarray(2, 2 + length));
          pending = pending.subarray(2 + length);
        };
        socket.on('data', onData).once('close', onClose);
      });
      replies.push(decodeMessage(message));
    }
  } finally {
    socket.destroy();
  }
  return replies;
}

test('TCP: the connection stays usable after each failing query', async () => {
  const names = [GOOD, THROWS, GOOD, REJECTS, GOOD];
  const { result, errors, panics } = await observed(() => sequentialTcp(server.port, names));
  assert.deepEqual(
    result.map((m) => [m.id, m.rcode]),
    names.map((name, i) => [1000 + i, name === GOOD ? RCODE.NOERROR : RCODE.SERVFAIL]),
  );
  assert.equal(panics, 2);
  assert.deepEqual(errors, failures.map((f) => f.line));
});

test('the log plugin still writes its line for a query whose plugin threw', async () => {
  const lines = server.logs.length;
  await server.query(THROWS, 'A');
  assert.equal(server.logs.slice(lines).filter((l) => l.startsWith('[INFO]') && l.includes(`"A IN ${THROWS}. udp`) && l.includes('SERVFAIL')).length, 1);
});
