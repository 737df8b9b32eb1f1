// The process's log: every level on standard output, one line per event, in the order logged.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './support/server.js';

test('info, warnings and errors all go to standard output, in order', async () => {
  const log = path.join(repoRoot, 'dist/src/log.js');
  const script = `const { consoleLogger: l } = await import(${JSON.stringify(log)}); l.info('one'); l.error('two'); l.warn('three');`;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(stdout, '[INFO] one\n[ERROR] two\n[WARNING] three\n');
  assert.equal(stderr, '');
});
