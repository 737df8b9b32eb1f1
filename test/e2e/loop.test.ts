// End to end: forwarding loops found and contained by the real server. A loop through a relaying
// upstream and through unbound forwarding back to us are found by the probe; an upstream that is
// the server's own address and port is found at start. Each time the looping upstream alone is
// dropped, the server reports not ready and says why, and the cluster zone is still answered.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { RCODE } from '../../src/dns/types.js';
import { zoneText } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';
import { freePort, startUnbound, unboundSkipReason, type Unbound } from '../support/unbound.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { eventually, fixtureFiles } from './support.js';

const KUBERNETES = '  kubernetes cluster.local {\n    objects cluster\n  }';
const CLUSTER_NAME = 'svc1.testns.svc.cluster.local';

const stops: (() => Promise<void>)[] = [];
after(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function serve(corefile: string): Promise<TestServer> {
  const server = await startServer(corefile, fixtureFiles());
  stops.push(() => server.stop());
  return server;
}

/**
 * A server whose only forward upstream is `relay`, turned into a loop as soon as the listener is
 * open: the first probe goes out 200 ms after the plugins start, so the relay must point back at
 * us before then, not after the slower plugins (the file source) have started too.
 */
async function serveThrough(relay: ScriptedUpstream, corefile: string): Promise<TestServer> {
  const server = await startServer(corefile, fixtureFiles(), false);
  stops.push(() => server.stop());
  relay.relayTo = server.port;
  await server.app.started;
  return server;
}

async function scripted(): Promise<ScriptedUpstream> {
  const u = await ScriptedUpstream.start();
  stops.push(() => u.stop());
  u.script('www.example.test', { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.50' }] });
  return u;
}

const loopLogged = (server: TestServer) => server.logs.some((l) => l.startsWith('[ERROR] loop: forwarding loop detected'));

async function clusterStillServed(server: TestServer): Promise<void> {
  const m = await server.query(CLUSTER_NAME, 'A');
  assert.deepEqual(m.answers.map(zoneText), [`${CLUSTER_NAME}. 5 IN A 10.0.0.1`]);
}

test('an upstream relaying our queries back to us: found by the probe, dropped alone; not ready; the cluster still served', async () => {
  const relay = await scripted();
  const good = await scripted();
  const server = await serveThrough(relay, `. {\n  bind 127.0.0.1\n${KUBERNETES}\n  loop\n  forward . ${relay.address} ${good.address} {\n    policy sequential\n  }\n}\n`);
  await eventually('the loop detected', async () => loopLogged(server), 8000);
  assert.equal(server.app.ready(), false);
  const line = server.logs.find((l) => l.startsWith('[ERROR] loop:'))!;
  assert.match(line, new RegExp(`sent to ${relay.address} came back to this server\\. No longer forwarding to ${relay.address}`));

  const asked = relay.count('www.example.test');
  const m = await server.query('www.example.test', 'A');
  assert.deepEqual(m.answers.map(zoneText), ['www.example.test. 30 IN A 192.0.2.50']);
  assert.equal(relay.count('www.example.test'), asked, 'the looping upstream is not asked');
  await clusterStillServed(server);
});

test('every upstream looping: forwarded names get SERVFAIL at once, the cluster is still served', async () => {
  const relay = await scripted();
  const server = await serveThrough(relay, `. {\n  bind 127.0.0.1\n${KUBERNETES}\n  loop\n  forward . ${relay.address}\n}\n`);
  await eventually('the loop detected', async () => loopLogged(server), 8000);
  const started = Date.now();
  assert.equal((await server.query('www.example.test', 'A')).rcode, RCODE.SERVFAIL);
  assert.ok(Date.now() - started < 500, 'no upstream is waited for');
  await clusterStillServed(server);
  assert.equal(server.app.ready(), false);
});

test('forward to our own address and port: found at start, before any query', async () => {
  const port = await freePort('127.0.0.1');
  const server = await serve(`.:${port} {\n  bind 127.0.0.1\n${KUBERNETES}\n  loop\n  forward . 127.0.0.1:${port}\n}\n`);
  assert.equal(server.app.ready(), false);
  assert.match(server.logs.join('\n'), new RegExp(`loop: forwarding loop detected: 127\\.0\\.0\\.1:${port} is this server's own address and port`));
  assert.equal((await server.query('www.example.test', 'A')).rcode, RCODE.SERVFAIL);
  await clusterStillServed(server);
});

test('no loop: probes answered, ready, nothing logged', async () => {
  const good = await scripted();
  const server = await serve(`. {\n  bind 127.0.0.1\n${KUBERNETES}\n  loop\n  forward . ${good.address}\n}\n`);
  await eventually('the probe answered', async () => good.received.some((r) => r.type === 'HINFO'), 3000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(server.app.ready(), true);
  assert.deepEqual(server.logs.filter((l) => l.includes('loop')), []);
});

test('unbound forwarding everything back to us: the probe finds it', { skip: unboundSkipReason() }, async () => {
  const port = await freePort('127.0.0.2');
  const server = await serve(`. {\n  bind 127.0.0.1\n${KUBERNETES}\n  loop\n  forward . 127.0.0.2:${port}\n}\n`);
  const unbound: Unbound = await startUnbound({ port, forward: { '.': `127.0.0.1@${server.port}` } });
  stops.push(() => unbound.stop());
  await eventually('the loop detected', async () => loopLogged(server), 8000);
  assert.equal(server.app.ready(), false);
  await clusterStillServed(server);
});
