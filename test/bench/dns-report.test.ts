// The DNS benchmark's tables: medians and spread per scenario, and each target read from the
// scenarios it names, judged met or missed, or "-" when its scenarios were not run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scenarios, table, targetTable, type Measured } from '../../bench/dns/report.js';

function measured(qps: number, latenciesMs: number[] = []): Measured {
  return {
    dnsperf: { sent: qps, completed: qps, lost: 0, qps, avgMs: 1, rcodes: { NOERROR: qps }, latenciesMs: Float64Array.from(latenciesMs).sort() },
    failed: 0,
    cpuPercent: 50,
    rssMB: 60,
  };
}

const rowOf = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start)) ?? '';

test('every scenario label is distinct, and the fixed rate is in the label of the fixed-rate runs', () => {
  const list = scenarios(20_000);
  assert.equal(new Set(list.map((s) => s.label)).size, list.length);
  assert.deepEqual(
    list.filter((s) => s.qps !== undefined).map((s) => s.label.startsWith('mix udp 20k/s ')),
    [true, true, true, true],
  );
});

test('a row shows the median of the runs and the spread of QPS', () => {
  const results = new Map([['mix udp max clusterdns', [measured(30_000), measured(10_000), measured(20_000)]]]);
  const row = rowOf(table('heading', scenarios(20_000), results), 'mix udp max clusterdns');
  assert.match(row, /^mix udp max clusterdns\s+20000\s+10000–30000\s/);
});

test('targets are ratios of medians and percentiles of the fixed-rate run, met or missed', () => {
  const slow = Array.from({ length: 1000 }, (_, i) => (i < 980 ? 0.1 : 2));
  const results = new Map([
    ['mix udp max clusterdns', [measured(70_000)]],
    ['mix udp max unbound', [measured(100_000)]],
    ['mix tcp max clusterdns', [measured(90_000)]],
    ['mix tcp max knotd', [measured(100_000)]],
    ['mix udp 20k/s clusterdns', [measured(20_000, slow)]],
  ]);
  const text = targetTable(20_000, 60, results);
  assert.match(rowOf(text, 'in-cluster mix, UDP'), /\s0\.70\s+>= 0\.85\s+MISSED$/);
  assert.match(rowOf(text, 'TCP, 16 connections'), /\s0\.90\s+>= 0\.8\s+met$/);
  assert.match(rowOf(text, 'p99 at 20000'), /\s2\.000\s+<= 0\.3\s+MISSED$/);
  assert.match(rowOf(text, 'RSS at ready'), /\s60\.0\s+<= 67\s+met$/);
  assert.match(rowOf(text, 'forwarded cache hits'), /\s-\s+>= 0\.8$/);
});
