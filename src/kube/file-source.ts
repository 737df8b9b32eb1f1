// Kubernetes objects from YAML/JSON files (a directory of them, or one file), followed as they change.
// Design decision: every change re-reads the set and delivers all of it with replaceAll, but a file
// with any broken document keeps serving its last good version, so a typo never deletes records.
// fs.watch on the directory drives reloads (it survives editors that replace files and ConfigMap
// `..data` symlink swaps); a slow stat poll catches what inotify misses and re-arms a lost watch.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { objectKey, type KubeKind, type KubeObject, type ObjectSink, type ObjectSource } from './objects.js';
import { projectAs, projectObject, type Projection } from './project.js';

export interface FileSourceOptions {
  /** Quiet time after the last file event before re-reading (default 100 ms). */
  debounceMs?: number;
  /** Interval of the stat poll that backs up fs.watch (default 2000 ms). */
  pollMs?: number;
}

interface Located {
  object: KubeObject;
  file: string;
  line: number;
}

interface FileState {
  /** Digest of the text the objects were read from (or that failed), to skip unchanged files. */
  digest: string;
  objects: Located[];
}

interface Listing {
  files: string[];
  /** Identity, size and mtime of every file: what the poll compares. */
  signature: string;
}

const OBJECT_FILE = /\.(ya?ml|json)$/;
/** Typed lists as the API returns them (`kubectl get --raw`): their items carry no kind. */
const TYPED_LISTS: Record<string, KubeKind> = {
  NamespaceList: 'Namespace',
  ServiceList: 'Service',
  EndpointSliceList: 'EndpointSlice',
  PodList: 'Pod',
};

export class FileSource implements ObjectSource {
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private single = false;
  private sink: ObjectSink | undefined;
  private files = new Map<string, FileState>();
  private signature = '';
  private watcher: FSWatcher | undefined;
  private watchedIno = -1;
  private debounce: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** Reloads and polls run one at a time, in order. */
  private work: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    options: FileSourceOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 100;
    this.pollMs = options.pollMs ?? 2000;
  }

  async start(sink: ObjectSink): Promise<void> {
    let listing: Listing;
    try {
      this.single = !(await stat(this.path)).isDirectory();
      listing = await this.list();
    } catch (err) {
      throw new ConfigError(`${this.path}: cannot read Kubernetes objects: ${reason(err)}`);
    }
    this.sink = sink;
    await this.load(listing, true);
    sink.markSynced();
    await this.watch();
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.debounce);
    clearTimeout(this.pollTimer);
    this.watcher?.close();
    this.watcher = undefined;
    await this.work;
  }

  private async list(): Promise<Listing> {
    let files = [this.path];
    if (!this.single) {
      const entries = await readdir(this.path, { withFileTypes: true });
      files = entries
        .filter((e) => !e.name.startsWith('.') && OBJECT_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink()))
        .map((e) => join(this.path, e.name))
        .sort();
    }
    const stamps = await Promise.all(
      files.map(async (file) => {
        // stat follows symlinks, so a ConfigMap `..data` swap changes the inode seen here.
        const s = await stat(file).catch(() => undefined);
        return `${file}\0${s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'missing'}`;
      }),
    );
    return { files, signature: stamps.join('\n') };
  }

  /** Reads the listed files (re-parsing only those whose text changed) and delivers the set if it changed. */
  private async load(listing: Listing, initial: boolean): Promise<void> {
    this.signature = listing.signature;
    const next = new Map<string, FileState>();
    let changed = initial;
    for (const file of listing.files) {
      const prev = this.files.get(file);
      const state = await this.readOne(file, prev);
      if (state) next.set(file, state);
      if (state?.objects !== prev?.objects) changed = true;
    }
    for (const file of this.files.keys()) if (!next.has(file)) changed = true;
    if (this.stopped) return;
    this.files = next;
    if (changed) this.deliver();
  }

  private async readOne(file: string, prev: FileState | undefined): Promise<FileState | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      // In a directory, a file gone since the listing was deleted: its objects go with it.
      if (!this.single && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.log.error(`${file}: cannot read: ${reason(err)}`);
      this.keepLastGood(file, prev);
      return prev;
    }
    const digest = createHash('sha256').update(text).digest('base64');
    if (prev?.digest === digest) return prev;
    const { objects, problems } = parseObjects(file, text);
    for (const problem of problems) this.log.error(problem);
    if (problems.length > 0 && prev) {
      this.keepLastGood(file, prev);
      return { digest, objects: prev.objects };
    }
    return { digest, objects };
  }

  private keepLastGood(file: string, prev: FileState | undefined): void {
    if (prev) this.log.warn(`${file}: serving its last good version (${prev.objects.length} objects) until it is fixed`);
  }

  private deliver(): void {
    const first = new Map<string, Located>();
    const objects: KubeObject[] = [];
    for (const state of this.files.values()) {
      for (const item of state.objects) {
        const key = objectKey(item.object);
        const earlier = first.get(key);
        if (earlier) {
          this.log.warn(
            `${item.file}:${item.line}: duplicate ${describe(item.object)}, first defined at ${earlier.file}:${earlier.line}; ignored`,
          );
          continue;
        }
        first.set(key, item);
        objects.push(item.object);
      }
    }
    this.sink?.replaceAll(objects);
    this.log.info(`${this.path}: serving ${objects.length} objects from ${this.files.size} files`);
  }

  private async reload(): Promise<void> {
    let listing: Listing;
    try {
      listing = await this.list();
    } catch (err) {
      this.log.error(`${this.path}: cannot list objects: ${reason(err)}; serving the objects read before`);
      // The watched directory itself may be gone; the poll watches its successor.
      this.watcher?.close();
      this.watcher = undefined;
      return;
    }
    await this.load(listing, false);
  }

  private async poll(): Promise<void> {
    await this.watch();
    const listing = await this.list().catch(() => undefined);
    if (listing && listing.signature !== this.signature) await this.load(listing, false);
  }

  /** Watches the directory (the file's own directory for a single file), again if it was replaced. */
  private async watch(): Promise<void> {
    const dir = this.single ? dirname(this.path) : this.path;
    const ino = await stat(dir).then((s) => s.ino, () => undefined);
    if (this.stopped || ino === undefined || (this.watcher && ino === this.watchedIno)) return;
    this.watcher?.close();
    try {
      const watcher = watch(dir, () => this.schedule());
      watcher.on('error', () => {
        watcher.close();
        if (this.watcher === watcher) this.watcher = undefined;
      });
      this.watcher = watcher;
      this.watchedIno = ino;
    } catch {
      this.watcher = undefined;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.enqueue(() => this.reload());
    }, this.debounceMs);
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.enqueue(() => this.poll()).then(() => this.schedulePoll());
    }, this.pollMs);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.work = this.work.then(task).catch((err) => this.log.error(`${this.path}: ${reason(err)}`));
    return this.work;
  }
}

/** Every object of one file with its line; problems already read "FILE:LINE: message". */
function parseObjects(file: string, text: string): { objects: Located[]; problems: string[] } {
  const lines = new LineCounter();
  const lineAt = (offset: number): number => lines.linePos(offset).line;
  const objects: Located[] = [];
  const problems: string[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, prettyErrors: false })) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${file}:${lineAt(e.pos[0])}: ${e.message}`);
      continue;
    }
    const line = lineAt(doc.contents?.range[0] ?? doc.range[0]);
    let raw: unknown;
    try {
      raw = doc.toJS();
    } catch (err) {
      problems.push(`${file}:${line}: ${reason(err)}`);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    for (const entry of documentEntries(doc, raw, line, lineAt)) {
      const p = entry.projection;
      if ('object' in p) objects.push({ object: p.object, file, line: entry.line });
      else if ('error' in p) problems.push(`${file}:${entry.line}: ${p.error}`);
    }
  }
  return { objects, problems };
}

/** One document's objects: itself, or the items of a `kind: List` / typed list, each with its line. */
function documentEntries(
  doc: Document.Parsed,
  raw: unknown,
  line: number,
  lineAt: (offset: number) => number,
): { line: number; projection: Projection }[] {
  const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  const itemKind = typeof kind === 'string' && Object.hasOwn(TYPED_LISTS, kind) ? TYPED_LISTS[kind] : undefined;
  if (kind !== 'List' && itemKind === undefined) return [{ line, projection: projectObject(raw) }];
  const items = (raw as { items?: unknown }).items ?? [];
  if (!Array.isArray(items)) return [{ line, projection: { error: `${String(kind)}: items: expected a list` } }];
  const nodes = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  return items.map((item, i) => {
    const node = isSeq(nodes) ? (nodes.items[i] as { range?: [number, number, number] } | undefined) : undefined;
    const projection = itemKind ? projectAs(itemKind, item) : projectObject(item);
    return { line: node?.range ? lineAt(node.range[0]) : line, projection };
  });
}

function describe(o: KubeObject): string {
  return o.kind === 'Namespace' ? `Namespace ${o.name}` : `${o.kind} ${o.namespace}/${o.name}`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
