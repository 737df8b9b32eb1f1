// Choosing upstreams: the three policies, health checks marking an upstream down after max_fails
// failed checks and up again on its first answer, all-down fallback, and loop exclusion.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { endpoint } from '../../src/upstream/endpoint.js';
import { DEFAULT_HEALTH, type HealthOptions } from '../../src/upstream/health.js';
import { countOf, upstreamMetrics } from '../../src/upstream/metrics.js';
import { UpstreamPool, type Policy } from '../../src/upstream/pool.js';
import { Upstream } from '../../src/upstream/upstream.js';
import { ScriptedUpstream } from '../support/upstream.js';

const pools: UpstreamPool[] = [];
const servers: ScriptedUpstream[] = [];
after(async () => {
  for (const p of pools) p.close();
  for (const s of servers) await s.stop();
});

/** Health checking fast enough for tests: 50 ms between checks, 100 ms to answer one. */
const FAST: HealthOptions = { ...DEFAULT_HEALTH, intervalMs: 50, timeoutMs: 100 };

function pool(upstreams: Upstream[], policy: Policy = 'sequential', health: Partial<HealthOptions> = {}): UpstreamPool {
  const p = new UpstreamPool(upstreams, policy, { ...FAST, ...health });
  pools.push(p);
  return p;
}

/** Upstreams no query is sent to: choosing an order sends nothing. */
function idle(count: number): Upstream[] {
  return Array.from({ length: count }, (_, i) => new Upstream(endpoint(`192.0.2.${i + 1}`)));
}

async function scripted(): Promise<{ server: ScriptedUpstream; upstream: Upstream }> {
  const server = await ScriptedUpstream.start();
  servers.push(server);
  return { server, upstream: new Upstream(endpoint(server.host, server.port)) };
}

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const labels = (list: readonly Upstream[]) => list.map((u) => u.label);

test('sequential: always the configured order', () => {
  const list = idle(3);
  const p = pool(list, 'sequential');
  for (let i = 0; i < 3; i++) assert.deepEqual(labels(p.order()), labels(list));
});

test('round_robin: each query starts one further along, the rest following in order', () => {
  const [a, b, c] = idle(3) as [Upstream, Upstream, Upstream];
  const p = pool([a, b, c], 'round_robin');
  const orders = Array.from({ length: 4 }, () => labels(p.order()));
  assert.deepEqual(orders, [labels([a, b, c]), labels([b, c, a]), labels([c, a, b]), labels([a, b, c])]);
});

test('random: every order is a permutation, and every upstream comes first sometimes', () => {
  const list = idle(3);
  const p = pool(list, 'random');
  const firsts = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const order = labels(p.order());
    assert.deepEqual([...order].sort(), labels(list).sort());
    firsts.add(order[0]!);
  }
  assert.equal(firsts.size, 3);
});

test('an upstream failing max_fails health checks in a row is down and skipped; its first answer brings it back', async () => {
  const { server, upstream } = await scripted();
  const [other] = idle(1) as [Upstream];
  const p = pool([upstream, other], 'sequential', { maxFails: 2 });
  const failures = countOf(upstreamMetrics().healthcheckFailures, upstream.label);
  server.down = true;
  p.failed(upstream);
  await until('down', () => p.isDown(upstream));
  assert.ok(countOf(upstreamMetrics().healthcheckFailures, upstream.label) - failures >= 2);
  assert.deepEqual(labels(p.order()), labels([other]));

  server.down = false;
  await until('up again', () => !p.isDown(upstream));
  assert.deepEqual(labels(p.order()), labels([upstream, other]));
  const checks = server.count('');
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(server.count(''), checks, 'checking stops once the upstream answers');
});

test('one failed check is not down with max_fails 2', async () => {
  const { server, upstream } = await scripted();
  const p = pool([upstream], 'sequential', { maxFails: 2 });
  server.down = true;
  p.failed(upstream);
  await until('one check sent', () => server.count('') >= 1);
  assert.equal(p.isDown(upstream), false);
  server.down = false;
});

test('the check asks ". NS" with RD set; no_rec clears RD; domain changes the name', async () => {
  const cases: { health: Partial<HealthOptions>; name: string; rd: boolean }[] = [
    { health: {}, name: '', rd: true },
    { health: { recursionDesired: false }, name: '', rd: false },
    { health: { domain: 'example.org' }, name: 'example.org', rd: true },
  ];
  for (const c of cases) {
    const { server, upstream } = await scripted();
    const p = pool([upstream], 'sequential', c.health);
    p.failed(upstream);
    await until('a check', () => server.received.length > 0);
    assert.deepEqual(server.received[0], { name: c.name, type: 'NS', transport: 'udp', from: server.received[0]!.from, rd: c.rd, do: false });
  }
});

test('max_fails 0: no health check, never down', async () => {
  const { server, upstream } = await scripted();
  const p = pool([upstream], 'sequential', { maxFails: 0 });
  server.down = true;
  for (let i = 0; i < 3; i++) p.failed(upstream);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(server.received.length, 0);
  assert.equal(p.isDown(upstream), false);
});

test('every upstream down: all are tried anyway, in random order, counted as healthcheck broken', async () => {
  const one = await scripted();
  const two = await scripted();
  const p = pool([one.upstream, two.upstream], 'sequential', { maxFails: 1 });
  one.server.down = true;
  two.server.down = true;
  p.failed(one.upstream);
  p.failed(two.upstream);
  await until('both down', () => p.isDown(one.upstream) && p.isDown(two.upstream));
  const broken = upstreamMetrics().healthcheckBroken;
  const firsts = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const order = labels(p.order());
    assert.deepEqual([...order].sort(), labels([one.upstream, two.upstream]).sort());
    firsts.add(order[0]!);
  }
  assert.equal(firsts.size, 2);
  assert.equal(upstreamMetrics().healthcheckBroken - broken, 100);
  one.server.down = false;
  two.server.down = false;
});

test('an excluded upstream is never tried; with all excluded the order is empty and nothing counts as broken', () => {
  const [a, b] = idle(2) as [Upstream, Upstream];
  const p = pool([a, b], 'round_robin');
  p.exclude(a);
  for (let i = 0; i < 3; i++) assert.deepEqual(labels(p.order()), labels([b]));
  p.exclude(b);
  const broken = upstreamMetrics().healthcheckBroken;
  assert.deepEqual(p.order(), []);
  assert.equal(upstreamMetrics().healthcheckBroken, broken);
});
