// The log line's placeholders, each as CoreDNS's replacer fills it, and the template rules: `{common}`
// and `{combined}` only as the whole format, metadata labels "-", anything else in braces kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply } from '../../../src/dns/reply.js';
import { RCODE } from '../../../src/dns/types.js';
import type { Query } from '../../../src/plugin.js';
import { compileFormat } from '../../../plugins/log/format.js';
import { makeQuery } from '../kubernetes/harness.js';

/** A reply's bytes: a header with these flags and `size` bytes in all. */
function wire(flags: number, size = 100): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt16BE(flags, 2);
  return b;
}

function query(text: string, fields: Partial<Query> = {}, request: Partial<Query['request']> = {}): Query {
  const q = makeQuery(text);
  return { ...q, ...fields, request: { ...q.request, ...request } };
}

const QR = 0x8000;
const AA = 0x0400;
const TC = 0x0200;
const RD = 0x0100;
const RA = 0x0080;
const Z = 0x0040;
const AD = 0x0020;
const CD = 0x0010;

const line = (format: string, q: Query, flags = QR | AA | RD, seconds = 0.000166, rcode: number = RCODE.NOERROR) =>
  compileFormat(format)(q, reply(rcode), wire(flags), seconds);

const cases: { format: string; q?: Query; flags?: number; seconds?: number; rcode?: number; want: string }[] = [
  { format: '{remote}', q: query('a.example. A', { client: { address: '10.0.0.7', port: 1 } }), want: '10.0.0.7' },
  { format: '{remote}', q: query('a.example. A', { client: { address: '::1', port: 1 } }), want: '[::1]' },
  { format: '{port}', q: query('a.example. A', { client: { address: '::1', port: 52911 } }), want: '52911' },
  { format: '{local}', want: '-' },
  { format: '{>id}', q: query('a.example. A', {}, { id: 30279 }), want: '30279' },
  { format: '{type}', q: query('a.example. TYPE65534'), want: 'TYPE65534' },
  { format: '{class}', want: 'IN' },
  { format: '{name}', q: query('Kubernetes.DEFAULT.svc.cluster.local. A'), want: 'kubernetes.default.svc.cluster.local.' },
  { format: '{name}', q: query('. NS'), want: '.' },
  { format: '{proto}', q: query('a.example. A', { transport: 'tcp' }), want: 'tcp' },
  { format: '{size}', q: query('a.example. A', { size: 66 }), want: '66' },
  { format: '{>do}', want: 'false' },
  { format: '{>do}', q: query('a.example. A', {}, { edns: { udpSize: 1232, version: 0, do: true } }), want: 'true' },
  { format: '{>bufsize}', want: '512' },
  { format: '{>bufsize}', q: query('a.example. A', {}, { edns: { udpSize: 1232, version: 0, do: false } }), want: '1232' },
  { format: '{>bufsize}', q: query('a.example. A', {}, { edns: { udpSize: 100, version: 0, do: false } }), want: '512' },
  { format: '{>bufsize}', q: query('a.example. A', { transport: 'tcp' }, { edns: { udpSize: 1232, version: 0, do: false } }), want: '65535' },
  { format: '{rcode}', rcode: RCODE.NXDOMAIN, want: 'NXDOMAIN' },
  { format: '{rcode}', rcode: RCODE.SERVFAIL, want: 'SERVFAIL' },
  { format: '{>rflags}', flags: QR | AA | TC | RD | RA | Z | AD | CD, want: 'qr,aa,tc,rd,ra,z,ad,cd' },
  { format: '{>rflags}', flags: QR | RD | RA, want: 'qr,rd,ra' },
  { format: '{>rflags}', flags: 0, want: '' },
  { format: '{rsize}', want: '100' },
  { format: '{duration}', seconds: 0.000166, want: '0.000166s' },
  { format: '{duration}', seconds: 1.25, want: '1.25s' },
  { format: '{duration}', seconds: 2, want: '2s' },
  { format: '{>opcode}', q: query('a.example. A', {}, { opcode: 4 }), want: '4' },
  { format: '{/kubernetes/client-namespace}', want: '-' },
  { format: '{nope} {name}', want: '{nope} a.example.' },
  { format: '{ {name} }', want: '{ a.example. }' },
  { format: 'A } {type}', want: 'A } A' },
  { format: '{}{type}', want: '{}A' },
  { format: 'X {common}', want: 'X {common}' },
  {
    format: '{common}',
    q: query('Kubernetes.default.svc.cluster.local. A', { client: { address: '127.0.0.1', port: 52911 }, size: 66 }, { id: 30279, edns: { udpSize: 1232, version: 0, do: false } }),
    want: '127.0.0.1:52911 - 30279 "A IN kubernetes.default.svc.cluster.local. udp 66 false 1232" NOERROR qr,aa,rd 100 0.000166s',
  },
  {
    format: '{combined}',
    q: query('a.example. A', { client: { address: '::1', port: 5 }, size: 30 }, { id: 7 }),
    want: '[::1]:5 - 7 "A IN a.example. udp 30 false 512" NOERROR qr,aa,rd 100 0.000166s "0"',
  },
];

for (const c of cases) {
  test(`${c.format} → ${c.want}`, () => {
    assert.equal(line(c.format, c.q ?? query('a.example. A'), c.flags, c.seconds, c.rcode), c.want);
  });
}
