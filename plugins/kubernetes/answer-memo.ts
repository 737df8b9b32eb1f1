// The plugin's own answers by question, for one index generation: a repeated question (the common
// case: a cluster's pods keep asking for the same services) gets the Reply made the first time,
// marked reusable so the server sends it from its kept wire bytes (src/dns/reusable.ts) instead
// of deriving records and encoding them again. Keyed by the name exactly as asked (the answers'
// owner names, and so the bytes, carry its letter case) and the type. Design decision: the whole
// memo is dropped when the generation moves (any update to the index), as the cache plugin drops
// its entries, and when it reaches MAX_QUESTIONS, so it never serves a stale answer and never
// grows without bound; a dropped question costs one ordinary answer. The bound holds the working
// set of the benchmark's mix (52,000 questions over 10,000 services) at ~0.6 KB a question
// (heap and kept bytes; negative answers share their SOA).
import { reusable } from '../../src/dns/wire.js';
import type { Reply, RR } from '../../src/dns/types.js';
import type { Query } from '../../src/plugin.js';

const MAX_QUESTIONS = 65_536;

export class AnswerMemo {
  private generation = -1;
  private size = 0;
  /** Question type → name as asked → reply. */
  private readonly byType = new Map<number, Map<string, Reply>>();
  /** The SOA of each zone spelling, shared by the negative answers of the generation. */
  private readonly soas = new Map<string, RR>();

  /** The reply kept for `q` under `generation`; forgets everything kept under another one. */
  get(q: Query, generation: number): Reply | undefined {
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
      return undefined;
    }
    return this.byType.get(q.qtype)?.get(q.name);
  }

  /** Keeps `reply` as the answer to `q` under the generation of the last `get`; returns it. */
  keep(q: Query, reply: Reply): Reply {
    if (this.size >= MAX_QUESTIONS) this.clear();
    let names = this.byType.get(q.qtype);
    if (names === undefined) this.byType.set(q.qtype, (names = new Map()));
    names.set(q.name, reusable(reply));
    this.size++;
    return reply;
  }

  /** The SOA record kept for the zone spelled `zone` in this generation; `make` builds it the first time. */
  soa(zone: string, make: (zone: string) => RR): RR {
    let rr = this.soas.get(zone);
    if (rr === undefined) this.soas.set(zone, (rr = make(zone)));
    return rr;
  }

  private clear(): void {
    this.byType.clear();
    this.soas.clear();
    this.size = 0;
  }
}
