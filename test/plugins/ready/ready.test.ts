// `ready [ADDRESS] { monitor MODE }`: CoreDNS's argument rules, 200 OK when every plugin that
// reports readiness is ready, 503 with the others' names (CoreDNS's body) otherwise, and 503
// "Shutting down" once a shutdown began.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { reply } from '../../../src/dns/reply.js';
import { RCODE } from '../../../src/dns/types.js';
import type { Plugin } from '../../../src/plugin.js';
import type { HttpRoute } from '../../../src/runtime.js';
import { setup } from '../../../plugins/ready/index.js';
import { setupContext } from '../../support/setup-context.js';

function run(stanza: string, plugins: Plugin[] = []) {
  const directive = parseCorefile(`. {\n${stanza}\n}\n`, 'Corefile').blocks[0]!.directives[0]!;
  const ctx = setupContext({ plugins: () => plugins });
  const plugin = setup(directive, ctx);
  return { plugin, ctx, routes: ctx.declared.routes };
}

const accepted: [string, string][] = [
  ['ready', ':8181'],
  ['ready localhost:1234', 'localhost:1234'],
  ['ready {\n  monitor until-ready\n}', ':8181'],
  ['ready {\n  monitor continuously\n}', ':8181'],
  ['ready localhost:1234 {\n  monitor continuously\n}', 'localhost:1234'],
];
for (const [stanza, address] of accepted) {
  test(`accepted: ${stanza.replace(/\n\s*/g, ' ')}`, () => {
    const { plugin, routes } = run(stanza);
    assert.equal(plugin, undefined, 'serves no queries');
    assert.deepEqual(
      routes.map((r) => [r.address, r.path, r.origin]),
      [[address, '/ready', 'Corefile:2 ready']],
    );
  });
}

const refused: [string, string][] = [
  ['ready bla', "Corefile:2: ready: 'bla' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)"],
  ['ready bla bla', 'Corefile:2: ready: wrong argument count: at most one ADDRESS'],
  ['ready localhost:1234 b', 'Corefile:2: ready: wrong argument count: at most one ADDRESS'],
  ['ready localhost:1234 {\n  monitor 404\n}', "Corefile:3: ready: monitor type '404' not supported (continuously or until-ready)"],
  ['ready {\n  monitor\n}', "Corefile:3: ready: monitor type '' not supported (continuously or until-ready)"],
  ['ready {\n  monitro continuously\n}', "Corefile:3: ready: unknown property 'monitro'"],
];
for (const [stanza, message] of refused) {
  test(`refused: ${stanza.replace(/\n\s*/g, ' ')}`, () => assert.throws(() => run(stanza), { message }));
}

/** A plugin whose readiness the test sets; `asked` counts the questions. */
function plugin(name: string, ready: boolean): Plugin & { isReady: boolean; asked: number } {
  return {
    name,
    isReady: ready,
    asked: 0,
    serve: () => reply(RCODE.REFUSED),
    ready() {
      this.asked++;
      return this.isReady;
    },
  };
}

async function probe(route: HttpRoute) {
  const { status, body } = await route.handle(new URLSearchParams());
  return `${status} ${body}`;
}

test('200 OK when every plugin that reports readiness is ready; plugins without ready() do not count', async () => {
  const { routes } = run('ready', [plugin('kubernetes', true), { name: 'forward', serve: () => reply(RCODE.REFUSED) }]);
  assert.equal(await probe(routes[0]!), '200 OK');
});

test('503 with the names of the plugins not ready, sorted, each once, comma-separated', async () => {
  const { routes } = run('ready', [plugin('loop', false), plugin('kubernetes', false), plugin('kubernetes', false), plugin('cache', true)]);
  assert.equal(await probe(routes[0]!), '503 kubernetes,loop');
});

test('asked at every request by default, so a plugin that withdraws readiness (loop) shows', async () => {
  const loop = plugin('loop', true);
  const { routes } = run('ready', [loop]);
  assert.equal(await probe(routes[0]!), '200 OK');
  loop.isReady = false;
  assert.equal(await probe(routes[0]!), '503 loop');
});

test('monitor until-ready: a plugin once ready is not asked again (CoreDNS default)', async () => {
  const kubernetes = plugin('kubernetes', false);
  const { routes } = run('ready {\n  monitor until-ready\n}', [kubernetes]);
  assert.equal(await probe(routes[0]!), '503 kubernetes');
  kubernetes.isReady = true;
  assert.equal(await probe(routes[0]!), '200 OK');
  kubernetes.isReady = false;
  assert.equal(await probe(routes[0]!), '200 OK');
  assert.equal(kubernetes.asked, 2);
});

test('503 "Shutting down" once a shutdown began, ready plugins or not', async () => {
  const { routes, ctx } = run('ready', [plugin('kubernetes', true)]);
  assert.equal(await probe(routes[0]!), '200 OK');
  ctx.runtime.shuttingDown = true;
  assert.equal(await probe(routes[0]!), '503 Shutting down');
});
