// The loop plugin against scripted upstreams: an upstream that is our own listener caught at
// start, a probe that comes back caught when it does, what a detected loop changes (that upstream
// excluded, not ready, the explanation logged), and the probes' bounds in number and time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { RCODE } from '../../../src/dns/types.js';
import { ConfigError } from '../../../src/errors.js';
import { memoryLogger } from '../../../src/log.js';
import type { Plugin, SetupContext } from '../../../src/plugin.js';
import { setup as forwardSetup } from '../../../plugins/forward/index.js';
import { Loop, setup as loopSetup, type ProbeTiming } from '../../../plugins/loop/index.js';
import { ScriptedUpstream } from '../../support/upstream.js';
import { makeQuery, recordingNext } from '../forward/harness.js';
import { setupContext } from '../../support/setup-context.js';

const FILE = '/etc/coredns/Corefile';
const FAST: ProbeTiming = { firstMs: 0, timeoutMs: 300, retryMs: 100, giveUpMs: 1000 };

let good: ScriptedUpstream;
let looping: ScriptedUpstream;
before(async () => {
  good = await ScriptedUpstream.start();
  looping = await ScriptedUpstream.start();
  good.script('www.example.com', { answers: [{ name: '', type: 'A', ttl: 60, data: '192.0.2.1' }] });
});
after(async () => {
  await good.stop();
  await looping.stop();
});

interface Block {
  loop: Loop;
  forwards: Plugin[];
  log: ReturnType<typeof memoryLogger>;
  stop(): Promise<void>;
}

/** `loop` and the `forward` lines of `text` in one server block, set up as app.ts would, and started. */
async function block(text: string, o: { keys?: string; port?: number; listen?: string[]; timing?: ProbeTiming } = {}): Promise<Block> {
  const parsed = parseCorefile(`${o.keys ?? '.'} {\n${text}\n}\n`, FILE).blocks[0]!;
  const log = memoryLogger();
  const ctx: SetupContext = setupContext({ zones: parsed.keys.map((k) => k.zone), port: o.port ?? 0, log, listen: o.listen ?? [] });
  const loop = new Loop(ctx, o.timing ?? FAST);
  const forwards = parsed.directives.map((d) => forwardSetup(d, ctx)!);
  await loop.start();
  return {
    loop,
    forwards,
    log,
    stop: async () => {
      await loop.stop();
      for (const f of forwards) await f.stop?.();
    },
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const probesTo = (u: ScriptedUpstream) => u.received.filter((r) => r.type === 'HINFO');

test('loop takes no arguments and no block', () => {
  for (const [text, error] of [
    ['loop now', `${FILE}:2: loop takes no arguments`],
    ['loop {\n}', `${FILE}:2: loop takes no block`],
  ] as const) {
    const parsed = parseCorefile(`. {\n${text}\n}\n`, FILE).blocks[0]!;
    const ctx: SetupContext = setupContext();
    assert.throws(() => loopSetup(parsed.directives[0]!, ctx), (err: unknown) => err instanceof ConfigError && err.message === error);
  }
});

test('an upstream that is our own address and port is caught at start: excluded, not ready, explained', async () => {
  const b = await block(`forward . 127.0.0.53:1053 ${good.address} {\n policy sequential\n}`, { port: 1053, timing: { ...FAST, firstMs: 60_000 } });
  try {
    assert.equal(b.loop.ready(), false);
    assert.equal(b.log.lines.length, 1);
    const line = b.log.lines[0]!;
    assert.match(line, /^\[ERROR\] loop: forwarding loop detected: 127\.0\.0\.53:1053 is this server's own address and port\. No longer forwarding to 127\.0\.0\.53:1053/);
    assert.match(line, /local stub resolver, such as systemd-resolved's 127\.0\.0\.53/);
    assert.match(line, /--resolv-conf/);
    const q = makeQuery('www.example.com', 'A');
    const r = await b.forwards[0]!.serve(q, recordingNext());
    assert.equal(r.rcode, RCODE.NOERROR, 'the other upstream still answers');
  } finally {
    await b.stop();
  }
});

test('an upstream on another port than ours is not a loop by address', async () => {
  const b = await block('forward . 127.0.0.53:53', { port: 1053, timing: { ...FAST, firstMs: 60_000 } });
  try {
    assert.equal(b.loop.ready(), true);
    assert.deepEqual(b.log.lines, []);
  } finally {
    await b.stop();
  }
});

test('a probe that comes back to us: that upstream alone is excluded, SERVFAIL for the probe, not ready', async () => {
  looping.down = true;
  const b = await block(`forward . ${looping.address} ${good.address} {\n policy sequential\n}`);
  try {
    await until('probes sent', () => probesTo(looping).length > 0 && probesTo(good).length > 0);
    const probe = probesTo(looping).at(-1)!;
    assert.match(probe.name, /^\d+\.\d+$/, '<random>.<random>. in the root zone');
    assert.equal(b.loop.ready(), true);
    const next = recordingNext();
    const r = await b.loop.serve(makeQuery(probe.name, 'HINFO'), next);
    assert.deepEqual([r.rcode, next.seen], [RCODE.SERVFAIL, []]);
    assert.equal(b.loop.ready(), false);
    assert.match(b.log.lines.join('\n'), new RegExp(`the probe "${probe.name}\\. HINFO" sent to ${looping.address} came back to this server`));
    const before = looping.count('www.example.com');
    assert.equal((await b.forwards[0]!.serve(makeQuery('www.example.com', 'A'), recordingNext())).rcode, RCODE.NOERROR);
    assert.equal(looping.count('www.example.com'), before, 'the looping upstream is not asked any more');
  } finally {
    looping.down = false;
    await b.stop();
  }
});

test('a probe that is answered is no loop: ready stays true, and its name is an ordinary name afterwards', async () => {
  const b = await block(`forward . ${good.address}`);
  try {
    await until('probe answered', () => probesTo(good).length > 0);
    const probe = probesTo(good).at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const next = recordingNext();
    await b.loop.serve(makeQuery(probe.name, 'HINFO'), next);
    assert.deepEqual(next.seen, [`${probe.name} HINFO`]);
    assert.equal(b.loop.ready(), true);
    assert.deepEqual(b.log.lines, []);
  } finally {
    await b.stop();
  }
});

test('other queries pass the plugin untouched, the probe name with another type too', async () => {
  looping.down = true;
  const b = await block(`forward . ${looping.address}`);
  try {
    await until('probe sent', () => probesTo(looping).length > 0);
    const probe = probesTo(looping).at(-1)!;
    const next = recordingNext();
    await b.loop.serve(makeQuery(probe.name, 'A'), next);
    await b.loop.serve(makeQuery('www.example.com', 'HINFO'), next);
    assert.deepEqual(next.seen, [`${probe.name} A`, 'www.example.com HINFO']);
    assert.equal(b.loop.ready(), true);
  } finally {
    looping.down = false;
    await b.stop();
  }
});

test('probes go under the zone where FROM and the block overlap, and not at all where they do not', async () => {
  const cases: { keys: string; from: string; zone: RegExp | undefined }[] = [
    { keys: '.', from: 'consul.local', zone: /^\d+\.\d+\.consul\.local$/ },
    { keys: 'example.org', from: '.', zone: /^\d+\.\d+\.example\.org$/ },
    { keys: 'example.org', from: 'example.com', zone: undefined },
  ];
  for (const c of cases) {
    const upstream = await ScriptedUpstream.start();
    const b = await block(`forward ${c.from} ${upstream.address}`, { keys: c.keys });
    try {
      if (c.zone) {
        await until('probe sent', () => probesTo(upstream).length > 0);
        assert.match(probesTo(upstream)[0]!.name, c.zone);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(probesTo(upstream), []);
      }
    } finally {
      await b.stop();
      await upstream.stop();
    }
  }
});

test('an upstream that never answers is probed every retry interval until give-up, then a warning says so', async () => {
  looping.down = true;
  const before = probesTo(looping).length;
  const timing: ProbeTiming = { firstMs: 0, timeoutMs: 100, retryMs: 50, giveUpMs: 600 };
  const b = await block(`forward . ${looping.address}`, { timing });
  try {
    await until('the warning', () => b.log.lines.length > 0, 3000);
    assert.deepEqual(b.log.lines, [`[WARNING] loop: ${looping.address} did not answer a probe for 0.6 s; a loop through it would go unnoticed`]);
    const sent = probesTo(looping).length - before;
    // One probe per timeout plus pause (150 ms) within 600 ms: 4 or 5 tries, never more.
    assert.ok(sent >= 3 && sent <= 5, `${sent} probes`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(probesTo(looping).length - before, sent, 'no probe after giving up');
    assert.equal(b.loop.ready(), true);
  } finally {
    looping.down = false;
    await b.stop();
  }
});

test('stop() ends probing', async () => {
  looping.down = true;
  const before = probesTo(looping).length;
  const b = await block(`forward . ${looping.address}`, { timing: { firstMs: 0, timeoutMs: 50, retryMs: 50, giveUpMs: 10_000 } });
  await until('a probe', () => probesTo(looping).length > before);
  await b.stop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = probesTo(looping).length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(probesTo(looping).length, after);
  looping.down = false;
});
