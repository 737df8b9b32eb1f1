// Label values as CoreDNS spells them: dashboards written for CoreDNS select on these strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QTYPE } from '../../src/dns/types.js';
import { familyLabel, serverLabel, typeLabel, zoneLabel } from '../../src/metrics/labels.js';

test('server: dns:// and the listen address, empty for every address, IPv6 bracketed', () => {
  assert.equal(serverLabel('', 53), 'dns://:53');
  assert.equal(serverLabel('127.0.0.1', 1053), 'dns://127.0.0.1:1053');
  assert.equal(serverLabel('::1', 53), 'dns://[::1]:53');
});

test('zone: with its trailing dot, the root as "."', () => {
  assert.equal(zoneLabel('cluster.local'), 'cluster.local.');
  assert.equal(zoneLabel(''), '.');
});

test('family: 1 for an IPv4 client, 2 for an IPv6 one', () => {
  assert.equal(familyLabel('10.244.1.5'), '1');
  assert.equal(familyLabel('fd00::5'), '2');
});

test('type: the monitored types by name, every other type as "other"', () => {
  const cases: [number, string][] = [
    [QTYPE.A, 'A'], [QTYPE.AAAA, 'AAAA'], [QTYPE.SRV, 'SRV'], [QTYPE.PTR, 'PTR'], [QTYPE.HTTPS, 'HTTPS'], [QTYPE.AXFR, 'AXFR'], [QTYPE.ANY, 'ANY'],
    [48, 'DNSKEY'], [43, 'DS'], [46, 'RRSIG'], [47, 'NSEC'], [50, 'NSEC3'],
    [QTYPE.SVCB, 'other'], [QTYPE.CAA, 'other'], [QTYPE.HINFO, 'other'], [35, 'other'], [65280, 'other'],
  ];
  for (const [qtype, label] of cases) assert.equal(typeLabel(qtype), label, `type ${qtype}`);
});
