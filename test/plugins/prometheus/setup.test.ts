// The `prometheus` stanza: its address (CoreDNS's syntax, localhost:9153 by default), the exact start-up
// errors naming file and line, the /metrics route it declares, and metrics registered once per
// process however many server blocks and reloads set it up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { reply } from '../../../src/dns/reply.js';
import { RCODE } from '../../../src/dns/types.js';
import { ConfigError } from '../../../src/errors.js';
import { memoryLogger } from '../../../src/log.js';
import type { Plugin } from '../../../src/plugin.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { setup } from '../../../plugins/prometheus/index.js';
import { ask } from '../cache/harness.js';
import { sample } from '../../metrics/exposition.js';
import { setupContext } from '../../support/setup-context.js';

const FILE = '/etc/coredns/Corefile';
const NOERROR = reply(RCODE.NOERROR);

function block(text: string, keys = '.') {
  return parseCorefile(`${keys} {\n${text}\n}\n`, FILE).blocks[0]!;
}

function setUp(text: string, fields: Parameters<typeof setupContext>[0] = {}) {
  const b = block(text);
  const ctx = setupContext({ zones: b.keys.map((k) => k.zone), directives: b.directives.map((d) => d.name), ...fields });
  const plugins = b.directives.map((d) => setup(d, ctx)!);
  return { ctx, plugins };
}

const addresses: { stanza: string; address: string }[] = [
  { stanza: 'prometheus', address: 'localhost:9153' },
  { stanza: 'prometheus localhost:9253', address: 'localhost:9253' },
  { stanza: 'prometheus 0.0.0.0:9153', address: '0.0.0.0:9153' },
  { stanza: 'prometheus [::1]:9153', address: '[::1]:9153' },
];

for (const c of addresses) {
  test(`setup: ${JSON.stringify(c.stanza)} serves /metrics on ${c.address}`, () => {
    const { ctx } = setUp(c.stanza);
    assert.deepEqual(
      ctx.declared.routes.map((r) => [r.address, r.path, r.origin]),
      [[c.address, '/metrics', `${FILE}:2 prometheus`]],
    );
  });
}

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'prometheus :9153 :9154', error: '2: prometheus: wrong argument count: at most one ADDRESS' },
  { stanza: 'prometheus 9153', error: "2: prometheus: '9153' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)" },
  { stanza: 'prometheus localhost', error: "2: prometheus: 'localhost' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)" },
  { stanza: 'prometheus :99999', error: "2: prometheus: ':99999' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)" },
  { stanza: 'prometheus {\n tls /etc/coredns/web-config.yml\n}', error: "3: prometheus: 'tls' is not supported" },
  { stanza: 'prometheus {\n runtime_metrics\n}', error: "3: prometheus: 'runtime_metrics' is not supported" },
  { stanza: 'prometheus {\n path /stats\n}', error: "3: prometheus: unknown option 'path'" },
  { stanza: 'prometheus\nprometheus :9254', error: '3: prometheus: this plugin can only be used once per server block' },
];

for (const c of invalid) {
  test(`setup refuses ${JSON.stringify(c.stanza)}`, () => {
    assert.throws(
      () => setUp(c.stanza),
      (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`,
    );
  });
}

test('the route answers the whole registry in the Prometheus text format', async () => {
  const { ctx } = setUp('prometheus');
  const answer = await ctx.declared.routes[0]!.handle(new URLSearchParams());
  assert.equal(answer.status, 200);
  assert.equal(answer.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(sample(answer.body, 'coredns_build_info', { version: '0.0.0-test', revision: '', goversion: process.version }), 1);
  assert.match(answer.body, /^# TYPE coredns_cache_hits_total counter$/m);
  assert.match(answer.body, /^# TYPE coredns_proxy_request_duration_seconds histogram$/m);
});

test('server blocks and reloads of one process set up against one registry: no error, one series', async () => {
  const runtime: Runtime = createRuntime('0.0.0-test', memoryLogger());
  const observe = (p: Plugin) => p.observe!(ask('a.example.org'), NOERROR, Buffer.alloc(40), 0.001);
  const first = setUp('prometheus', { runtime }).plugins[0]!;
  const other = setUp('prometheus', { runtime }).plugins[0]!;
  observe(first);
  observe(other);
  const text = await runtime.metrics.metrics();
  assert.equal(sample(text, 'coredns_dns_requests_total', { server: 'dns://:53', zone: '.', view: '', proto: 'udp', family: '1', type: 'A' }), 2);
});

test('labels: the zone of the block that holds the name, the bind address of the client\'s family', async () => {
  const runtime: Runtime = createRuntime('0.0.0-test', memoryLogger());
  const b = block('prometheus');
  const ctx = setupContext({ runtime, zones: ['cluster.local', 'local'], port: 1053, listen: ['127.0.0.1', '::1'] });
  const plugin = setup(b.directives[0]!, ctx)!;
  const from = (address: string, name: string) => ({ ...ask(name), client: { address, port: 5353 } });
  plugin.observe!(from('127.0.0.1', 'a.default.svc.cluster.local'), NOERROR, Buffer.alloc(40), 0.001);
  plugin.observe!(from('::1', 'host.local'), NOERROR, Buffer.alloc(40), 0.001);
  const text = await runtime.metrics.metrics();
  const requests = (server: string, zone: string, family: string) =>
    sample(text, 'coredns_dns_requests_total', { server, zone, view: '', proto: 'udp', family, type: 'A' });
  assert.equal(requests('dns://127.0.0.1:1053', 'cluster.local.', '1'), 1);
  assert.equal(requests('dns://[::1]:1053', 'local.', '2'), 1);
});

test('coredns_plugin_enabled lists the block\'s directives from start to stop', async () => {
  const runtime: Runtime = createRuntime('0.0.0-test', memoryLogger());
  const { plugins } = setUp('prometheus', { runtime, directives: ['prometheus', 'cache', 'forward'] });
  const enabled = async (name: string) =>
    (await runtime.metrics.metrics()).includes(`coredns_plugin_enabled{server="dns://:53",zone=".",view="",name="${name}"} 1`);
  assert.equal(await enabled('cache'), false, 'not before start');
  await plugins[0]!.start!();
  assert.equal(await enabled('cache'), true);
  assert.equal(await enabled('forward'), true);
  await plugins[0]!.stop!();
  assert.equal(await enabled('cache'), false, 'not after stop');
});
