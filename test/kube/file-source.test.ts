// FileSource: initial load, following changes (edit, add, delete, editor renames, ConfigMap symlink
// swaps, a replaced directory), broken input that keeps the last good data, duplicates, clean stop.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rename, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { FileSource, type FileSourceOptions } from '../../src/kube/file-source.js';
import { memoryLogger } from '../../src/log.js';
import { objectKey, type KubeKind, type KubeObject, type ObjectSink } from '../../src/kube/objects.js';

const WAIT_MS = 3000;
/** Watch-driven tests: the poll never fires, so only fs.watch can see a change. */
const WATCH_ONLY: FileSourceOptions = { debounceMs: 20, pollMs: 60_000 };

class RecordingSink implements ObjectSink {
  readonly calls: string[] = [];
  readonly sets: KubeObject[][] = [];
  upsert(_object: KubeObject): void {
    this.calls.push('upsert');
  }
  remove(_kind: KubeKind, _namespace: string, _name: string): void {
    this.calls.push('remove');
  }
  replaceAll(objects: KubeObject[]): void {
    this.calls.push('replaceAll');
    this.sets.push(objects);
  }
  replaceKind(_kind: KubeKind, _objects: KubeObject[], _namespace?: string): void {
    this.calls.push('replaceKind');
  }
  markSynced(): void {
    this.calls.push('markSynced');
  }
  /** Keys of the latest full set. */
  get keys(): string[] {
    return (this.sets.at(-1) ?? []).map(objectKey);
  }
  /** Waits (bounded) until the latest set holds exactly these keys, in this order. */
  async reaches(keys: string[]): Promise<void> {
    await until(() => this.keys.join() === keys.join(), () => `[${keys.join(', ')}]; the latest set is [${this.keys.join(', ')}]`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS} ms for ${what()}`);
    await sleep(5);
  }
}

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const service = (name: string, ip: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  clusterIP: ${ip}\n`;
const docs = (...parts: string[]) => parts.join('---\n');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clusterdns-file-source-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function started(path: string, options: FileSourceOptions = WATCH_ONLY) {
  const log = memoryLogger();
  const sink = new RecordingSink();
  const source = new FileSource(path, log, options);
  cleanups.push(() => source.stop());
  await source.start(sink);
  return { log, sink, source };
}

const problems = (lines: string[]) => lines.filter((l) => !l.startsWith('[INFO]'));

test('initial load: one replaceAll with every object of every file, in file order, then markSynced', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'b.yaml'), service('web', '10.96.0.2'));
  await writeFile(join(dir, 'a.yml'), docs(namespace('shop'), service('api', '10.96.0.1')));
  await writeFile(join(dir, 'c.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'json' } }, null, '\t'));
  await writeFile(join(dir, 'notes.txt'), namespace('ignored-txt'));
  await writeFile(join(dir, '.hidden.yaml'), namespace('ignored-hidden'));
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'd.yaml'), namespace('ignored-subdir'));
  const { sink, log } = await started(dir);
  assert.deepEqual(sink.calls, ['replaceAll', 'markSynced']);
  assert.deepEqual(sink.keys, ['Namespace//shop', 'Service/shop/api', 'Service/shop/web', 'Namespace//json']);
  assert.deepEqual(problems(log.lines), []);
});

test('a single file is a source too', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cluster.yaml');
  await writeFile(file, docs(namespace('shop'), service('web', '10.96.0.2')));
  await writeFile(join(dir, 'other.yaml'), namespace('not-this-one'));
  const { sink } = await started(file);
  assert.deepEqual(sink.keys, ['Namespace//shop', 'Service/shop/web']);
});

test('kind: List and typed lists are unpacked; other kinds and empty documents are skipped silently', async () => {
  const dir = await tempDir();
  const list = `apiVersion: v1\nkind: List\nitems:\n- ${namespace('shop').trimEnd().replace(/\n/g, '\n  ')}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n`;
  const typed = `apiVersion: v1\nkind: ServiceList\nitems:\n- metadata:\n    name: web\n    namespace: shop\n  spec:\n    clusterIP: 10.96.0.2\n`;
  await writeFile(join(dir, 'all.yaml'), docs('# nothing here\n', list, typed, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', ''));
  const { sink, log } = await started(dir);
  assert.deepEqual(sink.keys, ['Namespace//shop', 'Service/shop/web']);
  assert.deepEqual(problems(log.lines), []);
});

test('editing, adding and deleting files each deliver the full new set', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yaml'), service('web', '10.96.0.2'));
  const { sink } = await started(dir);

  await writeFile(join(dir, 'a.yaml'), service('web', '10.96.0.3'));
  const webIPs = () => (sink.sets.at(-1)?.[0] as { clusterIPs: string[] }).clusterIPs.join();
  await until(() => webIPs() === '10.96.0.3', () => `web at 10.96.0.3, not ${webIPs()}`);

  await writeFile(join(dir, 'b.yaml'), namespace('shop'));
  await sink.reaches(['Service/shop/web', 'Namespace//shop']);

  await unlink(join(dir, 'a.yaml'));
  await sink.reaches(['Namespace//shop']);
  assert.deepEqual(sink.calls.filter((c) => c !== 'replaceAll'), ['markSynced']);
});

test('an editor that saves by renaming a new file over the old one is followed, twice', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cluster.yaml');
  await writeFile(file, namespace('one'));
  const { sink } = await started(file);
  for (const name of ['two', 'three']) {
    await writeFile(join(dir, '.cluster.yaml.swp'), namespace(name));
    await rename(join(dir, '.cluster.yaml.swp'), file);
    await sink.reaches([`Namespace//${name}`]);
  }
});

/**
 * Writes one version of a ConfigMap volume as the kubelet does: the files go into a new timestamped
 * directory, `..data` is repointed to it atomically (rename of a fresh symlink), the old one removed.
 */
async function configMapVersion(dir: string, version: string, text: string, previous?: string): Promise<void> {
  await mkdir(join(dir, version));
  await writeFile(join(dir, version, 'cluster.yaml'), text);
  await symlink(version, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  if (previous) await rm(join(dir, previous), { recursive: true });
  else await symlink(join('..data', 'cluster.yaml'), join(dir, 'cluster.yaml'));
}

for (const target of ['the volume directory', 'the file in it']) {
  test(`a ConfigMap volume update (..data swapped to a new timestamped directory) is followed, watching ${target}`, async () => {
    const dir = await tempDir();
    await configMapVersion(dir, '..2024_05_14_09_00_00.000000001', namespace('before'));
    const { sink } = await started(target === 'the file in it' ? join(dir, 'cluster.yaml') : dir);
    assert.deepEqual(sink.keys, ['Namespace//before']);
    await configMapVersion(dir, '..2024_05_14_09_05_00.000000002', namespace('after'), '..2024_05_14_09_00_00.000000001');
    await sink.reaches(['Namespace//after']);
  });
}

test('on the first read a broken document is skipped, the rest of its file served, and FILE:LINE logged', async () => {
  const dir = await tempDir();
  const file = join(dir, 'a.yaml');
  const broken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\n  namespace: shop\nspec:\n  clusterIP: 10.96.0.999\n';
  await writeFile(file, docs(namespace('shop'), broken, service('web', '10.96.0.2')));
  const { sink, log } = await started(dir);
  assert.deepEqual(sink.keys, ['Namespace//shop', 'Service/shop/web']);
  assert.deepEqual(problems(log.lines), [
    `[ERROR] ${file}:6: Service shop/bad: spec.clusterIP: "10.96.0.999" is not an IP address or None`,
  ]);
});

test('a list item that is malformed is reported at its own line', async () => {
  const dir = await tempDir();
  const file = join(dir, 'a.yaml');
  await writeFile(file, 'apiVersion: v1\nkind: List\nitems:\n- kind: Namespace\n  metadata:\n    name: shop\n- kind: Namespace\n  metadata: {}\n');
  const { sink, log } = await started(dir);
  assert.deepEqual(sink.keys, ['Namespace//shop']);
  assert.deepEqual(problems(log.lines), [`[ERROR] ${file}:7: Namespace: metadata.name: required`]);
});

const breakages: { name: string; text: string; line: number; message: RegExp }[] = [
  // The parser notices the unclosed brace at the end of the input, and says so there.
  { name: 'a YAML syntax error', text: docs(namespace('shop'), 'kind: Service\nmetadata: {name: web\n'), line: 8, message: /Flow map/ },
  { name: 'a document that projects to an error', text: docs(namespace('shop'), service('web', 'not-an-ip')), line: 6, message: /spec\.clusterIP: "not-an-ip"/ },
  { name: 'an items list that is not a list', text: 'kind: List\nitems: 7\n', line: 1, message: /List: items: expected a list/ },
];

for (const c of breakages) {
  test(`after ${c.name} the file keeps serving its last good version, and FILE:LINE is logged`, async () => {
    const dir = await tempDir();
    const file = join(dir, 'a.yaml');
    await writeFile(file, docs(namespace('shop'), service('web', '10.96.0.2')));
    await writeFile(join(dir, 'b.yaml'), namespace('other'));
    const { sink, log } = await started(dir);
    const good = sink.keys;

    await writeFile(file, c.text);
    await writeFile(join(dir, 'b.yaml'), namespace('changed'));
    await sink.reaches([...good.slice(0, 2), 'Namespace//changed']);
    const logged = problems(log.lines);
    assert.equal(logged.length, 2, logged.join('\n'));
    assert.ok(logged[0]?.startsWith(`[ERROR] ${file}:${c.line}: `), logged[0]);
    assert.match(logged[0] ?? '', c.message);
    assert.equal(logged[1], `[WARNING] ${file}: serving its last good version (2 objects) until it is fixed`);

    await writeFile(file, namespace('fixed'));
    await sink.reaches(['Namespace//fixed', 'Namespace//changed']);
  });
}

test('a file that cannot be read keeps its last good version', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cluster.yaml');
  await writeFile(file, namespace('shop'));
  const { sink, log, source } = await started(file);
  await unlink(file);
  await until(() => log.lines.some((l) => l.startsWith(`[ERROR] ${file}: cannot read:`)), () => 'the read error');
  await source.stop();
  assert.deepEqual(sink.sets.length, 1);
  assert.ok(log.lines.includes(`[WARNING] ${file}: serving its last good version (1 objects) until it is fixed`));
});

test('a change that leaves every file as it was delivers nothing', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yaml'), namespace('shop'));
  const { sink } = await started(dir, { debounceMs: 20, pollMs: 20 });
  await writeFile(join(dir, 'a.yaml'), namespace('shop'));
  await utimes(join(dir, 'a.yaml'), new Date(), new Date(Date.now() + 5000));
  await writeFile(join(dir, 'ignored.txt'), 'x');
  await sleep(300);
  assert.equal(sink.sets.length, 1);
});

test('duplicates are reported with both places and the first one wins', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yaml'), docs(namespace('shop'), service('web', '10.96.0.1')));
  await writeFile(join(dir, 'b.yaml'), docs(service('api', '10.96.0.3'), service('web', '10.96.0.2')));
  const { sink, log } = await started(dir);
  assert.deepEqual(sink.keys, ['Namespace//shop', 'Service/shop/web', 'Service/shop/api']);
  const web = sink.sets[0]?.find((o) => o.name === 'web') as { clusterIPs: string[] };
  assert.deepEqual(web.clusterIPs, ['10.96.0.1']);
  assert.deepEqual(problems(log.lines), [
    `[WARNING] ${join(dir, 'b.yaml')}:9: duplicate Service shop/web, first defined at ${join(dir, 'a.yaml')}:6; ignored`,
  ]);
});

test('the poll sees changes fs.watch cannot: a symlinked file edited outside the watched directory', async () => {
  const dir = await tempDir();
  const outside = await tempDir();
  await writeFile(join(outside, 'real.yaml'), namespace('before'));
  await symlink(join(outside, 'real.yaml'), join(dir, 'cluster.yaml'));
  const { sink } = await started(dir, { debounceMs: 20, pollMs: 30 });
  await writeFile(join(outside, 'real.yaml'), namespace('after-edit'));
  await sink.reaches(['Namespace//after-edit']);
});

test('a directory that is removed keeps its objects, and when it is recreated the poll loads and watches it', async () => {
  const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
  const baseline = watchers();
  const parent = await tempDir();
  const dir = join(parent, 'cluster');
  await mkdir(dir);
  await writeFile(join(dir, 'a.yaml'), namespace('before'));
  const { sink, log } = await started(dir, { debounceMs: 20, pollMs: 50 });
  assert.equal(watchers(), baseline + 1);

  await rm(dir, { recursive: true });
  await until(
    () => log.lines.some((l) => l.startsWith(`[ERROR] ${dir}: cannot list objects:`)) && watchers() === baseline,
    () => 'the listing error and the watcher closed',
  );
  assert.equal(sink.sets.length, 1, 'a vanished directory delivers no empty set');

  await mkdir(dir);
  await writeFile(join(dir, 'a.yaml'), namespace('recreated'));
  await sink.reaches(['Namespace//recreated']);
  await until(() => watchers() === baseline + 1, () => 'a new watcher');
});

test('start fails with a ConfigError when the path does not exist', async () => {
  const dir = await tempDir();
  const source = new FileSource(join(dir, 'missing'), memoryLogger());
  await assert.rejects(source.start(new RecordingSink()), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, new RegExp(`^${join(dir, 'missing')}: cannot read Kubernetes objects: .*ENOENT`));
    return true;
  });
});

test('stop() closes the watcher and timers: no handles left, no more deliveries', async () => {
  const resources = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap' || r === 'Timeout').sort();
  const before = resources();
  const dir = await tempDir();
  await writeFile(join(dir, 'a.yaml'), namespace('shop'));
  const { sink, source } = await started(dir, { debounceMs: 20, pollMs: 30 });
  assert.notDeepEqual(resources(), before, 'a running source holds a watcher and a timer');
  await writeFile(join(dir, 'a.yaml'), namespace('changed'));
  await source.stop();
  // A closed watcher's handle is released a loop turn or two later; it no longer holds the process.
  await until(() => resources().join() === before.join(), () => `handles [${before.join()}], not [${resources().join()}]`);
  const delivered = sink.sets.length;
  await writeFile(join(dir, 'a.yaml'), namespace('after-stop'));
  await sleep(100);
  assert.equal(sink.sets.length, delivered);
});
