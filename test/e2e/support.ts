// Shared pieces of the conformance tests (test/e2e/spec-*.test.ts): the fixture cluster served by
// the real server, a table runner that checks replies against cases written as zone text, and
// helpers for the cases that change the cluster while the server runs.
// Design decision: every case runs over UDP and over TCP, and SOA records are compared on every
// field but the serial (the data's modification time); their mname/rname are compared without
// letter case, their owner exactly.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { rcodeName } from '../../src/dns/classify.js';
import type { DecodedMessage, DecodedRR } from '../../src/dns/wire.js';
import { zoneText } from '../support/dns-client.js';
import { repoRoot, startServer, type TestServer } from '../support/server.js';

export const TRANSPORTS = ['udp', 'tcp'] as const;

/** The directory next to the Corefile that holds the cluster's objects. */
const OBJECTS = 'cluster';
const FIXTURES = path.join(repoRoot, 'test/e2e/fixtures');
/** The addresses the cluster servers listen on. */
export const OWN_ADDRESSES = ['127.0.0.1', '::1'] as const;

/** The negative-answer SOA of `zone` (spelled as the question spells it) for record TTL `ttl`. */
export function soa(zone: string, ttl = 5): string {
  return `${zone}. ${Math.min(ttl, 300)} IN SOA ns.dns.${zone}. hostmaster.${zone}. * 7200 1800 86400 ${ttl}`;
}

export const SOA = soa('cluster.local');

export type RcodeName = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED' | 'FORMERR' | 'NOTIMP';

/** One query and the reply the checklist row demands, records as zone text ("name. TTL IN TYPE data"). */
export interface Case {
  /** The SPEC-CHECKLIST row this case proves, e.g. '2.4'. */
  row: string;
  /** The question: "name. TYPE". */
  q: string;
  rcode: RcodeName;
  /** Compared as a set unless `ordered`. Empty when absent. */
  answer?: readonly string[];
  ordered?: boolean;
  /** Compared as a set. Empty when absent. */
  authority?: readonly string[];
  /** Compared as a set, only when given: the spec lets servers choose what else to send. */
  additional?: readonly string[];
  /** The AA flag; by default set exactly when the cluster zone answered (NOERROR or NXDOMAIN). */
  aa?: boolean;
  /** What makes this case special, for the test's title. */
  why?: string;
}

/** The fixture cluster's YAML files, keyed by their path next to the Corefile. */
export function fixtureFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'))) {
    files[`${OBJECTS}/${name}`] = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  }
  return files;
}

/**
 * Serves the fixture cluster with kubeadm's Corefile shape: one `.` block whose kubernetes stanza
 * holds the cluster zone and both reverse zones, plus `options` (`pods verified`, `ttl 30`, …).
 * It binds the loopback addresses, which makes them the server's own (`ns.dns.<zone>`, row 9.3).
 */
export async function startCluster(options: readonly string[] = []): Promise<TestServer> {
  const stanza = [`objects ${OBJECTS}`, ...options].map((line) => `    ${line}\n`).join('');
  const corefile = `. {\n  bind ${OWN_ADDRESSES.join(' ')}\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n${stanza}  }\n}\n`;
  const server = await startServer(corefile, fixtureFiles());
  // A fixture object the server rejects would silently turn positive cases into NXDOMAIN ones.
  const objects = path.join(server.dir, OBJECTS);
  const complaints = server.logs.filter((line) => !line.startsWith('[INFO]') && line.includes(objects));
  if (complaints.length > 0) {
    await server.stop();
    assert.fail(`the fixture cluster did not load cleanly:\n${complaints.join('\n')}`);
  }
  return server;
}

/** Starts a cluster server before the tests of the enclosing suite (or file) and stops it after them. */
export function clusterServer(options: readonly string[] = []): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startCluster(options);
  });
  after(() => server?.stop());
  return () => {
    assert.ok(server, 'the cluster server has started');
    return server;
  };
}

/** Splits "name. TYPE" into the name as the client sends it (no trailing dot) and the type. */
export function question(q: string): { name: string; type: string } {
  const [name, type, ...rest] = q.trim().split(/\s+/);
  assert.ok(name && type && rest.length === 0, `"${q}" is not "name. TYPE"`);
  return { name: name.replace(/\.$/, ''), type };
}

/** A record as zone text with the SOA serial masked and SOA names lower-cased; see the module comment. */
export function recordText(rr: DecodedRR): string {
  return comparable(zoneText(rr));
}

function comparable(text: string): string {
  const f = text.split(' ');
  if (f[3] !== 'SOA') return text;
  return [f[0], f[1], f[2], f[3], f[4]!.toLowerCase(), f[5]!.toLowerCase(), '*', ...f.slice(7)].join(' ');
}

const sorted = (texts: readonly string[]): string[] => [...texts].sort();

/** Asserts every part of `m` that case `c` fixes; `via` names the transport in messages. */
export function expectAnswer(m: DecodedMessage, c: Case, via: string): void {
  const { name, type } = question(c.q);
  const at = `${c.q} over ${via}`;
  assert.deepEqual(m.questions, [{ name, type, class: 1 }], `${at}: the question is echoed as asked`);
  assert.equal(rcodeName(m.rcode), c.rcode, `${at}: rcode`);
  assert.equal(m.aa, c.aa ?? (c.rcode === 'NOERROR' || c.rcode === 'NXDOMAIN'), `${at}: AA`);
  assert.equal(m.tc, false, `${at}: TC`);
  const answer = m.answers.map(recordText);
  const expected = (c.answer ?? []).map(comparable);
  if (c.ordered) assert.deepEqual(answer, expected, `${at}: answer section, in order`);
  else assert.deepEqual(sorted(answer), sorted(expected), `${at}: answer section`);
  assert.deepEqual(sorted(m.authority.map(recordText)), sorted((c.authority ?? []).map(comparable)), `${at}: authority section`);
  if (c.additional) {
    assert.deepEqual(sorted(m.additional.map(recordText)), sorted(c.additional.map(comparable)), `${at}: additional section`);
  }
}

/** Asks the case's question over UDP and over TCP and checks both replies. */
export async function checkCase(server: TestServer, c: Case): Promise<void> {
  const { name, type } = question(c.q);
  for (const transport of TRANSPORTS) expectAnswer(await server.query(name, type, { transport }), c, transport);
}

/** Registers one test per case. */
export function runCases(server: () => TestServer, cases: readonly Case[]): void {
  for (const c of cases) test(title(c), () => checkCase(server(), c));
}

function title(c: Case): string {
  const answer = c.answer ?? [];
  let outcome: string = c.rcode;
  if (c.rcode === 'NOERROR' && answer.length === 0) outcome = 'NODATA';
  else if (answer.length > 0 && answer.length <= 2) outcome = answer.map((rr) => rr.split(' ').slice(3).join(' ')).join(', ');
  else if (answer.length > 2) outcome = `${answer.length} records`;
  return `${c.row} ${c.q} → ${outcome}${c.why ? ` (${c.why})` : ''}`;
}

/** A Kubernetes object as read from YAML, for tests that edit the cluster. */
export interface YamlObject {
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Rewrites one of the served object files through `edit`, as `kubectl apply` would change the cluster. */
export function editObjects(server: TestServer, file: string, edit: (objects: YamlObject[]) => YamlObject[]): void {
  const where = path.join(server.dir, OBJECTS, file);
  const objects = parseAllDocuments(fs.readFileSync(where, 'utf8')).map((doc) => doc.toJS() as YamlObject);
  const text = edit(objects).map((o) => stringify(o)).join('---\n');
  // Written aside and renamed, so the server never reads half a file.
  const aside = path.join(path.dirname(where), `.${file}.tmp`);
  fs.writeFileSync(aside, text);
  fs.renameSync(aside, where);
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
