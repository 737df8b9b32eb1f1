// Test harness for the kubernetes plugin: builds the plugin over a store fed by an in-memory
// source, asks it questions written as `name. TYPE`, and compares the reply with zone text.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isReverseName, lowerName } from '../../../src/dns/names.js';
import { reply } from '../../../src/dns/reply.js';
import { QTYPE, RCODE, type Reply, type RR } from '../../../src/dns/types.js';
import { zoneText } from '../../../src/dns/zone-text.js';
import type { KubeObject, ObjectSink, ObjectSource } from '../../../src/kube/objects.js';
import { KubeStore } from '../../../src/kube/store.js';
import type { Next, Plugin, Query } from '../../../src/plugin.js';
import { kubernetesPlugin } from '../../../plugins/kubernetes/index.js';
import type { KubernetesOptions } from '../../../plugins/kubernetes/options.js';
import { fixture } from './fixture.js';

export interface Case {
  /** `name. TYPE`, name as the client spells it. */
  q: string;
  rcode?: keyof typeof RCODE;
  answer?: string[];
  authority?: string[];
  additional?: string[];
  /** The query must go to the next plugin untouched (and its reply come back as is). */
  next?: true;
  /** Compare the answer section in order (CNAME before its target). */
  ordered?: true;
  truncated?: boolean;
  /** Questions (`name. TYPE`) the plugin must ask of the next plugin; none by default. */
  asked?: string[];
}

export interface Harness {
  plugin: Plugin;
  store: KubeStore;
  /** What the next plugin answers; by default a marker reply. */
  upstream: Next;
}

/** The SOA of `zone` (spelled as asked) for record TTL `ttl`; `<serial>` stands for the index's. */
export function soa(zone: string, ttl = 5): string {
  return `${zone}. ${Math.min(ttl, 300)} IN SOA ns.dns.${zone}. hostmaster.${zone}. <serial> 7200 1800 86400 ${ttl}`;
}

/** The SOA of cluster.local with the default TTL, as negative answers carry it. */
export const SOA = soa('cluster.local');

export const NEXT_REPLY: Reply = reply(RCODE.NOERROR, [{ name: 'answered.by.next', type: 'TXT', ttl: 0, data: ['next'] }]);

export function options(overrides: Partial<KubernetesOptions> = {}): KubernetesOptions {
  const zones = overrides.zones ?? ['cluster.local', '0.10.in-addr.arpa', 'in-addr.arpa', 'ip6.arpa'];
  return {
    zones,
    primaryZone: zones.find((z) => !isReverseName(z))!,
    objects: '/nonexistent',
    namespaces: new Set(),
    pods: 'disabled',
    endpointPodNames: false,
    ttl: 5,
    noEndpoints: false,
    fallthrough: undefined,
    ignoreEmptyService: false,
    ...overrides,
  };
}

/** A source that delivers `objects` once on start, as the file source does. */
export function memorySource(objects: KubeObject[]): ObjectSource & { stopped: boolean } {
  return {
    stopped: false,
    async start(sink: ObjectSink) {
      sink.replaceAll(objects);
      sink.markSynced();
    },
    async stop() {
      this.stopped = true;
    },
  };
}

/** The plugin over the fixture (or `objects`), started. */
export async function harness(
  overrides: Partial<KubernetesOptions> = {},
  objects: KubeObject[] = fixture,
  localAddresses: string[] = ['10.244.0.53'],
): Promise<Harness> {
  const o = options(overrides);
  const store = new KubeStore({ ...o, localAddresses });
  const plugin = kubernetesPlugin(o, store, memorySource(objects));
  await plugin.start!();
  return { plugin, store, upstream: () => NEXT_REPLY };
}

const TYPE_CODES: Record<string, number> = QTYPE;

export function makeQuery(text: string): Query {
  const [rawName, type] = text.trim().split(/\s+/) as [string, string];
  const name = rawName.replace(/\.$/, '');
  const qtype = TYPE_CODES[type] ?? Number(/^TYPE(\d+)$/.exec(type)?.[1]);
  return {
    request: { id: 1, opcode: 0, rd: true, cd: false, name, qtype, qclass: 1, edns: undefined, questionWire: Buffer.alloc(0) },
    name,
    lname: lowerName(name),
    type,
    qtype,
    transport: 'udp',
    client: { address: '10.244.9.9', port: 5353 },
    size: 0,
    server: { zones: [''], port: 53 },
  };
}

export { zoneText };

const RCODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(RCODE).map(([name, code]) => [code, name]));

/** Asks the plugin and checks the reply against the case. */
export async function check(h: Harness, c: Case): Promise<void> {
  const query = makeQuery(c.q);
  const calls: Query[] = [];
  const next: Next = (q) => {
    calls.push(q);
    return h.upstream(q);
  };
  const r = await h.plugin.serve(query, next);
  if (c.next) {
    assert.deepEqual(calls, [query], 'handed to the next plugin');
    assert.equal(r, NEXT_REPLY);
    return;
  }
  const serial = String(h.store.index.modified);
  const expect = (lines: string[] | undefined) => (lines ?? []).map((l) => l.trim().split(/\s+/).join(' ').replace('<serial>', serial));
  const section = (rrs: RR[], ordered: boolean) => {
    const text = rrs.map(zoneText);
    return ordered ? text : text.sort();
  };
  assert.equal(RCODE_NAMES[r.rcode], c.rcode ?? 'NOERROR', 'rcode');
  assert.equal(r.authoritative, r.rcode !== RCODE.REFUSED, 'AA');
  assert.deepEqual(section(r.answers, c.ordered === true), c.ordered ? expect(c.answer) : expect(c.answer).sort(), 'answer');
  assert.deepEqual(section(r.authority, false), expect(c.authority).sort(), 'authority');
  assert.deepEqual(section(r.additional, false), expect(c.additional).sort(), 'additional');
  assert.equal(r.truncated, c.truncated ?? false, 'TC');
  assert.deepEqual(calls.map((q) => `${q.name}. ${q.type}`), c.asked ?? [], 'questions asked of the next plugin');
}

/** One test per case, named by the case's row, against one harness. */
export function table(name: string, cases: (Case & { row: string })[], make: () => Promise<Harness>): void {
  describe(name, () => {
    let h: Harness;
    before(async () => {
      h = await make();
    });
    for (const c of cases) it(`${c.row} ${c.q}`, () => check(h, c));
  });
}
