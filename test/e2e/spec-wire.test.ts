// SPEC-CHECKLIST section 12, the rows that need zone data: AA on cluster answers, truncation and
// EDNS sizes on real answers, name compression, CNAME order. Sizes are read off the reply bytes;
// a record set counts as kept only if it decodes whole.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeMessage, encodeQuery, type DecodedMessage } from '../../src/dns/wire.js';
import { exchangeTcp, exchangeUdp } from '../support/dns-client.js';
import type { TestServer } from '../support/server.js';
import { clusterServer, question, recordText, TRANSPORTS } from './support.js';

const BIG = 'hdls-big.testns.svc.cluster.local';
const BIG_ANSWER = Array.from({ length: 40 }, (_, i) => `${BIG}. 5 IN A 172.0.4.${i + 1}`).sort();
const TWENTY = 'hdls20.testns.svc.cluster.local';
const TWENTY_ANSWER = Array.from({ length: 20 }, (_, i) => `${TWENTY}. 5 IN A 172.0.5.${i + 1}`).sort();

interface Exchange {
  wire: Buffer;
  m: DecodedMessage;
}

let nextId = 1;

async function exchange(server: TestServer, q: string, transport: 'udp' | 'tcp', udpSize?: number): Promise<Exchange> {
  const { name, type } = question(q);
  const query = encodeQuery({ id: nextId++, name, type, edns: udpSize === undefined ? undefined : { udpSize } });
  const [wire] = transport === 'udp' ? await exchangeUdp(server.port, query) : await exchangeTcp(server.port, [query]);
  return { wire: wire!, m: decodeMessage(wire!) };
}

/** Bytes of a name in uncompressed wire form. */
function wireLength(name: string): number {
  return name.split('.').reduce((n, label) => n + label.length + 1, 1);
}

function assertSubset(texts: readonly string[], of: readonly string[], what: string): void {
  assert.equal(new Set(texts).size, texts.length, `${what}: no record twice`);
  for (const t of texts) assert.ok(of.includes(t), `${what}: ${t} belongs to the full answer`);
}

describe('default options', () => {
  const server = clusterServer();

  test('12.2 AA is set on positive and negative answers from the cluster zone and the reverse zones', async () => {
    const questions = [
      'kubernetes.default.svc.cluster.local. A',
      'svc1.testns.svc.cluster.local. SRV',
      'external.testns.svc.cluster.local. CNAME',
      '1.0.96.10.in-addr.arpa. PTR',
      'svc1.testns.svc.cluster.local. AAAA',
      'svc0.testns.svc.cluster.local. A',
      '101.0.0.10.in-addr.arpa. PTR',
      '9.9.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.4.2.0.0.1.0.0.0.0.d.f.ip6.arpa. PTR',
    ];
    for (const q of questions) {
      for (const transport of TRANSPORTS) {
        const { m } = await exchange(server(), q, transport);
        assert.equal(m.aa, true, `${q} over ${transport}: AA`);
      }
    }
  });

  test('12.4 UDP without EDNS: 40 A records are cut to whole records within 512 bytes, TC set; TCP carries all', async () => {
    const udp = await exchange(server(), `${BIG}. A`, 'udp');
    assert.ok(udp.wire.length <= 512, `UDP reply of ${udp.wire.length} bytes`);
    assert.equal(udp.m.tc, true, 'TC');
    assert.ok(udp.m.answers.length > 0 && udp.m.answers.length < BIG_ANSWER.length, `${udp.m.answers.length} answers kept`);
    assertSubset(udp.m.answers.map(recordText), BIG_ANSWER, 'UDP answer');
    assert.equal(udp.m.edns, undefined, '12.6: no OPT in the reply to a query without one');

    const tcp = await exchange(server(), `${BIG}. A`, 'tcp');
    assert.equal(tcp.m.tc, false, 'TC over TCP');
    assert.ok(tcp.wire.length > 512, `TCP reply of ${tcp.wire.length} bytes`);
    assert.deepEqual(tcp.m.answers.map(recordText).sort(), BIG_ANSWER);
  });

  test('12.5 EDNS: the advertised UDP size is honoured and the reply carries one OPT of version 0', async () => {
    const big = await exchange(server(), `${BIG}. A`, 'udp', 1232);
    assert.equal(big.m.tc, false, 'TC with room for everything');
    assert.ok(big.wire.length <= 1232, `reply of ${big.wire.length} bytes`);
    assert.deepEqual(big.m.answers.map(recordText).sort(), BIG_ANSWER);
    assert.equal(big.m.edns?.version, 0, 'OPT version');

    const small = await exchange(server(), `${BIG}. A`, 'udp', 256);
    assert.equal(small.m.tc, true, 'TC');
    assert.ok(small.wire.length > 256 && small.wire.length <= 512, `a size under 512 counts as 512: reply of ${small.wire.length} bytes`);
    assertSubset(small.m.answers.map(recordText), BIG_ANSWER, 'answer at 512 bytes');
    assert.notEqual(small.m.edns, undefined, 'OPT in a truncated reply');
  });

  test('12.4/12.5 additional records are dropped before any answer, without TC', async () => {
    const q = `_http._tcp.${TWENTY}. SRV`;
    const full = await exchange(server(), q, 'tcp', 65535);
    assert.equal(full.m.answers.length, 20, 'SRV answers over TCP');
    assert.ok(full.m.additional.length > 0, 'the full reply carries additional records');

    const limit = full.wire.length - 1;
    const cut = await exchange(server(), q, 'udp', limit);
    assert.ok(cut.wire.length <= limit, `reply of ${cut.wire.length} bytes for a limit of ${limit}`);
    assert.equal(cut.m.tc, false, 'TC');
    assert.deepEqual(cut.m.answers.map(recordText).sort(), full.m.answers.map(recordText).sort(), 'every answer kept');
    assert.ok(cut.m.additional.length < full.m.additional.length, 'fewer additional records');
    assertSubset(cut.m.additional.map(recordText), full.m.additional.map(recordText), 'additional');
  });

  test('12.16 name compression: 20 A records fit in 512 bytes, each owner a 2-byte pointer', async () => {
    for (const transport of TRANSPORTS) {
      const { wire, m } = await exchange(server(), `${TWENTY}. A`, transport);
      assert.equal(m.tc, false, `TC over ${transport}`);
      assert.deepEqual(m.answers.map(recordText).sort(), TWENTY_ANSWER);
      const compressed = 12 + wireLength(TWENTY) + 4 + 20 * (2 + 10 + 4);
      assert.ok(wire.length <= compressed, `${wire.length} bytes over ${transport}, at most ${compressed} with compression`);
    }
  });

  test('12.17 a CNAME comes before the records of its target', async () => {
    for (const transport of TRANSPORTS) {
      const { m } = await exchange(server(), 'external-to-service.testns.svc.cluster.local. A', transport);
      assert.deepEqual(
        m.answers.map((rr) => `${rr.type} ${rr.name}`),
        ['CNAME external-to-service.testns.svc.cluster.local', 'A svc1.testns.svc.cluster.local'],
        `answer order over ${transport}`,
      );
    }
  });
});
