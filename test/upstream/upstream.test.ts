// One upstream with both transports: every answer timed into the request-duration histogram by
// rcode, and nothing sent once it is closed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RCODE } from '../../src/dns/types.js';
import { endpoint } from '../../src/upstream/endpoint.js';
import { UpstreamError } from '../../src/upstream/failure.js';
import { upstreamMetrics } from '../../src/upstream/metrics.js';
import { Upstream } from '../../src/upstream/upstream.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { aQuery, aRecord } from './support.js';

let server: ScriptedUpstream;
let upstream: Upstream;
before(async () => {
  server = await ScriptedUpstream.start();
  upstream = new Upstream(endpoint(server.host, server.port));
  server.script('www.example.com', { answers: [aRecord('192.0.2.1')] });
  server.script('broken.example.com', { rcode: RCODE.SERVFAIL });
});
after(async () => {
  upstream.close();
  await server.stop();
});

const observed = (rcode: string) => upstreamMetrics().requestDuration.get(`${upstream.label} ${rcode}`)?.count ?? 0;

test('each answer, over UDP or TCP, is one observation under its upstream and rcode', async () => {
  const [ok, failed, nx] = [observed('NOERROR'), observed('SERVFAIL'), observed('NXDOMAIN')];
  await upstream.exchange(aQuery('www.example.com'), 'udp');
  await upstream.exchange(aQuery('www.example.com'), 'tcp');
  await upstream.exchange(aQuery('broken.example.com'), 'udp');
  await upstream.exchange(aQuery('nope.example.com'), 'udp');
  assert.deepEqual([observed('NOERROR') - ok, observed('SERVFAIL') - failed, observed('NXDOMAIN') - nx], [2, 1, 1]);
});

test('a closed upstream fails every exchange at once, over either transport, sending nothing', async () => {
  const closed = new Upstream(endpoint(server.host, server.port));
  closed.close();
  const sent = server.received.length;
  for (const transport of ['udp', 'tcp'] as const) {
    await assert.rejects(closed.exchange(aQuery('www.example.com'), transport, 1000), (err: unknown) => err instanceof UpstreamError && err.kind === 'closed');
  }
  assert.equal(server.received.length, sent);
});
