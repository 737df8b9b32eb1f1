// The kubernetes plugin's view for operators (health's /debug/index). For a name: the records the
// plugin answers it with, found by asking its own answer path one question per type, so the view
// cannot disagree with DNS. Without a name: counts of what the index holds.
// Design decision: names outside the index are never looked up elsewhere: the next plugin, which
// an ExternalName's target or `fallthrough` would reach, is replaced by one that answers nothing.
import { rcodeName } from '../../src/dns/classify.js';
import { longestZone, lowerName } from '../../src/dns/names.js';
import { reply } from '../../src/dns/reply.js';
import { CLASS, QTYPE, RCODE, type Reply } from '../../src/dns/types.js';
import { zoneText } from '../../src/dns/zone-text.js';
import type { Next, Query } from '../../src/plugin.js';
import { answer, type KubernetesData } from './answer.js';

const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'] as const;

/** What the plugin answers for one name, every type asked. */
export interface NameView {
  /** The plugin's zone the name is in; null when it is in none (then nothing else is given). */
  zone: string | null;
  /** NOERROR when some type answered; else what the A question got (NXDOMAIN, or SERVFAIL before the sync). */
  rcode?: string;
  /** The answer records of every type, each once, as zone text. */
  records?: string[];
  /** The additional records (SRV targets' addresses), as zone text. */
  additional?: string[];
}

export function inspect(k: KubernetesData, name: string | undefined): object | Promise<NameView> {
  return name === undefined ? summary(k) : view(k, name.replace(/\.$/, ''));
}

function summary(k: KubernetesData): object {
  const { podAddresses, ...census } = k.store.index.census();
  return {
    zones: k.options.zones,
    synced: k.store.synced,
    generation: k.store.index.generation,
    ...census,
    ...(k.options.pods === 'verified' ? { podAddresses } : {}),
  };
}

async function view(k: KubernetesData, name: string): Promise<NameView> {
  const zone = longestZone(k.options.zones, lowerName(name));
  if (zone === undefined) return { zone: null };
  const replies: Reply[] = [];
  for (const type of TYPES) replies.push(await answer(k, question(name, type, k.options.zones), nothing));
  const found = replies.some((r) => r.rcode === RCODE.NOERROR);
  return {
    zone,
    rcode: rcodeName(found ? RCODE.NOERROR : replies[0]!.rcode),
    records: [...new Set(replies.flatMap((r) => r.answers.map(zoneText)))],
    additional: [...new Set(replies.flatMap((r) => r.additional.map(zoneText)))],
  };
}

/** The next plugin as the view sees it: nothing there (NXDOMAIN, so `fallthrough` reads as absent). */
const nothing: Next = () => reply(RCODE.NXDOMAIN);

function question(name: string, type: (typeof TYPES)[number], zones: readonly string[]): Query {
  const qtype = QTYPE[type];
  return {
    request: { id: 0, opcode: 0, rd: false, cd: false, name, qtype, qclass: CLASS.IN, edns: undefined, questionWire: Buffer.alloc(0) },
    name,
    lname: lowerName(name),
    type,
    qtype,
    transport: 'tcp',
    client: { address: '', port: 0 },
    size: 0,
    server: { zones, port: 0 },
  };
}
