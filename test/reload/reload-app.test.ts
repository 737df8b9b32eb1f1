// Reloading a running configuration while queries keep coming over UDP and TCP: a valid Corefile
// takes over the same listener without a query lost and answers switch from old to new; a bad
// one, or one that cannot start, leaves the old one answering, logged and counted as CoreDNS does.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { test } from 'node:test';
import type { App } from '../../src/app.js';
import { reloadApp } from '../../src/reload.js';
import { query } from '../support/dns-client.js';
import { freePort } from '../support/unbound.js';
import { until } from '../support/until.js';
import { ScriptedUpstream } from '../support/upstream.js';
import { clusterCorefile, queryLoop, serviceYaml, startRunning, type Outcome } from './harness.js';

const OLD = '10.0.0.1';
const NEW = '10.0.0.2';
const FILES = { 'a.yaml': serviceYaml(OLD), 'b.yaml': serviceYaml(NEW) };
const NAME = 'web.default.svc.cluster.local';
const LOOP_MS = 2000;

const sha512 = (text: string) => createHash('sha512').update(text).digest('hex');

function failures(outcomes: readonly Outcome[]): string[] {
  return outcomes.filter((o) => o.failure !== undefined).map((o) => `${o.transport}: ${o.failure}`);
}

test('a valid Corefile takes over while queries run: none lost, answers switch from old to new', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml'), FILES);
  const port = run.app.listeners[0]!.port;
  const changed = clusterCorefile('b.yaml');
  let next = run.app;
  const outcomes = await queryLoop(port, NAME, LOOP_MS, async () => {
    run.write(changed);
    next = run.track(await reloadApp(run.app, run.file, run.options));
  });

  assert.notEqual(next, run.app, 'the new configuration runs');
  assert.equal(next.listeners[0], run.app.listeners[0], 'on the very listener the old one had');
  assert.deepEqual(failures(outcomes), []);
  assert.ok(outcomes.length > 500, `${outcomes.length} queries`);
  for (const transport of ['udp', 'tcp'] as const) {
    const got = outcomes.filter((o) => o.transport === transport).map((o) => o.address);
    assert.equal(got[0], OLD, `${transport}: old answer first`);
    assert.equal(got.at(-1), NEW, `${transport}: new answer last`);
    assert.deepEqual(new Set(got), new Set([OLD, NEW]));
  }
  assert.ok(run.logs.includes('[INFO] Reloading complete'), run.logs.join('\n'));
  assert.ok(run.logs.includes(`[INFO] plugin/reload: Running configuration SHA512 = ${sha512(changed)}`));
  const metrics = await run.metrics();
  assert.match(metrics, /^coredns_reload_failed_total 0$/m);
  assert.match(metrics, new RegExp(`^coredns_reload_version_info\\{hash="sha512",value="${sha512(changed)}"\\} 1$`, 'm'));

  await run.app.stop();
  for (const transport of ['udp', 'tcp'] as const) {
    const m = await query(port, NAME, 'A', { transport });
    assert.equal(String(m.answers[0]?.data), NEW, `stopping the old configuration leaves the listener to the new one (${transport})`);
  }
});

test('an invalid Corefile keeps the old configuration answering, logs file:line and counts the failure', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml'), FILES);
  const port = run.app.listeners[0]!.port;
  const invalid = clusterCorefile('b.yaml').replace('    kubernetes', '    bogus\n    kubernetes');
  let after: App | undefined;
  const outcomes = await queryLoop(port, NAME, LOOP_MS, async () => {
    run.write(invalid);
    after = await reloadApp(run.app, run.file, run.options);
  });

  assert.equal(after, run.app, 'the old configuration stays');
  assert.deepEqual(failures(outcomes), []);
  assert.deepEqual(new Set(outcomes.map((o) => o.address)), new Set([OLD]));
  assert.ok(
    run.logs.includes(`[ERROR] plugin/reload: Corefile changed but reload failed: ${run.file}:2: unknown directive 'bogus'`),
    run.logs.join('\n'),
  );
  assert.ok(!run.logs.includes('[INFO] Reloading complete'));
  const metrics = await run.metrics();
  assert.match(metrics, /^coredns_reload_failed_total 1$/m);
  assert.match(metrics, new RegExp(`^coredns_reload_version_info\\{hash="sha512",value="${sha512(invalid)}"\\} 1$`, 'm'), 'the hash tried, as CoreDNS');
});

test('every way a new Corefile can fail is a failed reload that keeps the old one', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml'), FILES);
  const port = run.app.listeners[0]!.port;
  const cases = [
    { corefile: 'cluster.local {\n    kubernetes cluster.local {\n', error: `${run.file}:2: ` },
    { corefile: clusterCorefile('b.yaml').replace('cluster.local {', 'cluster.local {\n    reload 1s'), error: `${run.file}:2: reload: interval value must be greater or equal to 2s` },
    { corefile: clusterCorefile('missing.yaml'), error: 'missing.yaml: cannot read Kubernetes objects' },
  ];
  for (const [i, c] of cases.entries()) {
    run.write(c.corefile);
    assert.equal(await reloadApp(run.app, run.file, run.options), run.app, c.corefile);
    const logged = run.logs.filter((l) => l.startsWith('[ERROR] plugin/reload: Corefile changed but reload failed: '));
    assert.equal(logged.length, i + 1);
    assert.ok(logged.at(-1)!.includes(c.error), `${logged.at(-1)} names ${c.error}`);
    assert.match(await run.metrics(), new RegExp(`^coredns_reload_failed_total ${i + 1}$`, 'm'));
    for (const transport of ['udp', 'tcp'] as const) {
      assert.equal(String((await query(port, NAME, 'A', { transport })).answers[0]?.data), OLD, `${transport} after: ${c.corefile}`);
    }
  }
});

test('a new server block opens its port, a removed one closes; the port kept is the same listener', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml'), FILES);
  const first = run.app.listeners[0]!;
  const other = await freePort('127.0.0.1');
  const extra = `example.org:${other} {\n    bind 127.0.0.1\n}\n`;

  run.write(clusterCorefile('b.yaml', extra));
  const both = run.track(await reloadApp(run.app, run.file, run.options));
  assert.notEqual(both, run.app, run.logs.join('\n'));
  assert.deepEqual(both.listeners.map((l) => l.port).sort(), [first.port, other].sort());
  assert.ok(both.listeners.includes(first));
  assert.equal(String((await query(first.port, NAME, 'A')).answers[0]?.data), NEW);
  assert.equal((await query(other, 'www.example.org', 'A', { transport: 'tcp' })).rcode, 5, 'the new port answers (REFUSED: no plugin)');

  run.write(extra);
  const only = run.track(await reloadApp(both, run.file, run.options));
  assert.notEqual(only, both, run.logs.join('\n'));
  assert.equal(only.listeners.length, 1);
  assert.equal(only.listeners[0], both.listeners.find((l) => l.port === other), 'the kept port is the same listener');
  await assert.rejects(query(first.port, NAME, 'A', { timeoutMs: 300 }), /no UDP reply/);
  await assert.rejects(query(first.port, NAME, 'A', { transport: 'tcp' }), /ECONNREFUSED/);
  assert.equal((await query(other, 'www.example.org', 'A')).rcode, 5);
});

test('a new Corefile whose port is taken fails to reload, closing what it had opened', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml'), FILES);
  const port = run.app.listeners[0]!.port;
  const opened = await freePort('127.0.0.1');
  const taken = await freePort('127.0.0.1');
  const squatter = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => squatter.bind(taken, '127.0.0.1', resolve));
  t.after(() => squatter.close());

  run.write(clusterCorefile('b.yaml', `example.org:${opened} {\n    bind 127.0.0.1\n}\nexample.net:${taken} {\n    bind 127.0.0.1\n}\n`));
  assert.equal(await reloadApp(run.app, run.file, run.options), run.app);
  assert.ok(run.logs.some((l) => l.startsWith('[ERROR] plugin/reload: Corefile changed but reload failed: ') && l.includes('EADDRINUSE')), run.logs.join('\n'));
  assert.match(await run.metrics(), /^coredns_reload_failed_total 1$/m);
  await assert.rejects(query(opened, 'www.example.org', 'A', { transport: 'tcp' }), /ECONNREFUSED/, 'the port it opened is closed again');
  assert.equal(String((await query(port, NAME, 'A', { transport: 'tcp' })).answers[0]?.data), OLD);
});

test('a query in flight on the old configuration is answered before its plugins stop', async (t) => {
  const upstream = await ScriptedUpstream.start();
  t.after(() => upstream.stop());
  upstream.script('slow.example.org', { answers: [{ name: '', type: 'A', ttl: 60, data: '192.0.2.7' }], delayMs: 400 });
  const forward = `example.org {\n    forward . 127.0.0.1:${upstream.port} {\n        force_tcp\n    }\n}\n`;
  const run = await startRunning(t, forward, {});
  const port = run.app.listeners[0]!.port;
  const slow = query(port, 'slow.example.org', 'A', { timeoutMs: 3000 });
  await until('the query reached the upstream', () => upstream.count('slow.example.org') === 1);
  run.write(`# changed\n${forward}`);
  const next = run.track(await reloadApp(run.app, run.file, run.options));
  assert.notEqual(next, run.app);
  const answer = await slow;
  assert.equal(answer.rcode, 0, 'not a SERVFAIL from an upstream connection closed under it');
  assert.equal(String(answer.answers[0]?.data), '192.0.2.7');
});

test('with reload in several server blocks the last one applies; without, there is none', async (t) => {
  const run = await startRunning(t, clusterCorefile('a.yaml', 'example.org {\n    reload 10s\n}\nexample.net {\n    reload 1m 5s\n}\n'), FILES);
  assert.deepEqual(run.app.reload, { intervalMs: 60_000, jitterMs: 5000 });
  run.write(clusterCorefile('a.yaml'));
  assert.equal(run.track(await reloadApp(run.app, run.file, run.options)).reload, undefined);
});
