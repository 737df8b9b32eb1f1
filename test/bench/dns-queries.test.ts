// The DNS benchmark's query files ask what the issue says (the in-cluster mix's proportions, names
// that exist for the kinds that should answer), and dnsperf's report is read right.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterRecords, DNS_SHAPE, REVERSE_ZONE, ZONE } from '../../bench/dns/cluster.js';
import { scaledShape } from '../../bench/scale/generate.js';
import { dnsperfArgs, parseSummary, parseVerboseLine } from '../../bench/dns/dnsperf.js';
import { aQueries, externalHitQueries, externalMissQueries, MISS_NAMES, mixQueries, QUERIES_PER_FILE } from '../../bench/dns/queries.js';

const shape = scaledShape(1_000, DNS_SHAPE);
const existing = new Set([...clusterRecords(shape)].map((rr) => `${rr.name} ${rr.type}`));
const lines = (text: string) => text.trimEnd().split('\n');

test('the mix is 70 % A, 10 % AAAA, 10 % SRV, 5 % PTR, 5 % NXDOMAIN, and every A, SRV and PTR name exists', () => {
  const mix = lines(mixQueries(shape));
  assert.equal(mix.length, QUERIES_PER_FILE);
  const counts: Record<string, number> = {};
  for (const q of mix) {
    const [name, type] = q.split(' ') as [string, string];
    const kind = name.startsWith('missing-') ? 'NXDOMAIN' : type;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (kind === 'A' || kind === 'SRV' || kind === 'PTR') assert.ok(existing.has(q), `${q} is not in the cluster`);
    if (kind === 'NXDOMAIN' || kind === 'AAAA') assert.ok(existing.has(`${name} A`) === (kind === 'AAAA'), q);
    assert.ok(name.endsWith(`.${ZONE}`) || name.endsWith(`.${REVERSE_ZONE}`), q);
  }
  const share = (kind: string) => (counts[kind] ?? 0) / mix.length;
  assert.deepEqual(
    ['A', 'AAAA', 'SRV', 'PTR', 'NXDOMAIN'].map(share),
    [0.7, 0.1, 0.1, 0.05, 0.05],
  );
});

test('the mix asks both service and endpoint names, and PTR of both ClusterIPs and endpoints', () => {
  const mix = lines(mixQueries(shape));
  const aNames = mix.filter((q) => q.endsWith(' A') && !q.startsWith('missing-')).map((q) => q.split('.').length);
  assert.ok(new Set(aNames).size === 2, 'service names (svc.ns.svc.cluster.local) and one label deeper');
  const ptr = mix.filter((q) => q.endsWith(' PTR'));
  assert.ok(ptr.some((q) => q.endsWith('.96.10.in-addr.arpa PTR')) && ptr.some((q) => q.endsWith('.128.10.in-addr.arpa PTR')));
});

test('the mix never asks a question twice in a row, and its A questions reach every A name', () => {
  const mix = lines(mixQueries(shape));
  assert.ok(mix.every((q, i) => i === 0 || q !== mix[i - 1]), 'a question repeated back to back');
  const aNames = new Set([...existing].filter((k) => k.endsWith(' A')));
  assert.equal(new Set(mix.filter((q) => aNames.has(q))).size, aNames.size);
});

test('the A-only file asks only existing A names', () => {
  for (const q of lines(aQueries(shape))) assert.ok(existing.has(q), q);
});

test('external names: a small hit set, and a miss set of distinct names', () => {
  assert.ok(new Set(lines(externalHitQueries())).size <= 100);
  const miss = lines(externalMissQueries());
  assert.equal(new Set(miss).size, MISS_NAMES);
});

test("dnsperf's summary is read: counts, QPS, average latency in ms and RCODEs", () => {
  const report = [
    '  Queries sent:         388',
    '  Queries completed:    380 (97.94%)',
    '  Queries lost:         8 (2.06%)',
    '  Response codes:       NOERROR 50 (12.89%), SERVFAIL 288 (74.23%), NXDOMAIN 42 (10.82%)',
    '  Queries per second:   107.023441',
    '  Average Latency (s):  0.000931 (min 0.000750, max 3.589627)',
  ].join('\n');
  const s = parseSummary(report);
  assert.deepEqual({ ...s, avgMs: Number(s.avgMs.toFixed(3)) }, {
    sent: 388,
    completed: 380,
    lost: 8,
    qps: 107.023441,
    avgMs: 0.931,
    rcodes: { NOERROR: 50, SERVFAIL: 288, NXDOMAIN: 42 },
  });
  assert.throws(() => parseSummary('Queries sent: 1'), /Queries completed/);
});

test("dnsperf's -v lines give latencies in ms; lost queries and status lines give none", () => {
  assert.equal(parseVerboseLine('> NOERROR svc-000001.ns-0001.svc.cluster.local A 0.000250'), 0.25);
  assert.equal(parseVerboseLine('> NXDOMAIN missing-1.ns-0001.svc.cluster.local A 0.001'), 1);
  assert.equal(parseVerboseLine('> T svc-000001.ns-0001.svc.cluster.local A'), undefined);
  assert.equal(parseVerboseLine('[Status] Testing complete (time limit)'), undefined);
});

test('dnsperf is asked for a fixed rate, TCP and per-query output only when told', () => {
  const base = { port: 5300, file: 'q.txt', seconds: 10, clients: 16, outstanding: 256 };
  const saturating = dnsperfArgs({ ...base, transport: 'udp', verbose: false });
  assert.ok(!saturating.includes('-Q') && !saturating.includes('-v'));
  const fixedRate = dnsperfArgs({ ...base, transport: 'tcp', qps: 20000, verbose: true });
  assert.deepEqual(
    ['-Q', '-m', '-c', '-v'].map((flag) => fixedRate[fixedRate.indexOf(flag) + 1] ?? 'last'),
    ['20000', 'tcp', '16', 'last'],
  );
});
