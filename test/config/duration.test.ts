// Go durations as Corefiles write them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../src/config/duration.js';

const cases: [string, number | undefined][] = [
  ['0', 0],
  ['10s', 10_000],
  ['500ms', 500],
  ['0.5s', 500],
  ['.5s', 500],
  ['1m30s', 90_000],
  ['1h', 3_600_000],
  ['1.5h', 5_400_000],
  ['250us', 0.25],
  ['250µs', 0.25],
  ['1000000ns', 1],
  ['2m0.5s', 120_500],
  ['', undefined],
  ['10', undefined],
  ['s', undefined],
  ['-1s', undefined],
  ['1d', undefined],
  ['1s ', undefined],
  ['1ss', undefined],
  ['1.s', 1000],
];

for (const [text, ms] of cases) {
  test(`"${text}" → ${ms === undefined ? 'not a duration' : `${ms} ms`}`, () => assert.equal(parseDuration(text), ms));
}
