// Wire-level edges of the server, independent of any zone data (SPEC-CHECKLIST section 12):
// a server block with no answering plugin, so every well-formed query ends REFUSED.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeMessage, encodeQuery } from '../../src/dns/wire.js';
import { exchangeTcp, exchangeUdp } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startServer('example.org {\n  bind 127.0.0.1 ::1\n  errors\n}\n');
});
after(() => server.stop());

const REFUSED = 5;

function header(id: number, flags: number, counts: [number, number, number, number]): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(flags, 2);
  counts.forEach((c, i) => b.writeUInt16BE(c, 4 + 2 * i));
  return b;
}

async function noReply(wire: Buffer): Promise<void> {
  await assert.rejects(exchangeUdp(server.port, wire, { timeoutMs: 300 }), /no UDP reply/);
}

test('12.1 reply echoes ID, opcode, RD and question; QR set', async () => {
  const m = await server.query('Www.Example.ORG', 'A', { id: 4242 });
  assert.equal(m.id, 4242);
  assert.equal(m.qr, true);
  assert.equal(m.rd, true);
  assert.deepEqual(m.questions, [{ name: 'Www.Example.ORG', type: 'A', class: 1 }]);
});

test('12.13 a name outside every zone → REFUSED', async () => {
  const m = await server.query('example.com', 'A');
  assert.equal(m.rcode, REFUSED);
});

test('12.12 class CH → REFUSED', async () => {
  const m = await server.query('version.bind', 'TXT', { qclass: 3 });
  assert.equal(m.rcode, REFUSED);
});

test('12.8 QDCOUNT 0 → FORMERR', async () => {
  const [raw] = await exchangeUdp(server.port, header(7, 0x0100, [0, 0, 0, 0]));
  const m = decodeMessage(raw!);
  assert.equal(m.id, 7);
  assert.equal(m.rcode, 1);
});

test('12.9 two questions → FORMERR', async () => {
  const one = encodeQuery({ id: 8, name: 'a.example.org', type: 'A' });
  const q = one.subarray(12);
  const two = Buffer.concat([header(8, 0x0100, [2, 0, 0, 0]), q, q]);
  const m = decodeMessage((await exchangeUdp(server.port, two))[0]!);
  assert.equal(m.rcode, 1);
});

test('12.10 a response sent as a query gets no reply', async () => {
  const wire = encodeQuery({ id: 9, name: 'a.example.org', type: 'A' });
  wire.writeUInt16BE(wire.readUInt16BE(2) | 0x8000, 2);
  const before = server.app.stats.dropped;
  await noReply(wire);
  assert.equal(server.app.stats.dropped, before + 1);
});

test('12.11 opcode STATUS → NOTIMP', async () => {
  const m = decodeMessage((await exchangeUdp(server.port, encodeQuery({ id: 10, name: 'a.example.org', type: 'A', opcode: 2 })))[0]!);
  assert.equal(m.rcode, 4);
  assert.equal(m.opcode, 2);
});

test('12.7 EDNS version 1 → BADVERS with an OPT of version 0', async () => {
  const m = await server.query('a.example.org', 'A', { edns: { udpSize: 1232, version: 1 } });
  assert.equal(m.rcode, 16);
  assert.equal(m.edns?.version, 0);
});

test('12.5/12.6 OPT in the reply only when the query had one', async () => {
  assert.notEqual((await server.query('a.example.org', 'A', { edns: { udpSize: 1232 } })).edns, undefined);
  assert.equal((await server.query('a.example.org', 'A')).edns, undefined);
});

test('12.14 garbage is dropped or refused and the server keeps serving', async () => {
  for (const junk of [Buffer.from([1, 2, 3]), Buffer.alloc(0), Buffer.from('ffffffffffffffffffffffffffffffff', 'hex')]) {
    await exchangeUdp(server.port, junk, { timeoutMs: 200 }).catch(() => undefined);
  }
  const bad = Buffer.concat([header(11, 0x0100, [1, 0, 0, 0]), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
  const m = decodeMessage((await exchangeUdp(server.port, bad))[0]!);
  assert.equal(m.rcode, 1, 'a self-referencing compression pointer is FORMERR');
  assert.equal((await server.query('a.example.org', 'A')).rcode, REFUSED);
});

test('12.15 TCP: pipelined queries on one connection are all answered', async () => {
  const ids = [101, 102, 103];
  const wires = ids.map((id) => encodeQuery({ id, name: `q${id}.example.org`, type: 'A' }));
  const replies = (await exchangeTcp(server.port, wires)).map((r) => decodeMessage(r));
  assert.deepEqual(replies.map((r) => r.id).sort(), ids);
  for (const r of replies) assert.equal(r.questions[0]!.name, `q${r.id}.example.org`);
});

test('IPv6 loopback answers over UDP and TCP', async () => {
  assert.equal((await server.query('a.example.org', 'A', { host: '::1' })).rcode, REFUSED);
  assert.equal((await server.query('a.example.org', 'A', { host: '::1', transport: 'tcp' })).rcode, REFUSED);
});
