// The `reload` stanza: Corefile snippets and the settings they declare (CoreDNS's defaults, limits
// and jitter cap), or the exact start-up error naming file and line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { ConfigError } from '../../../src/errors.js';
import type { ReloadSettings } from '../../../src/runtime.js';
import { setup } from '../../../plugins/reload/index.js';
import { setupContext } from '../../support/setup-context.js';

const FILE = '/etc/coredns/Corefile';

/** Runs the setup of every directive named `reload` in `. { BODY }`, as the server would. */
function run(body: string) {
  const { directives } = parseCorefile(`. {\n${body}\n}\n`, FILE).blocks[0]!;
  const ctx = setupContext({ directives: directives.map((d) => d.name) });
  const plugins = directives.filter((d) => d.name === 'reload').map((d) => setup(d, ctx));
  return { ctx, plugins };
}

const valid: { stanza: string; want: ReloadSettings }[] = [
  { stanza: 'reload', want: { intervalMs: 30_000, jitterMs: 15_000 } },
  { stanza: 'reload 10s', want: { intervalMs: 10_000, jitterMs: 5000 } },
  { stanza: 'reload 1m', want: { intervalMs: 60_000, jitterMs: 15_000 } },
  { stanza: 'reload 10s 2s', want: { intervalMs: 10_000, jitterMs: 2000 } },
  { stanza: 'reload 2s 1s', want: { intervalMs: 2000, jitterMs: 1000 } },
  { stanza: 'reload 3s 1s', want: { intervalMs: 3000, jitterMs: 1000 } },
  { stanza: 'reload 1m30s 1h', want: { intervalMs: 90_000, jitterMs: 45_000 } },
];

for (const c of valid) {
  test(`'${c.stanza}' checks every ${c.want.intervalMs} ms ± ${c.want.jitterMs} ms`, () => {
    const { ctx, plugins } = run(c.stanza);
    assert.deepEqual(ctx.declared.reload, [c.want]);
    assert.deepEqual(plugins, [undefined], 'serves no queries');
  });
}

const invalid: { stanza: string; error: string }[] = [
  { stanza: 'reload 1s', error: `${FILE}:2: reload: interval value must be greater or equal to 2s` },
  { stanza: 'reload 1999ms', error: `${FILE}:2: reload: interval value must be greater or equal to 2s` },
  { stanza: 'reload 10s 500ms', error: `${FILE}:2: reload: jitter value must be greater or equal to 1s` },
  { stanza: 'reload 10s 0s', error: `${FILE}:2: reload: jitter value must be greater or equal to 1s` },
  { stanza: 'reload 30', error: `${FILE}:2: reload: interval is not a duration (like 30s, 5m, 1h): '30'` },
  { stanza: 'reload 10s soon', error: `${FILE}:2: reload: jitter is not a duration (like 30s, 5m, 1h): 'soon'` },
  { stanza: 'reload -5s', error: `${FILE}:2: reload: interval is not a duration (like 30s, 5m, 1h): '-5s'` },
  { stanza: 'reload 10s 2s 1s', error: `${FILE}:2: reload takes [INTERVAL [JITTER]]` },
  { stanza: 'reload {\n}', error: `${FILE}:2: reload takes no block` },
  { stanza: 'reload\nreload 10s', error: `${FILE}:2: reload can only be used once per server block` },
];

for (const c of invalid) {
  test(`'${c.stanza.replace(/\n/g, ' ')}' is refused`, () => {
    assert.throws(() => run(c.stanza), (err: unknown) => err instanceof ConfigError && err.message === c.error);
  });
}

test('the failure counter is exported as 0 from the start; no version before a reload', async () => {
  const { ctx } = run('reload');
  const text = await ctx.runtime.metrics.metrics();
  assert.match(text, /^coredns_reload_failed_total 0$/m);
  assert.doesNotMatch(text, /^coredns_reload_version_info\{/m);
});
