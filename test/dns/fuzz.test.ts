import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authoritative, reply } from '../../src/dns/reply.js';
import { RCODE } from '../../src/dns/types.js';
import { decodeMessage, encodeQuery, encodeReply, parseRequest, typeName, udpLimit } from '../../src/dns/wire.js';
import { labels, message, opt, pointer, question, record } from './raw.js';

const ROUNDS = 20_000;

// A seeded generator (mulberry32), so a failure names a seed that reproduces it.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds: Buffer[] = [
  encodeQuery({ id: 1, name: 'web.default.svc.cluster.local', type: 'A' }),
  encodeQuery({ id: 2, name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', edns: { udpSize: 1232, do: true } }),
  encodeQuery({ id: 3, name: '10.0.96.10.in-addr.arpa', type: 'PTR', cd: true, edns: { udpSize: 4096, version: 1 } }),
  encodeQuery({ id: 4, name: 'a\\.b\\032c.svc', type: 'HTTPS' }),
  encodeQuery({ id: 5, name: '', type: 'NS', opcode: 4 }),
  message({ ar: 2 }, question(labels('x', 'cluster', 'local')), record(pointer(12), 250, Buffer.alloc(12, 1)), opt({ do: true })),
  encodeReply(
    { id: 6, opcode: 0, rd: true, cd: false, edns: { udpSize: 1232, version: 0, do: false }, questionWire: question(labels('web', 'svc')) },
    authoritative(RCODE.NOERROR, [
      { name: 'web.svc', type: 'CNAME', ttl: 5, data: 'api.svc' },
      { name: 'api.svc', type: 'AAAA', ttl: 5, data: 'fd00::1' },
      { name: '_p._tcp.api.svc', type: 'SRV', ttl: 5, data: { priority: 1, weight: 2, port: 3, target: 'api.svc' } },
      { name: 'api.svc', type: 'TXT', ttl: 5, data: ['hello'] },
    ], [{ name: 'svc', type: 'SOA', ttl: 5, data: { mname: 'ns.svc', rname: 'h.svc', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } }]),
    1232,
  ),
];

function mutate(next: () => number, seed: Buffer): Buffer {
  const bytes = Buffer.from(seed);
  const int = (n: number) => Math.floor(next() * n);
  switch (int(5)) {
    case 0:
      for (let i = int(4); i >= 0; i--) bytes[int(bytes.length)] = int(256);
      return bytes;
    case 1:
      return bytes.subarray(0, int(bytes.length + 1));
    case 2: {
      const at = int(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256))), bytes.subarray(at)]);
    }
    case 3:
      bytes[4 + int(8)] = int(4);
      return bytes;
    default: {
      const at = 12 + int(Math.max(1, bytes.length - 12));
      if (at + 1 < bytes.length) bytes.writeUInt16BE(0xc000 | int(at + 4), at);
      return bytes;
    }
  }
}

function noise(next: () => number): Buffer {
  const bytes = Buffer.alloc(Math.floor(next() * 600));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
  // Keep many of them queries, so they reach past the header checks.
  if (bytes.length > 3 && next() < 0.7) bytes[2] &= 0x07;
  return bytes;
}

test(`fuzz: ${ROUNDS} random and mutated messages never make the codec fail in a way the server cannot handle`, () => {
  const next = random(0x5eed);
  const kinds = { drop: 0, reject: 0, request: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const input = round % 2 === 0 ? noise(next) : mutate(next, seeds[round % seeds.length]!);
    const where = `round ${round}, input ${input.toString('hex')}`;

    const parsed = parseRequest(input);
    kinds[parsed.kind]++;
    if (parsed.kind === 'reject') {
      assert.ok([RCODE.FORMERR, RCODE.NOTIMP, RCODE.BADVERS].includes(parsed.rcode as 1 | 4 | 16), where);
      const wire = encodeReply(parsed.context, reply(parsed.rcode), udpLimit(parsed.context.edns));
      assert.equal(decodeMessage(wire).rcode, parsed.rcode, where);
    } else if (parsed.kind === 'request') {
      const r = parsed.request;
      // The decoded name written back must be the very bytes received: one pointer to the question.
      const wire = encodeReply(r, reply(RCODE.NOERROR, [{ name: r.name, type: 'A', ttl: 1, data: '192.0.2.1' }]), 65535);
      const owner = r.name === '' ? 1 : 2;
      assert.equal(wire.length, 12 + r.questionWire.length + owner + 10 + 4 + (r.edns ? 11 : 0), where);
      const decoded = decodeMessage(wire);
      assert.deepEqual(decoded.questions, [{ name: r.name, type: typeName(r.qtype), class: r.qclass }], where);
      assert.equal(decoded.answers[0]?.name, r.name, where);
    }

    try {
      decodeMessage(input);
    } catch (error) {
      assert.ok(error instanceof Error, `${where}: threw ${String(error)}`);
    }
  }
  // The inputs must exercise all three outcomes, or the test proves little.
  for (const [kind, count] of Object.entries(kinds)) assert.ok(count > ROUNDS / 100, `only ${count} ${kind}s`);
});
