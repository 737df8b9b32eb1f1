// End to end: the real server with `prometheus` in two server blocks (the cluster zone from the
// fixture objects; the rest forwarded to a scripted upstream behind a cache), a known mix of
// queries, then one scrape of the /metrics route, every counter checked by exact value.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RCODE } from '../../src/dns/types.js';
import { encodeQuery } from '../../src/dns/wire.js';
import { exchangeTcp } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { sample } from '../metrics/exposition.js';
import { fixtureFiles } from './support.js';

let server: TestServer;
let upstream: ScriptedUpstream;
let text: string;
let contentType: string | undefined;
/** Bytes of the one query sent over TCP and of its reply. */
const tcp = { query: 0, reply: 0 };

before(async () => {
  upstream = await ScriptedUpstream.start();
  upstream.script('www.example.test', { answers: [{ name: '', type: 'A', ttl: 60, data: '192.0.2.10' }] });
  const corefile = [
    'cluster.local {',
    '  prometheus 127.0.0.1:0',
    '  kubernetes cluster.local {',
    '    objects cluster',
    '  }',
    '}',
    '. {',
    '  prometheus 127.0.0.1:0',
    '  cache 30',
    `  forward . ${upstream.address}`,
    '}',
  ].join('\n');
  server = await startServer(`${corefile}\n`, fixtureFiles());

  const rcodes: number[] = [];
  const ask = async (name: string, options = {}) => rcodes.push((await server.query(name, 'A', options)).rcode);
  for (let i = 0; i < 3; i++) await ask('svc1.testns.svc.cluster.local');
  for (let i = 0; i < 2; i++) await ask('nope.testns.svc.cluster.local');
  await ask('svc1.testns.svc.cluster.local', { edns: { udpSize: 1232, do: true } });
  for (let i = 0; i < 2; i++) await ask('www.example.test');
  assert.deepEqual(rcodes, [0, 0, 0, RCODE.NXDOMAIN, RCODE.NXDOMAIN, 0, 0, 0]);
  const wire = encodeQuery({ id: 7, name: 'svc2.testns.svc.cluster.local', type: 'A', rd: true });
  const [reply] = await exchangeTcp(server.port, [wire]);
  tcp.query = wire.length;
  tcp.reply = reply!.length;

  const routes = server.app.routes.filter((r) => r.path === '/metrics');
  assert.equal(routes.length, 2, 'one route per prometheus directive, both on 127.0.0.1:0');
  const answer = await routes[0]!.handle(new URLSearchParams());
  assert.equal(answer.status, 200);
  text = answer.body;
  contentType = answer.contentType;
});

after(async () => {
  await server?.stop();
  await upstream?.stop();
});

const SERVER = 'dns://:0';
const CLUSTER = { server: SERVER, zone: 'cluster.local.', view: '' };
const ROOT = { server: SERVER, zone: '.', view: '' };

test('served as Prometheus text', () => {
  assert.equal(contentType, 'text/plain; version=0.0.4; charset=utf-8');
});

test('requests by zone, transport, family and type', () => {
  assert.equal(sample(text, 'coredns_dns_requests_total', { ...CLUSTER, proto: 'udp', family: '1', type: 'A' }), 6);
  assert.equal(sample(text, 'coredns_dns_requests_total', { ...CLUSTER, proto: 'tcp', family: '1', type: 'A' }), 1);
  assert.equal(sample(text, 'coredns_dns_requests_total', { ...ROOT, proto: 'udp', family: '1', type: 'A' }), 2);
  assert.equal(sample(text, 'coredns_dns_do_requests_total', CLUSTER), 1);
});

test('responses by rcode and producing plugin: the forwarded miss is forward\'s, the repeat is the cache\'s', () => {
  assert.equal(sample(text, 'coredns_dns_responses_total', { ...CLUSTER, rcode: 'NOERROR', plugin: 'kubernetes' }), 5);
  assert.equal(sample(text, 'coredns_dns_responses_total', { ...CLUSTER, rcode: 'NXDOMAIN', plugin: 'kubernetes' }), 2);
  assert.equal(sample(text, 'coredns_dns_responses_total', { ...ROOT, rcode: 'NOERROR', plugin: 'forward' }), 1);
  assert.equal(sample(text, 'coredns_dns_responses_total', { ...ROOT, rcode: 'NOERROR', plugin: 'cache' }), 1);
});

test('durations and sizes: one observation per reply, the TCP one to the byte', () => {
  assert.equal(sample(text, 'coredns_dns_request_duration_seconds_count', CLUSTER), 7);
  assert.equal(sample(text, 'coredns_dns_request_duration_seconds_count', ROOT), 2);
  assert.equal(sample(text, 'coredns_dns_request_size_bytes_count', { ...CLUSTER, proto: 'udp' }), 6);
  assert.equal(sample(text, 'coredns_dns_request_size_bytes_sum', { ...CLUSTER, proto: 'tcp' }), tcp.query);
  assert.equal(sample(text, 'coredns_dns_response_size_bytes_sum', { ...CLUSTER, proto: 'tcp' }), tcp.reply);
});

test('the cache and the upstream, under their CoreDNS names', () => {
  const cache = { server: SERVER, zones: '.', view: '' };
  assert.equal(sample(text, 'coredns_cache_requests_total', cache), 2);
  assert.equal(sample(text, 'coredns_cache_hits_total', { ...cache, type: 'success' }), 1);
  assert.equal(sample(text, 'coredns_cache_misses_total', cache), 1);
  assert.equal(sample(text, 'coredns_cache_entries', { ...cache, type: 'success' }), 1);
  assert.equal(sample(text, 'coredns_proxy_request_duration_seconds_count', { proxy_name: 'forward', to: upstream.address, rcode: 'NOERROR' }), 1);
});

test('plugins enabled per block and zone, build info, no panics', () => {
  for (const name of ['prometheus', 'kubernetes']) assert.equal(sample(text, 'coredns_plugin_enabled', { ...CLUSTER, name }), 1, name);
  for (const name of ['prometheus', 'cache', 'forward']) assert.equal(sample(text, 'coredns_plugin_enabled', { ...ROOT, name }), 1, name);
  assert.ok(!text.includes('coredns_plugin_enabled{server="dns://:0",zone="cluster.local.",view="",name="forward"}'));
  assert.equal(sample(text, 'coredns_build_info', { version: '0.0.0-test', revision: '', goversion: process.version }), 1);
  assert.equal(sample(text, 'coredns_panics_total'), 0);
});
