// The DNS benchmark's cluster in its three forms agrees: for a sample of names, clusterdns serving the
// objects (file source), knotd serving the zone files and unbound serving the local-data give the
// same answers, and those are the records cluster.ts wrote. The peers' configurations are checked by
// starting the peers themselves (and unbound-checkconf); missing binaries skip with a reason.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startProcess, type ServerProcess } from '../../bench/common/process.js';
import { freePort } from '../../bench/common/proc.js';
import { clusterRecords, DNS_SHAPE, type Rr } from '../../bench/dns/cluster.js';
import { knotConfig, knotZones, unboundClusterConfig } from '../../bench/dns/peers.js';
import { question } from '../../bench/dns/queries.js';
import { clusterLists, scaledShape } from '../../bench/scale/generate.js';
import { query } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';
import type { DecodedMessage, DecodedRR } from '../../src/dns/wire.js';

const KNOTD = '/usr/sbin/knotd';
const UNBOUND = '/usr/sbin/unbound';
const UNBOUND_CHECKCONF = '/usr/sbin/unbound-checkconf';
/** 300 services in 3 namespaces: 30 headless with 3 endpoints each. */
const shape = scaledShape(300, DNS_SHAPE);
const records = [...clusterRecords(shape)];

/** Records by "name TYPE", as the servers should answer them. */
function rrsets(rrs: readonly Rr[]): Map<string, string[]> {
  const sets = new Map<string, string[]>();
  for (const rr of rrs) sets.set(`${rr.name} ${rr.type}`, [...(sets.get(`${rr.name} ${rr.type}`) ?? []), rr.data]);
  return sets;
}
const expected = rrsets(records);

/** An answer's RDATA in the zone-file form cluster.ts writes, sorted. */
function rdata(reply: DecodedMessage, type: string): string[] {
  const text = (rr: DecodedRR) => {
    if (rr.type === 'SRV') {
      const srv = rr.data as { priority: number; weight: number; port: number; target: string };
      return `${srv.priority} ${srv.weight} ${srv.port} ${srv.target.replace(/\.?$/, '.')}`;
    }
    return rr.type === 'PTR' ? String(rr.data).replace(/\.?$/, '.') : String(rr.data);
  };
  return reply.answers.filter((rr) => rr.type === type).map(text).sort();
}

/** Every 7th rrset, so each kind of name (service, endpoint, SRV, PTR of both) is in the sample. */
const sample = [...expected.keys()].filter((_, i) => i % 7 === 0);
const negatives = [0, 1, 2].flatMap((i) => [question(shape, 'NXDOMAIN', i), question(shape, 'AAAA', i)]);

let dir: string;
let clusterdns: TestServer;
const peers: { name: string; port: number; process: ServerProcess }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clusterdns-bench-dns-test-'));
  const objects = Object.fromEntries(Object.entries(clusterLists(shape)).map(([file, text]) => [`cluster/${file}`, text]));
  clusterdns = await startServer('. {\n  kubernetes cluster.local in-addr.arpa {\n    objects cluster\n  }\n}\n', objects);
});

after(async () => {
  for (const p of peers) await p.process.stop();
  await clusterdns?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the sample covers every kind of record', () => {
  const types = new Set(sample.map((k) => k.split(' ')[1]));
  assert.deepEqual([...types].sort(), ['A', 'PTR', 'SRV']);
  assert.ok(sample.some((k) => k.startsWith('_http._tcp.') && expected.get(k)!.length === 3), 'a headless SRV');
  assert.ok(records.some((rr) => rr.type === 'PTR' && expected.get(`${rr.name} PTR`)!.length > 1), 'an address with two names');
});

test('clusterdns answers the generated records', async () => {
  for (const key of sample) {
    const [name, type] = key.split(' ') as [string, string];
    const reply = await clusterdns.query(name, type);
    assert.equal(reply.rcode, 0, `${key}: NOERROR`);
    assert.deepEqual(rdata(reply, type), [...expected.get(key)!].sort(), key);
  }
});

async function agreesWithClusterdns(port: number): Promise<void> {
  for (const q of [...sample, ...negatives]) {
    const [name, type] = q.split(' ') as [string, string];
    const [ours, theirs] = await Promise.all([clusterdns.query(name, type), query(port, name, type)]);
    assert.equal(theirs.rcode, ours.rcode, q);
    assert.deepEqual(rdata(theirs, type), rdata(ours, type), q);
  }
}

async function startPeer(name: string, command: string, args: string[], port: number): Promise<number> {
  const ready = async () => {
    try {
      return (await query(port, records[0]!.name, records[0]!.type, { timeoutMs: 200 })).answers.length > 0;
    } catch {
      return false;
    }
  };
  peers.push({ name, port, process: await startProcess(name, command, args, ready, 10_000) });
  return port;
}

test('knotd loads the zone files and answers as clusterdns does', { skip: existsSync(KNOTD) ? undefined : `${KNOTD} is not installed (apt-get install knot)` }, async () => {
  const port = await freePort();
  for (const [zone, text] of knotZones(records)) writeFileSync(join(dir, `${zone}.zone`), text);
  writeFileSync(join(dir, 'knot.conf'), knotConfig(dir, port));
  await agreesWithClusterdns(await startPeer('knotd', KNOTD, ['-c', join(dir, 'knot.conf')], port));
});

test('unbound accepts the local-data and answers as clusterdns does', { skip: existsSync(UNBOUND) ? undefined : `${UNBOUND} is not installed (apt-get install unbound)` }, async () => {
  const port = await freePort();
  const conf = join(dir, 'unbound.conf');
  writeFileSync(conf, unboundClusterConfig(dir, port, records));
  if (existsSync(UNBOUND_CHECKCONF)) execFileSync(UNBOUND_CHECKCONF, [conf], { stdio: 'pipe' });
  await agreesWithClusterdns(await startPeer('unbound', UNBOUND, ['-d', '-c', conf], port));
});
