// The CPU profile summarizer of bench/hot-path: self time per function, only under the measured
// loop, with the collector's time during that loop counted beside it. Run on a profile made by hand.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../bench/hot-path/profile-summary.js', import.meta.url));

const frame = (functionName: string) => ({ functionName, url: 'node:fake', lineNumber: 0, columnNumber: 0 });
const nodes = [
  { id: 1, callFrame: frame('(root)'), children: [2, 3, 6] },
  { id: 2, callFrame: frame('(garbage collector)') },
  { id: 3, callFrame: frame('sample'), children: [4, 5] },
  { id: 4, callFrame: frame('hot') },
  { id: 5, callFrame: frame('cold') },
  { id: 6, callFrame: frame('loading') },
];
// Each sample lasts until the next one: 1 ms apart. The collector runs once inside the loop and once after it.
const samples = [6, 4, 4, 2, 4, 5, 2, 6, 6];
const timeDeltas = samples.map(() => 1000);

function summarize(...args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-profile-'));
  try {
    const file = path.join(dir, 'fake.cpuprofile');
    fs.writeFileSync(file, JSON.stringify({ nodes, samples, timeDeltas, startTime: 0, endTime: 10_000 }));
    return execFileSync(process.execPath, [script, file, ...args], { encoding: 'utf8' }).trim().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('counts only samples under the measured loop, most self time first, and the collector while it ran', () => {
  const lines = summarize();
  assert.equal(lines[0], '4 ms sampled under sample, and 1 ms of garbage collection meanwhile');
  assert.deepEqual(
    lines.slice(2).map((l) => l.trim().split(/\s+/).slice(0, 3)),
    [
      ['3', '75.0', 'hot'],
      ['1', '25.0', 'cold'],
    ],
  );
});

test('--under picks another function and --top cuts the list', () => {
  const lines = summarize('--under', '(root)', '--top', '1');
  // The last sample has no next one to end it, so it counts for nothing: 6 ms, both collections inside.
  assert.equal(lines[0], '6 ms sampled under (root), and 2 ms of garbage collection meanwhile');
  assert.deepEqual(lines.slice(2).map((l) => l.trim().split(/\s+/).slice(0, 3)), [['3', '50.0', 'hot']]);
});
