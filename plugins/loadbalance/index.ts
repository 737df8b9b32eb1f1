// loadbalance: gives the addresses of an answer in a random order on every reply, so clients
// that take the first address spread over all of them (CoreDNS's round_robin policy).
// Design decision: records keep their places and only addresses of the same owner and type trade
// places, in record arrays and relayed messages alike; so CNAMEs stay before their targets and a
// relayed message's compression pointers stay valid.
import { permutation, shuffleAddresses } from '../../src/dns/shuffle.js';
import { QTYPE, RCODE, type Reply, type RR } from '../../src/dns/types.js';
import type { Plugin, Setup } from '../../src/plugin.js';

export const setup: Setup = (directive) => {
  const [policy, ...rest] = directive.args;
  if (policy === 'weighted') throw directive.error("loadbalance: the 'weighted' policy is not supported (only round_robin)");
  if (policy !== undefined && policy !== 'round_robin') throw directive.error(`loadbalance: unknown policy '${policy}' (only round_robin)`);
  if (rest.length > 0) throw directive.error('loadbalance takes at most one argument, the policy');
  directive.expectNoBlock();
  return loadbalancePlugin();
};

/** The plugin; `random` (in [0, 1)) is what tests fix. */
export function loadbalancePlugin(random: () => number = Math.random): Plugin {
  const shuffle = (reply: Reply) => shuffleReply(reply, random);
  return {
    name: 'loadbalance',
    serve(query, next) {
      const reply = next(query);
      // Zone transfers keep their order (the SOA opens and closes them), as in CoreDNS.
      if (query.qtype === QTYPE.AXFR || query.qtype === QTYPE.IXFR) return reply;
      return reply instanceof Promise ? reply.then(shuffle) : shuffle(reply);
    },
  };
}

/** `reply` with its answer's addresses shuffled (a new reply), or `reply` itself when there is nothing to shuffle. */
export function shuffleReply(reply: Reply, random: () => number): Reply {
  if (reply.rcode !== RCODE.NOERROR) return reply;
  if (reply.relayed) {
    let message: Buffer;
    try {
      message = shuffleAddresses(reply.relayed.message, random);
    } catch {
      // A message we cannot walk is the encoder's to judge; its order is not ours to fix.
      return reply;
    }
    return message === reply.relayed.message ? reply : { ...reply, relayed: { ...reply.relayed, message } };
  }
  const answers = shuffleRecords(reply.answers, random);
  return answers === reply.answers ? reply : { ...reply, answers };
}

/** The A and AAAA records of each owner in random order among their own places; `records` itself when no owner has two. */
export function shuffleRecords(records: RR[], random: () => number): RR[] {
  if (records.length < 2) return records;
  const places = new Map<string, number[]>();
  records.forEach((rr, i) => {
    if (rr.type !== 'A' && rr.type !== 'AAAA') return;
    const set = `${rr.type} ${rr.name.toLowerCase()}`;
    const list = places.get(set);
    if (list) list.push(i);
    else places.set(set, [i]);
  });
  let out = records;
  for (const at of places.values()) {
    if (at.length < 2) continue;
    if (out === records) out = [...records];
    const order = permutation(at.length, random);
    for (let i = 0; i < at.length; i++) out[at[i]!] = records[at[order[i]!]!]!;
  }
  return out;
}
