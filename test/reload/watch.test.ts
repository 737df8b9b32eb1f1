// The Corefile watch: a change of content is seen whether the file is written in place or
// replaced by a ConfigMap's symlink swap; a touch or a rewrite of the same bytes is not; content
// tried once is not tried again; the checks follow the settings the reload answers with.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { checkDelay, watchCorefile } from '../../src/reload.js';
import type { ReloadSettings } from '../../src/runtime.js';
import { until } from '../support/until.js';

const FAST: ReloadSettings = { intervalMs: 20, jitterMs: 0 };
/** Long enough for several checks at FAST's interval. */
const SEVERAL_CHECKS_MS = 200;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-reload-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Watches `file` at FAST, counting changes; `answer` is what each reload answers with. */
function watch(t: TestContext, file: string, answer: () => ReloadSettings | undefined = () => FAST) {
  const controller = new AbortController();
  const seen = { changes: 0, ended: false };
  const done = watchCorefile(
    file,
    FAST,
    async () => {
      seen.changes++;
      return answer();
    },
    controller.signal,
  ).then(() => (seen.ended = true));
  t.after(async () => {
    controller.abort();
    await done;
  });
  return seen;
}

/** A Corefile holding `text`, watched, and a few checks later (the watch has read it). */
async function watched(t: TestContext, text: string, answer?: () => ReloadSettings | undefined) {
  const file = path.join(tempDir(t), 'Corefile');
  fs.writeFileSync(file, text);
  const seen = watch(t, file, answer);
  await pause(SEVERAL_CHECKS_MS);
  return { file, seen };
}

test('a write in place is seen once', async (t) => {
  const { file, seen } = await watched(t, '. {\n}\n');
  assert.equal(seen.changes, 0, 'nothing changed yet');
  fs.writeFileSync(file, '. {\n    reload\n}\n');
  await until('the change seen', () => seen.changes === 1);
  await pause(SEVERAL_CHECKS_MS);
  assert.equal(seen.changes, 1, 'content tried is not tried again');
  fs.writeFileSync(file, '. {\n    reload 5s\n}\n');
  await until('the next change seen', () => seen.changes === 2);
});

test('the checks go on at the interval the reload answers with', async (t) => {
  const { file, seen } = await watched(t, '. {\n}\n', () => ({ intervalMs: 60_000, jitterMs: 0 }));
  fs.writeFileSync(file, '. {\n    reload 1m\n}\n');
  await until('the change seen', () => seen.changes === 1);
  fs.writeFileSync(file, '. {\n    reload 2m\n}\n');
  await pause(SEVERAL_CHECKS_MS);
  assert.equal(seen.changes, 1, 'the next check is a minute away');
});

test("a ConfigMap's ..data symlink swap is seen", async (t) => {
  // The kubelet's layout: Corefile -> ..data/Corefile, ..data -> ..<timestamp>, swapped by rename.
  const dir = tempDir(t);
  const version = (name: string, text: string) => {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'Corefile'), text);
  };
  version('..2024_01_01', '. {\n}\n');
  fs.symlinkSync('..2024_01_01', path.join(dir, '..data'));
  fs.symlinkSync('..data/Corefile', path.join(dir, 'Corefile'));
  const seen = watch(t, path.join(dir, 'Corefile'));
  await pause(SEVERAL_CHECKS_MS);
  version('..2024_01_02', '. {\n    reload\n}\n');
  fs.symlinkSync('..2024_01_02', path.join(dir, '..data_tmp'));
  fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  fs.rmSync(path.join(dir, '..2024_01_01'), { recursive: true });
  await until('the swap seen', () => seen.changes === 1);
});

test('a touch or a rewrite of the same bytes is no change', async (t) => {
  const { file, seen } = await watched(t, '. {\n}\n');
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(file, later, later);
  fs.writeFileSync(file, '. {\n}\n');
  await pause(SEVERAL_CHECKS_MS);
  assert.equal(seen.changes, 0);
});

test('a Corefile that cannot be read is skipped until it can', async (t) => {
  const { file, seen } = await watched(t, '. {\n}\n');
  fs.rmSync(file);
  await pause(SEVERAL_CHECKS_MS);
  assert.equal(seen.changes, 0, 'a missing file is not a change');
  fs.writeFileSync(file, '. {\n    reload\n}\n');
  await until('the new content seen', () => seen.changes === 1);
});

test('the watch ends when the configuration reloaded into has no reload', async (t) => {
  const { file, seen } = await watched(t, '. {\n    reload\n}\n', () => undefined);
  fs.writeFileSync(file, '. {\n}\n');
  await until('the watch ended', () => seen.ended);
  fs.writeFileSync(file, '. {\n    reload 2s\n}\n');
  await pause(SEVERAL_CHECKS_MS);
  assert.equal(seen.changes, 1);
});

test('aborting ends the watch at once', async (t) => {
  const file = path.join(tempDir(t), 'Corefile');
  fs.writeFileSync(file, '. {\n}\n');
  const controller = new AbortController();
  const started = Date.now();
  const done = watchCorefile(file, { intervalMs: 60_000, jitterMs: 1000 }, async () => FAST, controller.signal);
  controller.abort();
  await done;
  assert.ok(Date.now() - started < 1000);
});

test('checks come every interval, moved by up to half the jitter either way', () => {
  const settings = { intervalMs: 30_000, jitterMs: 15_000 };
  assert.equal(checkDelay(settings, 0), 22_500);
  assert.equal(checkDelay(settings, 0.5), 30_000);
  assert.equal(checkDelay(settings, 0.999), 37_485);
  const drawn = Array.from({ length: 50 }, () => checkDelay(settings));
  assert.ok(drawn.every((d) => d >= 22_500 && d < 37_500));
  assert.ok(new Set(drawn).size > 1, 'spread, not fixed');
});
