// The hot-path regression guard CI runs: a short run of bench/hot-path over a small cluster whose
// figures go to the test output as diagnostics. Timing is only printed, never asserted (CI machines
// vary too much); what is asserted is that every question gets its answer, synchronously.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHotPath, type HotPath } from '../../bench/hot-path/cluster.js';
import { report, wrongAnswers } from '../../bench/hot-path/report.js';
import { sample } from '../../bench/hot-path/sample.js';

const SERVICES = 300;
const QUERIES = 10_000;

let hot: HotPath;
before(async () => {
  hot = await startHotPath(SERVICES);
});
after(() => hot.stop());

test('every question of the benchmark gets the rcode and number of answers it should', async () => {
  assert.deepEqual(await wrongAnswers(hot), []);
});

test(`${QUERIES} queries of each kind: ns and heap bytes per query (printed, not asserted)`, (t) => {
  const rows = hot.questions.map((q) => ({ kind: q.kind, sample: sample(hot.handler, q.wire, QUERIES) }));
  for (const row of rows) assert.ok(row.sample.heapBytes > 0, `${row.kind}: a reply takes heap to build`);
  t.diagnostic(`hot path, ${SERVICES} services, node ${process.version}`);
  for (const line of report(rows)) t.diagnostic(line);
});
