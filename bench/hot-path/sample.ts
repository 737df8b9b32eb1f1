// Times a handler on one pre-encoded message and counts the heap it allocates per message.
// Design decision: allocation is measured with V8's GC profiler, which reports the heap before and
// after every collection, so bytes allocated = growth of the used heap over the run + everything
// each collection freed. That counts every short-lived object even though scavenges run in the
// middle of the loop, which a plain before/after of `heapUsed` cannot.
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { Handler } from '../../src/server/handle.js';
import { PEER } from './cluster.js';

export interface Sample {
  /** Wall time per message. */
  ns: number;
  /** V8 heap allocated per message: objects, closures, strings, Buffer views (not their pooled contents). */
  heapBytes: number;
  /** Young-generation collections per 10,000 messages. */
  scavenges: number;
}

/** Asks `count` times after `count / 10` unmeasured asks; every answer must come synchronously. */
export function sample(handler: Handler, wire: Buffer, count: number): Sample {
  const warm = Math.ceil(count / 10);
  for (let i = 0; i < warm; i++) ask(handler, wire);
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) ask(handler, wire);
  const elapsed = Number(process.hrtime.bigint() - started);
  const after = getHeapStatistics();
  const { statistics } = profiler.stop();
  let heap = after.used_heap_size - before.used_heap_size;
  let scavenges = 0;
  for (const gc of statistics) {
    heap += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
    if (gc.gcType === 'Scavenge') scavenges++;
  }
  return { ns: elapsed / count, heapBytes: heap / count, scavenges: (scavenges * 10_000) / count };
}

function ask(handler: Handler, wire: Buffer): void {
  const reply = handler.handle(wire, 'udp', PEER);
  if (!(reply instanceof Buffer)) throw new Error('the handler did not answer synchronously');
}
