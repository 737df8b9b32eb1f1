import assert from 'node:assert/strict';
import { test } from 'node:test';
import packet from 'dns-packet';
import { reply } from '../../src/dns/reply.js';
import { RCODE, type Edns } from '../../src/dns/types.js';
import { decodeMessage, encodeQuery, encodeReply, parseRequest, udpLimit } from '../../src/dns/wire.js';

const limitCases: [Edns | undefined, number][] = [
  [undefined, 512],
  [{ udpSize: 0, version: 0, do: false }, 512],
  [{ udpSize: 100, version: 0, do: false }, 512],
  [{ udpSize: 512, version: 0, do: false }, 512],
  [{ udpSize: 1232, version: 0, do: true }, 1232],
  [{ udpSize: 4096, version: 0, do: false }, 4096],
  [{ udpSize: 65535, version: 0, do: false }, 65535],
  [{ udpSize: 70000, version: 0, do: false }, 65535],
];

for (const [edns, limit] of limitCases) {
  test(`udpLimit(${edns === undefined ? 'no EDNS' : `udpSize ${edns.udpSize}`}) is ${limit}`, () => {
    assert.equal(udpLimit(edns), limit);
  });
}

function roundTrip(edns: { udpSize: number; do?: boolean } | undefined, rcode: number = RCODE.NOERROR) {
  const parsed = parseRequest(encodeQuery({ id: 99, name: 'kubernetes.default.svc.cluster.local', type: 'A', edns }));
  assert.equal(parsed.kind, 'request');
  if (parsed.kind !== 'request') throw new Error('unreachable');
  return { request: parsed.request, wire: encodeReply(parsed.request, reply(rcode), udpLimit(parsed.request.edns)) };
}

test('a request without OPT gets a reply without OPT', () => {
  const { request, wire } = roundTrip(undefined);
  assert.equal(request.edns, undefined);
  assert.equal(decodeMessage(wire).edns, undefined);
  assert.equal(wire.readUInt16BE(10), 0);
});

for (const dnssecOk of [false, true]) {
  test(`a request with OPT (DO=${dnssecOk}) gets an OPT: root owner, size 1232, version 0, DO copied`, () => {
    const { request, wire } = roundTrip({ udpSize: 4096, do: dnssecOk });
    assert.deepEqual(request.edns, { udpSize: 4096, version: 0, do: dnssecOk });
    assert.deepEqual(decodeMessage(wire).edns, { udpSize: 1232, version: 0, do: dnssecOk, extendedRcode: 0 });
    const opt = packet.decode(wire).additionals?.[0] as { name: string; type: string; udpPayloadSize: number; flag_do: boolean };
    assert.deepEqual([opt.name, opt.type, opt.udpPayloadSize, opt.flag_do], ['.', 'OPT', 1232, dnssecOk]);
  });
}

test('plain rcodes stay in the header and leave the extended rcode 0', () => {
  for (const rcode of [RCODE.NOERROR, RCODE.NXDOMAIN, RCODE.REFUSED]) {
    const decoded = decodeMessage(roundTrip({ udpSize: 1232 }, rcode).wire);
    assert.deepEqual([decoded.rcode, decoded.edns?.extendedRcode], [rcode, 0]);
  }
});

test('an EDNS version we do not speak is answered BADVERS, with our OPT saying version 0', () => {
  const parsed = parseRequest(encodeQuery({ id: 5, name: 'cluster.local', type: 'SOA', edns: { udpSize: 2048, version: 1 } }));
  assert.equal(parsed.kind, 'reject');
  if (parsed.kind !== 'reject') return;
  assert.deepEqual([parsed.rcode, parsed.context.edns], [RCODE.BADVERS, { udpSize: 2048, version: 1, do: false }]);
  const decoded = decodeMessage(encodeReply(parsed.context, reply(parsed.rcode), udpLimit(parsed.context.edns)));
  assert.equal(decoded.rcode, RCODE.BADVERS);
  assert.deepEqual(decoded.edns, { udpSize: 1232, version: 0, do: false, extendedRcode: 1 });
  assert.deepEqual(decoded.questions, [{ name: 'cluster.local', type: 'SOA', class: 1 }]);
});
