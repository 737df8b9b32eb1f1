// The peers' configurations: knotd (one worker per kind) serving the cluster as zone files, and
// unbound (one thread) serving it as local-data, both from the records of cluster.ts; and the
// unbound upstream of clusterdns's forward path, which answers every name below its zones itself.
// Design decision: the configurations are text built here and written by the caller, so tests can
// check them with the servers' own tools without starting a benchmark.
import { REVERSE_ZONE, TTL, ZONE, type Rr } from './cluster.js';
import { unboundServerLines } from '../../test/support/unbound.js';

/** The upstream's zones: every name below them answers A (TTL 3600 for the hit set, 0 for the miss set). */
export const EXTERNAL_HIT_ZONE = 'hit.example.test';
export const EXTERNAL_MISS_ZONE = 'miss.example.test';
export const EXTERNAL_ADDRESS = '192.0.2.1';

const NAMESERVER = `ns.dns.${ZONE}`;
/** The address given to the zones' NS name (knot insists on NS at the apex; it is never asked). */
const NAMESERVER_ADDRESS = '10.96.0.10';

function soa(zone: string): string {
  return `${zone}. ${TTL} IN SOA ${NAMESERVER}. hostmaster.${ZONE}. 1 7200 1800 86400 ${TTL}`;
}

function zoneLine(rr: Rr): string {
  return `${rr.name}. ${TTL} IN ${rr.type} ${rr.data}`;
}

function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The zone files knotd serves, by zone name. */
export function knotZones(records: Iterable<Rr>): Map<string, string> {
  const zones = new Map<string, string[]>([ZONE, REVERSE_ZONE].map((z) => [z, [soa(z), `${z}. ${TTL} IN NS ${NAMESERVER}.`]]));
  zones.get(ZONE)!.push(`${NAMESERVER}. ${TTL} IN A ${NAMESERVER_ADDRESS}`);
  for (const rr of records) zones.get(inZone(rr.name, ZONE) ? ZONE : REVERSE_ZONE)!.push(zoneLine(rr));
  return new Map([...zones].map(([zone, lines]) => [zone, `${lines.join('\n')}\n`]));
}

/** knotd's configuration: zone files `<zone>.zone` in `dir`, one UDP and one TCP worker. */
export function knotConfig(dir: string, port: number): string {
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${port}`,
    '    udp-workers: 1',
    '    tcp-workers: 1',
    '    background-workers: 1',
    'control:',
    `    listen: "${dir}/knot.sock"`,
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: "${dir}"`,
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    journal-content: none',
    'zone:',
    ...[ZONE, REVERSE_ZONE].flatMap((zone) => [`  - domain: ${zone}`, `    file: "${zone}.zone"`]),
    '',
  ].join('\n');
}

function unboundServer(dir: string, port: number): string[] {
  return [
    ...unboundServerLines('127.0.0.1', port, dir),
    // The default of 10 TCP connections makes unbound refuse most of a 16-connection TCP run.
    '  incoming-num-tcp: 1024',
    '  access-control: 127.0.0.0/8 allow',
    '  module-config: "iterator"',
    // No root hints are reachable: a static root keeps every other question on loopback.
    '  local-zone: "." static',
  ];
}

/** unbound serving the cluster's records as local-data. */
export function unboundClusterConfig(dir: string, port: number, records: Iterable<Rr>): string {
  const lines = unboundServer(dir, port);
  for (const zone of [ZONE, REVERSE_ZONE]) lines.push(`  local-zone: "${zone}." static`, `  local-data: "${soa(zone)}"`);
  for (const rr of records) lines.push(`  local-data: "${zoneLine(rr)}"`);
  lines.push('remote-control:', '  control-enable: no', '');
  return lines.join('\n');
}

/** unbound as the upstream of the forward path: any name below the external zones has an A. */
export function unboundUpstreamConfig(dir: string, port: number): string {
  const lines = unboundServer(dir, port);
  for (const [zone, ttl] of [[EXTERNAL_HIT_ZONE, 3600], [EXTERNAL_MISS_ZONE, 0]] as const) {
    lines.push(`  local-zone: "${zone}." redirect`, `  local-data: "${zone}. ${ttl} IN A ${EXTERNAL_ADDRESS}"`);
  }
  lines.push('remote-control:', '  control-enable: no', '');
  return lines.join('\n');
}
