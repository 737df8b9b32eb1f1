// log in a real server: one line per query over UDP and TCP, in the common format, carrying what
// the client sent (ID, size, EDNS) and what it got (rcode, flags, size as received).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { rcodeName } from '../../../src/dns/classify.js';
import { decodeMessage, encodeQuery } from '../../../src/dns/wire.js';
import { exchangeTcp, exchangeUdp } from '../../support/dns-client.js';
import { repoRoot, startServer, type TestServer } from '../../support/server.js';

let server: TestServer;
before(async () => {
  server = await startServer(`. {\n  bind 127.0.0.1\n  log\n  kubernetes cluster.local {\n    objects ${path.join(repoRoot, 'zones/cluster')}\n  }\n}\n`);
});
after(() => server.stop());

const COMMON = /^\[INFO\] 127\.0\.0\.1:(\d+) - (\d+) "(\S+) IN (\S+) (udp|tcp) (\d+) (true|false) (\d+)" (\S+) (\S*) (\d+) (\d+(?:\.\d+)?)s$/;

for (const transport of ['udp', 'tcp'] as const) {
  test(`a query over ${transport} is one line with its own values`, async () => {
    const wire = encodeQuery({ id: 4242, name: 'Kubernetes.Default.svc.cluster.local', type: 'A', rd: true, edns: { udpSize: 1232, do: true } });
    const before = server.logs.length;
    const [answer] = transport === 'udp' ? await exchangeUdp(server.port, wire) : await exchangeTcp(server.port, [wire]);
    const lines = server.logs.slice(before);
    assert.equal(lines.length, 1, lines.join('\n'));
    const m = COMMON.exec(lines[0]!);
    assert.ok(m, lines[0]);
    const [, , id, type, name, proto, size, dnssecOk, bufsize, rcode, flags, rsize, duration] = m;
    assert.deepEqual(
      { id, type, name, proto, size, dnssecOk, bufsize, rcode, flags, rsize },
      {
        id: '4242',
        type: 'A',
        name: 'kubernetes.default.svc.cluster.local.',
        proto: transport,
        size: String(wire.length),
        dnssecOk: 'true',
        bufsize: transport === 'tcp' ? '65535' : '1232',
        rcode: rcodeName(decodeMessage(answer!).rcode),
        flags: 'qr,aa,rd',
        rsize: String(answer!.length),
      },
    );
    assert.ok(Number(duration) > 0 && Number(duration) < 1, duration);
  });
}
