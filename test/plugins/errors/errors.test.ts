// What errors logs: a SERVFAIL its chain returned (at once or later), in CoreDNS's words; nothing
// for other rcodes; nothing for a reply the server put in place of a plugin that threw (the server
// logs that panic), but that reply's stack with `stacktrace`; consolidated lines summarised on stop().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reply, servfail } from '../../../src/dns/reply.js';
import { RCODE, type Reply } from '../../../src/dns/types.js';
import type { Plugin, Query } from '../../../src/plugin.js';
import { activeTimers, makeErrors, question } from './harness.js';

const WIRE = Buffer.alloc(12);

/** Passes `q` through the plugin to `next`, then shows the plugin the reply, as the server does. */
async function serve(plugin: Plugin, q: Query, next: () => Reply | Promise<Reply>): Promise<Reply> {
  const r = await plugin.serve(q, next);
  plugin.observe!(q, r, WIRE, 0.001);
  return r;
}

test('a SERVFAIL is one line: rcode, lower-cased name with its dot, type, message', async () => {
  const { plugin, lines } = makeErrors();
  await serve(plugin, question('Kubernetes.Default.svc.cluster.local. A'), () => servfail());
  assert.deepEqual(lines, ['[ERROR] plugin/errors: 2 kubernetes.default.svc.cluster.local. A: server failure']);
});

test('a SERVFAIL that comes later (a promise) is logged too', async () => {
  const { plugin, lines } = makeErrors();
  await serve(plugin, question('example.org. AAAA'), async () => servfail());
  assert.deepEqual(lines, ['[ERROR] plugin/errors: 2 example.org. AAAA: server failure']);
});

test('the root name is written "."', async () => {
  const { plugin, lines } = makeErrors();
  await serve(plugin, question('. NS'), () => servfail());
  assert.deepEqual(lines, ['[ERROR] plugin/errors: 2 . NS: server failure']);
});

for (const rcode of [RCODE.NOERROR, RCODE.NXDOMAIN, RCODE.REFUSED, RCODE.NOTIMP, RCODE.FORMERR]) {
  test(`rcode ${rcode} is not logged`, async () => {
    const { plugin, lines } = makeErrors();
    await serve(plugin, question('example.org. A'), () => reply(rcode));
    assert.deepEqual(lines, []);
  });
}

test('a SERVFAIL the server put in place of the chain’s reply is not logged here', async () => {
  const { plugin, lines } = makeErrors();
  const q = question('example.org. A');
  plugin.serve(q, () => reply(RCODE.NOERROR));
  plugin.observe!(q, servfail(), WIRE, 0.001);
  assert.deepEqual(lines, []);
});

test('an exception passes through unchanged and is not logged here', async () => {
  const { plugin, lines } = makeErrors();
  const boom = new Error('boom');
  assert.throws(
    () => plugin.serve(question('example.org. A'), () => { throw boom; }),
    (err) => err === boom,
  );
  await assert.rejects(Promise.resolve(plugin.serve(question('example.org. A'), async () => { throw boom; })), (err) => err === boom);
  assert.deepEqual(lines, []);
});

test('stacktrace: the stack of an exception, thrown or rejected, is logged and the exception passes on', async () => {
  const { plugin, lines } = makeErrors('errors {\n stacktrace\n}');
  const boom = new Error('boom');
  assert.throws(
    () => plugin.serve(question('Example.org. A'), () => { throw boom; }),
    (err) => err === boom,
  );
  await assert.rejects(Promise.resolve(plugin.serve(question('example.org. TXT'), () => Promise.reject(boom))), (err) => err === boom);
  assert.equal(lines.length, 2);
  assert.ok(lines[0]!.startsWith(`[ERROR] plugin/errors: stack of the panic on "example.org. A": ${boom.stack}`), lines[0]);
  assert.ok(lines[1]!.startsWith('[ERROR] plugin/errors: stack of the panic on "example.org. TXT": Error: boom\n    at '), lines[1]);
});

test('stacktrace: something thrown that is not an Error is written as it is', () => {
  const { plugin, lines } = makeErrors('errors {\n stacktrace\n}');
  assert.throws(() => plugin.serve(question('example.org. A'), () => { throw 'bare string'; }));
  assert.deepEqual(lines, ['[ERROR] plugin/errors: stack of the panic on "example.org. A": bare string']);
});

test('consolidate: matching failures are counted, and stop() prints the summary at LEVEL and leaves no timer', async () => {
  const before = activeTimers();
  const { plugin, lines } = makeErrors('errors {\n consolidate 1m "^server failure$" warning\n}');
  for (const name of ['a.example.', 'b.example.', 'c.example.']) await serve(plugin, question(`${name} A`), () => servfail());
  assert.deepEqual(lines, []);
  assert.equal(activeTimers(), before + 1);
  await plugin.stop!();
  assert.equal(activeTimers(), before);
  assert.deepEqual(lines, ["[WARNING] plugin/errors: 3 errors like '^server failure$' occurred in last 1m0s"]);
  await serve(plugin, question('d.example. A'), () => servfail());
  assert.equal(lines[1], '[ERROR] plugin/errors: 2 d.example. A: server failure', 'after stop, failures are logged one by one');
});

test('consolidate: a failure that matches no pattern is logged at once', async () => {
  const { plugin, lines } = makeErrors('errors {\n consolidate 1m "timeout$"\n}');
  await serve(plugin, question('a.example. A'), () => servfail());
  assert.deepEqual(lines, ['[ERROR] plugin/errors: 2 a.example. A: server failure']);
  await plugin.stop!();
  assert.equal(lines.length, 1);
});

test('consolidate show_first: the first failure is logged at LEVEL at once', async () => {
  const { plugin, lines } = makeErrors('errors {\n consolidate 1m failure info show_first\n}');
  await serve(plugin, question('a.example. A'), () => servfail());
  await serve(plugin, question('b.example. A'), () => servfail());
  assert.deepEqual(lines, ['[INFO] plugin/errors: 2 a.example. A: server failure']);
  await plugin.stop!();
  assert.deepEqual(lines.slice(1), ["[INFO] plugin/errors: 2 errors like 'failure' occurred in last 1m0s"]);
});

test('consolidate at level debug prints nothing, as CoreDNS without its debug plugin', async () => {
  const { plugin, lines } = makeErrors('errors {\n consolidate 1m failure debug\n}');
  await serve(plugin, question('a.example. A'), () => servfail());
  await plugin.stop!();
  assert.deepEqual(lines, []);
});
