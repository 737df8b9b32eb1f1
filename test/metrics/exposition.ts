// Reading the Prometheus text exposition back in tests: one sample by name and exact label set, so
// an assertion names the series it means and a missing or extra label fails it.
import assert from 'node:assert/strict';

export type Labels = Record<string, string>;

export interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of the exposition, comments left out. */
export function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels: Labels = {};
    for (const [, name, value] of (m[2] ?? '').matchAll(LABEL)) labels[name!] = value!.replace(/\\(.)/g, '$1');
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

const sameLabels = (a: Labels, b: Labels) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);

/** The value of the one sample `name{labels}` (exactly these labels), failing when there is none. */
export function sample(text: string, name: string, labels: Labels = {}): number {
  const found = samples(text).filter((s) => s.name === name && sameLabels(s.labels, labels));
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
}

/** The samples named `name`, for assertions on a whole series family. */
export function family(text: string, name: string): Sample[] {
  return samples(text).filter((s) => s.name === name);
}
