// `health [ADDRESS] { lameduck DURATION }`: CoreDNS's argument rules, the endpoints declared on the
// address, and the lameduck handed to the configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { setup } from '../../../plugins/health/index.js';
import { setupContext } from '../../support/setup-context.js';

function run(stanza: string) {
  const directive = parseCorefile(`. {\n${stanza}\n}\n`, 'Corefile').blocks[0]!.directives[0]!;
  const ctx = setupContext();
  const plugin = setup(directive, ctx);
  return { plugin, declared: ctx.declared };
}

const accepted: { stanza: string; address: string; lameduckMs: number[] }[] = [
  { stanza: 'health', address: ':8080', lameduckMs: [] },
  { stanza: 'health localhost:1234', address: 'localhost:1234', lameduckMs: [] },
  { stanza: 'health localhost:1234 {\n  lameduck 4s\n}', address: 'localhost:1234', lameduckMs: [4000] },
  { stanza: 'health {\n  lameduck 1m30s\n}', address: ':8080', lameduckMs: [90_000] },
  { stanza: 'health [::1]:8080 {\n  lameduck 500ms\n}', address: '[::1]:8080', lameduckMs: [500] },
];
for (const c of accepted) {
  test(`accepted: ${c.stanza.replace(/\n\s*/g, ' ')}`, () => {
    const { plugin, declared } = run(c.stanza);
    assert.equal(plugin, undefined, 'serves no queries');
    assert.deepEqual(
      declared.routes.map((r) => [r.address, r.path, r.origin]),
      [
        [c.address, '/health', 'Corefile:2 health'],
        [c.address, '/debug/index', 'Corefile:2 health'],
      ],
    );
    assert.deepEqual(declared.lameduckMs, c.lameduckMs);
  });
}

const refused: [string, string][] = [
  ['health bla', "Corefile:2: health: 'bla' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)"],
  ['health bla:a', "Corefile:2: health: 'bla:a' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)"],
  ['health bla bla', 'Corefile:2: health: wrong argument count: at most one ADDRESS'],
  ['health localhost:1234 {\n  lameduck a\n}', "Corefile:3: health: unable to parse lameduck duration value: 'a'"],
  ['health localhost:1234 {\n  lameduck 4\n}', "Corefile:3: health: unable to parse lameduck duration value: '4'"],
  ['health {\n  lameduck\n}', 'Corefile:3: health: lameduck takes one DURATION'],
  ['health {\n  lameduck 1s 2s\n}', 'Corefile:3: health: lameduck takes one DURATION'],
  ['health localhost:1234 {\n  lamedudk 4s\n}', "Corefile:3: health: unknown property 'lamedudk'"],
];
for (const [stanza, message] of refused) {
  test(`refused: ${stanza.replace(/\n\s*/g, ' ')}`, () => assert.throws(() => run(stanza), { message }));
}

test('GET /health answers 200 OK, during a shutdown too', async () => {
  const directive = parseCorefile('. {\nhealth\n}\n', 'Corefile').blocks[0]!.directives[0]!;
  const ctx = setupContext();
  setup(directive, ctx);
  const health = ctx.declared.routes.find((r) => r.path === '/health')!;
  assert.deepEqual(await health.handle(new URLSearchParams()), { status: 200, body: 'OK' });
  ctx.runtime.shuttingDown = true;
  assert.deepEqual(await health.handle(new URLSearchParams()), { status: 200, body: 'OK' });
});
