// Reads a `node --cpu-prof` profile and prints the functions with the most self time, with source
// locations mapped back to the TypeScript through dist/'s source maps, and each one's hottest lines.
// Design decision: only samples taken under one function (by default `sample`, the benchmark's
// measured loop) count, so loading the cluster does not drown the hot path.
// Usage: node dist/bench/hot-path/profile-summary.js PROFILE.cpuprofile [--under NAME] [--top N]
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface Entry {
  name: string;
  where: string;
  selfUs: number;
  lines: Map<string, number>;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { under: { type: 'string', default: 'sample' }, top: { type: 'string', default: '10' } },
});
if (positionals.length !== 1) throw new Error('usage: profile-summary PROFILE.cpuprofile [--under NAME] [--top N]');
const profile = JSON.parse(fs.readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const inside = new Map<number, boolean>();
function isUnder(id: number): boolean {
  const known = inside.get(id);
  if (known !== undefined) return known;
  const up = parent.get(id);
  const result = byId.get(id)!.callFrame.functionName === values.under || (up !== undefined && isUnder(up));
  inside.set(id, result);
  return result;
}

const selfUs = new Map<number, number>();
let totalUs = 0;
// The collector's samples hang off the root, not under the loop that made the garbage: those taken
// between the first and the last sample under `under` are counted as its.
let gcUs = 0;
let gcPending = 0;
// timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  const us = profile.timeDeltas[i + 1] ?? 0;
  if (byId.get(id)!.callFrame.functionName === '(garbage collector)') {
    if (totalUs > 0) gcPending += us;
    continue;
  }
  if (!isUnder(id)) continue;
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  totalUs += us;
  gcUs += gcPending;
  gcPending = 0;
}

const built = new Map<string, { map: SourceMap; lines: string[] } | undefined>();
/**
 * `file:line` in the TypeScript source for a 1-based line of a built file (or the file as it is).
 * Without a column, the line's first non-blank one: a source map has no entry for indentation, and
 * looking one up there answers with the end of the line before.
 */
function locate(url: string, line: number, column?: number): string {
  if (!url.startsWith('file:')) return `${url || '(native)'}${url ? `:${line}` : ''}`;
  const file = fileURLToPath(url);
  if (!built.has(file)) {
    const found = fs.existsSync(`${file}.map`);
    built.set(file, found ? { map: new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'))), lines: fs.readFileSync(file, 'utf8').split('\n') } : undefined);
  }
  const js = built.get(file);
  const at = column ?? Math.max(0, js?.lines[line - 1]?.search(/\S/) ?? 0);
  const entry = js?.map.findEntry(line - 1, at) as { originalSource?: string; originalLine?: number } | undefined;
  if (!entry?.originalSource) return `${path.relative(process.cwd(), file)}:${line}`;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
  return `${path.relative(process.cwd(), source)}:${entry.originalLine! + 1}`;
}

const entries = new Map<string, Entry>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const where = locate(url, lineNumber + 1, columnNumber);
  const key = `${name} ${where}`;
  const entry = entries.get(key) ?? { name, where, selfUs: 0, lines: new Map() };
  entry.selfUs += us;
  const ticks = node.positionTicks ?? [];
  const all = ticks.reduce((n, t) => n + t.ticks, 0);
  for (const t of ticks) {
    const line = locate(url, t.line);
    entry.lines.set(line, (entry.lines.get(line) ?? 0) + (us * t.ticks) / all);
  }
  entries.set(key, entry);
}

const top = [...entries.values()].sort((a, b) => b.selfUs - a.selfUs).slice(0, Number(values.top));
console.log(`${(totalUs / 1000).toFixed(0)} ms sampled under ${values.under}, and ${(gcUs / 1000).toFixed(0)} ms of garbage collection meanwhile`);
console.log(`${'self ms'.padStart(8)} ${'%'.padStart(5)}  function`);
for (const e of top) {
  console.log(`${(e.selfUs / 1000).toFixed(0).padStart(8)} ${((100 * e.selfUs) / totalUs).toFixed(1).padStart(5)}  ${e.name}  ${e.where}`);
  const hottest = [...e.lines].sort((a, b) => b[1] - a[1]).slice(0, 3);
  if (hottest.length > 1) console.log(`${''.padStart(16)}hottest lines: ${hottest.map(([l, us]) => `${l} (${(us / 1000).toFixed(0)} ms)`).join(', ')}`);
}
