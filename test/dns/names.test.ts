import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dashedToIP,
  ipFamily,
  ipToDashed,
  isReverseName,
  isSubdomain,
  joinName,
  longestZone,
  lowerName,
  normalizeIP,
  reverseToIP,
  reverseZonesOfCidr,
  zoneAsAsked,
} from '../../src/dns/names.js';

test('lowerName folds ASCII only, keeping the length', () => {
  const cases: [string, string][] = [
    ['SvC1.TeStNs.SvC.cLuStEr.LoCaL', 'svc1.testns.svc.cluster.local'],
    ['already.lower', 'already.lower'],
    ['ÄB.İ', 'Äb.İ'],
    ['', ''],
  ];
  for (const [input, want] of cases) {
    assert.equal(lowerName(input), want, input);
    assert.equal(lowerName(input).length, input.length, input);
  }
});

test('isSubdomain', () => {
  const cases: [string, string, boolean][] = [
    ['svc1.testns.svc.cluster.local', 'cluster.local', true],
    ['cluster.local', 'cluster.local', true],
    ['xcluster.local', 'cluster.local', false],
    ['local', 'cluster.local', false],
    ['anything', '', true],
    ['', '', true],
    ['1.0.10.in-addr.arpa', '10.in-addr.arpa', true],
    ['1.0.110.in-addr.arpa', '10.in-addr.arpa', false],
  ];
  for (const [name, zone, want] of cases) assert.equal(isSubdomain(name, zone), want, `${name} in ${zone}`);
});

test('longestZone', () => {
  const zones = ['cluster.local', 'local', 'in-addr.arpa', '0.10.in-addr.arpa'];
  const cases: [string, string | undefined][] = [
    ['svc1.testns.svc.cluster.local', 'cluster.local'],
    ['cluster.local', 'cluster.local'],
    ['other.local', 'local'],
    ['1.0.0.10.in-addr.arpa', '0.10.in-addr.arpa'],
    ['1.1.1.10.in-addr.arpa', 'in-addr.arpa'],
    ['example.com', undefined],
  ];
  for (const [name, want] of cases) assert.equal(longestZone(zones, name), want, name);
  assert.equal(longestZone(['', 'com'], 'example.com'), 'com');
  assert.equal(longestZone([''], 'example.com'), '');
});

test('joinName and zoneAsAsked', () => {
  assert.equal(joinName('svc1.testns.svc', 'cLuStEr.LoCaL'), 'svc1.testns.svc.cLuStEr.LoCaL');
  assert.equal(joinName('', 'cluster.local'), 'cluster.local');
  assert.equal(joinName('ns.dns', ''), 'ns.dns');
  assert.equal(zoneAsAsked('SvC1.TeStNs.SvC.cLuStEr.LoCaL', 'cluster.local'), 'cLuStEr.LoCaL');
  assert.equal(zoneAsAsked('Anything', ''), '');
});

test('ipFamily and normalizeIP', () => {
  const cases: [string, 0 | 4 | 6, string | undefined][] = [
    ['10.0.0.1', 4, '10.0.0.1'],
    ['5678:ABCD:0:0:0:0:0:1', 6, '5678:abcd::1'],
    ['fd00:0077:0030::000a', 6, 'fd00:77:30::a'],
    ['1:0:0:1:0:0:0:1', 6, '1:0:0:1::1'],
    ['::ffff:1.2.3.4', 6, '::ffff:1.2.3.4'],
    ['fe80::1%eth0', 0, undefined],
    ['010.0.0.1', 0, undefined],
    ['None', 0, undefined],
    ['', 0, undefined],
  ];
  for (const [ip, family, canonical] of cases) {
    assert.equal(ipFamily(ip), family, ip);
    assert.equal(normalizeIP(ip), canonical, ip);
  }
});

test('reverse names to addresses', () => {
  const cases: [string, string][] = [
    ['10.96.0.1', '1.0.96.10.in-addr.arpa'],
    ['fd00:77:30::a', 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa'],
    ['1234:abcd::1', '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa'],
    ['::ffff:1.2.3.4', '4.0.3.0.2.0.1.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa'],
  ];
  for (const [ip, name] of cases) {
    assert.equal(reverseToIP(name), ip, name);
  }
});

test('reverseToIP refuses incomplete and malformed names', () => {
  const bad = [
    '0.96.10.in-addr.arpa',
    '1.1.0.96.10.in-addr.arpa',
    '256.0.96.10.in-addr.arpa',
    '01.0.96.10.in-addr.arpa',
    'a.0.96.10.in-addr.arpa',
    '1.0.0.0.d.f.ip6.arpa',
    `${'0.'.repeat(31)}g.ip6.arpa`,
    `${'0.'.repeat(31)}00.ip6.arpa`,
    'svc1.testns.svc.cluster.local',
  ];
  for (const name of bad) assert.equal(reverseToIP(name), undefined, name);
});

test('isReverseName', () => {
  assert.equal(isReverseName('1.0.96.10.in-addr.arpa'), true);
  assert.equal(isReverseName('ip6.arpa'), true);
  assert.equal(isReverseName('in-addr.arpa.cluster.local'), false);
});

test('reverseZonesOfCidr', () => {
  const cases: [string, string[] | undefined][] = [
    ['10.0.0.0/8', ['10.in-addr.arpa']],
    ['10.0.0.0/24', ['0.0.10.in-addr.arpa']],
    ['10.0.0.0/17', Array.from({ length: 128 }, (_, i) => `${i}.0.10.in-addr.arpa`)],
    ['10.0.128.0/17', Array.from({ length: 128 }, (_, i) => `${128 + i}.0.10.in-addr.arpa`)],
    ['10.0.0.0/15', ['0.10.in-addr.arpa', '1.10.in-addr.arpa']],
    ['0.0.0.0/0', ['in-addr.arpa']],
    ['fd00::/8', ['d.f.ip6.arpa']],
    ['fd00::/7', ['c.f.ip6.arpa', 'd.f.ip6.arpa']],
    ['cluster.local', undefined],
    ['10.0.0.0/33', undefined],
    ['10.0.0.0/x', undefined],
  ];
  for (const [cidr, want] of cases) assert.deepEqual(reverseZonesOfCidr(cidr), want, cidr);
});

test('dashed labels both ways (CoreDNS rules)', () => {
  const cases: [string, string][] = [
    ['172.0.0.2', '172-0-0-2'],
    ['5678:abcd::1', '5678-abcd--1'],
    ['fd00:10:244::5', 'fd00-10-244--5'],
    ['::1', '0--1'],
    ['fd00::', 'fd00--0'],
    ['::', '0--0'],
    ['::ffff:1.2.3.4', '0-0-0-0-0-ffff-102-304'],
  ];
  for (const [ip, label] of cases) assert.equal(ipToDashed(ip), label, ip);
  const parsed: [string, string | undefined][] = [
    ['172-0-0-2', '172.0.0.2'],
    ['5678-abcd--1', '5678:abcd::1'],
    ['fd00-10-244--5', 'fd00:10:244::5'],
    ['0--1', '::1'],
    ['fd00--0', 'fd00::'],
    ['0-0-0-0-0-ffff-102-304', '::ffff:1.2.3.4'],
    ['1-2-3--4', '1:2:3::4'],
    ['1-2-3-4-5', undefined],
    ['blah', undefined],
    ['1-2-3-256', undefined],
    ['10-240-0', undefined],
  ];
  for (const [label, ip] of parsed) assert.equal(dashedToIP(label), ip, label);
});

test('reverse zones of the all-zero networks (a setup crash on `::/0` once)', () => {
  assert.deepEqual(reverseZonesOfCidr('::/0'), ['ip6.arpa']);
  assert.deepEqual(reverseZonesOfCidr('0.0.0.0/0'), ['in-addr.arpa']);
  assert.deepEqual(reverseZonesOfCidr('::ffff:10.0.0.0/120'), ['0.0.0.0.a.0.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa']);
});
