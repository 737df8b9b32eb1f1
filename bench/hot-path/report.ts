// What the hot-path benchmark and its CI test share besides the measurement: the check that every
// question gets the answer it should (a broken lookup must not pass for a fast one) and the table.
import { decodeMessage } from '../../src/dns/wire.js';
import { PEER, type HotPath } from './cluster.js';
import type { Sample } from './sample.js';

export interface Mismatch {
  kind: string;
  expected: string;
  got: string;
}

/** The questions whose reply differs from the expected rcode and answer count; empty when all agree. */
export async function wrongAnswers(hot: HotPath): Promise<Mismatch[]> {
  const wrong: Mismatch[] = [];
  for (const q of hot.questions) {
    const reply = await hot.handler.handle(q.wire, 'udp', PEER);
    const got = reply ? decodeMessage(reply) : undefined;
    const seen = got ? `rcode ${got.rcode}, ${got.answers.length} answers` : 'no reply';
    const expected = `rcode ${q.rcode}, ${q.answers} answers`;
    if (seen !== expected) wrong.push({ kind: q.kind, expected, got: seen });
  }
  return wrong;
}

export async function checkAnswers(hot: HotPath): Promise<void> {
  const wrong = await wrongAnswers(hot);
  if (wrong.length > 0) throw new Error(wrong.map((w) => `${w.kind}: expected ${w.expected}, got ${w.got}`).join('; '));
}

export function report(rows: readonly { kind: string; sample: Sample }[]): string[] {
  const header = `${'question'.padEnd(28)} ${'ns/query'.padStart(9)} ${'heap B/query'.padStart(13)} ${'scavenges/10k'.padStart(14)}`;
  return [
    header,
    ...rows.map(
      ({ kind, sample: s }) =>
        `${kind.padEnd(28)} ${s.ns.toFixed(0).padStart(9)} ${s.heapBytes.toFixed(0).padStart(13)} ${s.scavenges.toFixed(2).padStart(14)}`,
    ),
  ];
}
