// The consolidation period in the summary line, as Go's time.Duration.String() writes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../../src/config/duration.js';
import { goDuration } from '../../../plugins/errors/go-duration.js';

const cases: [string, string][] = [
  ['0s', '0s'],
  ['30s', '30s'],
  ['5m', '5m0s'],
  ['90s', '1m30s'],
  ['1h', '1h0m0s'],
  ['26h3m4s', '26h3m4s'],
  ['1.5s', '1.5s'],
  ['1m0.25s', '1m0.25s'],
  ['250ms', '250ms'],
  ['1.5ms', '1.5ms'],
  ['1500us', '1.5ms'],
  ['2us', '2µs'],
  ['1500ns', '1.5µs'],
  ['7ns', '7ns'],
  ['1s1ns', '1.000000001s'],
];

for (const [written, printed] of cases) {
  test(`${written} is printed ${printed}`, () => {
    assert.equal(goDuration(parseDuration(written)!), printed);
  });
}
