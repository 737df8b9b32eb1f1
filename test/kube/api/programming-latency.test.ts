// The programming-latency histograms: CoreDNS's buckets, what counts as a headless slice's trigger time, and what metrics() exposes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BUCKETS,
  EVENT_METRIC,
  Histogram,
  lastChangeTrigger,
  PROGRAMMING_METRIC,
  ProgrammingLatency,
} from '../../../src/kube/api/programming-latency.js';

test('buckets are CoreDNS’s: 1 ms doubling 20 times', () => {
  assert.equal(BUCKETS.length, 20);
  assert.equal(BUCKETS[0], 0.001);
  assert.equal(BUCKETS[19], 524.288);
  for (let i = 1; i < BUCKETS.length; i++) assert.equal(BUCKETS[i], BUCKETS[i - 1]! * 2);
});

test('a histogram counts each observation in the first bucket that holds it, cumulatively', () => {
  const h = new Histogram();
  for (const s of [0.0005, 0.001, 0.0015, 3, 1000]) h.observe(s);
  const { buckets, sum, count } = h.snapshot();
  const at = (le: number) => buckets.find((b) => b.le === le)!.count;
  assert.deepEqual([at(0.001), at(0.002), at(2.048), at(4.096), at(524.288)], [2, 3, 3, 4, 4]);
  assert.equal(count, 5, 'the observation above every bucket counts only in +Inf');
  assert.equal(sum, 0.0005 + 0.001 + 0.0015 + 3 + 1000);
});

const HEADLESS = { 'service.kubernetes.io/headless': '', 'kubernetes.io/service-name': 'web' };
const slice = (labels: object, annotations?: object) => ({ metadata: { name: 'web-x', labels, annotations } });
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

test('the trigger time is read from slices of headless services only', () => {
  const cases: { name: string; raw: unknown; want: ReturnType<typeof lastChangeTrigger> }[] = [
    { name: 'headless, whole seconds', raw: slice(HEADLESS, { [TRIGGER]: '2024-05-14T09:31:00Z' }), want: { at: Date.UTC(2024, 4, 14, 9, 31, 0) } },
    { name: 'headless, nanoseconds (RFC3339Nano)', raw: slice(HEADLESS, { [TRIGGER]: '2024-05-14T09:31:00.123456789Z' }), want: { at: Date.UTC(2024, 4, 14, 9, 31, 0, 123) } },
    { name: 'headless, offset', raw: slice(HEADLESS, { [TRIGGER]: '2024-05-14T11:31:00+02:00' }), want: { at: Date.UTC(2024, 4, 14, 9, 31, 0) } },
    { name: 'headless, not a time', raw: slice(HEADLESS, { [TRIGGER]: 'yesterday' }), want: { invalid: 'yesterday' } },
    { name: 'headless, a date only', raw: slice(HEADLESS, { [TRIGGER]: '2024-05-14' }), want: { invalid: '2024-05-14' } },
    { name: 'headless, no annotation (no selector)', raw: slice(HEADLESS), want: undefined },
    { name: 'ClusterIP service', raw: slice({ 'kubernetes.io/service-name': 'web' }, { [TRIGGER]: '2024-05-14T09:31:00Z' }), want: undefined },
    { name: 'no metadata', raw: { kind: 'EndpointSlice' }, want: undefined },
    { name: 'not an object', raw: null, want: undefined },
  ];
  for (const c of cases) assert.deepEqual(lastChangeTrigger(c.raw), c.want, c.name);
});

test('metrics(): programming time by service_kind, event-to-index time by resource; skew counts as zero', () => {
  const latency = new ProgrammingLatency();
  assert.deepEqual(latency.metrics().map((m) => [m.name, m.type, m.series.length]), [
    [PROGRAMMING_METRIC, 'histogram', 0],
    [EVENT_METRIC, 'histogram', 0],
  ]);
  const now = Date.UTC(2024, 4, 14, 9, 31, 10);
  latency.sliceProgrammed(now - 1500, now);
  latency.sliceProgrammed(now + 60_000, now);
  latency.eventApplied('Service', 0.0004);
  latency.eventApplied('EndpointSlice', 0.003);
  latency.eventApplied('Service', 0.0002);
  const [programming, events] = latency.metrics();
  assert.deepEqual(programming!.series.map((s) => [s.labels, s.value.count, s.value.sum]), [[{ service_kind: 'headless_with_selector' }, 2, 1.5]]);
  assert.equal(programming!.series[0]!.value.buckets.find((b) => b.le === 0.001)!.count, 1, 'the skewed one');
  assert.deepEqual(events!.series.map((s) => [s.labels, s.value.count]), [
    [{ resource: 'endpointslices' }, 1],
    [{ resource: 'services' }, 2],
  ]);
});
