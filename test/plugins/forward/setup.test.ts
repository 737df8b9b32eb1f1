// The `forward` stanza: Corefile snippets and the options they give (CoreDNS's defaults where they
// say nothing), or the exact start-up error, naming file and line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { RCODE } from '../../../src/dns/types.js';
import { ConfigError } from '../../../src/errors.js';
import { parseOptions, type ForwardOptions } from '../../../plugins/forward/options.js';
import { stanza } from './harness.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forward-setup-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'resolv.conf'), 'search svc.cluster.local\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver 2001:db8::53\n');
fs.writeFileSync(path.join(dir, 'empty.conf'), 'search example.com\n');
fs.writeFileSync(path.join(dir, 'sixteen.conf'), Array.from({ length: 16 }, (_, i) => `nameserver 10.0.1.${i}\n`).join(''));

const DEFAULTS: Omit<ForwardOptions, 'zones' | 'upstreams'> = {
  except: [],
  forceTcp: false,
  preferUdp: false,
  expireMs: 10_000,
  health: { maxFails: 2, intervalMs: 500, recursionDesired: true, domain: '' },
  policy: 'random',
  maxConcurrent: undefined,
  next: new Set(),
};

function parse(text: string) {
  const { directive, ctx, log } = stanza(text, '.', dir);
  const o = parseOptions(directive, ctx);
  return { options: { ...o, upstreams: o.upstreams.map((u) => u.label) }, warnings: log.lines };
}

type Parsed = Omit<ForwardOptions, 'upstreams'> & { upstreams: string[] };

const valid: { stanza: string; want: Partial<Parsed>; warnings?: string[] }[] = [
  { stanza: 'forward . 10.0.0.1', want: { zones: [''], upstreams: ['10.0.0.1:53'] } },
  { stanza: 'forward Consul.Local. 10.150.0.1:8600', want: { zones: ['consul.local'], upstreams: ['10.150.0.1:8600'] } },
  {
    stanza: 'forward . dns://10.0.0.1 10.0.0.2:1053 [2001:db8::1]:5353 2001:db8::2',
    want: { upstreams: ['10.0.0.1:53', '10.0.0.2:1053', '[2001:db8::1]:5353', '[2001:db8::2]:53'] },
  },
  { stanza: 'forward 10.0.0.0/15 10.0.0.1', want: { zones: ['0.10.in-addr.arpa', '1.10.in-addr.arpa'] } },
  {
    stanza: 'forward . resolv.conf',
    want: { upstreams: ['10.0.0.2:53', '[2001:db8::53]:53'] },
    warnings: [`[WARNING] forward: ${dir}/resolv.conf:3: scoped IPv6 nameserver fe80::1%eth0 ignored (a link-local upstream cannot be reached from here)`],
  },
  {
    stanza: `forward . ${dir}/resolv.conf 10.0.0.9`,
    want: { upstreams: ['10.0.0.2:53', '[2001:db8::53]:53', '10.0.0.9:53'] },
    warnings: [`[WARNING] forward: ${dir}/resolv.conf:3: scoped IPv6 nameserver fe80::1%eth0 ignored (a link-local upstream cannot be reached from here)`],
  },
  { stanza: 'forward . 10.0.0.1 {\n except Example.org internal.local.\n except other.test\n}', want: { except: ['example.org', 'internal.local', 'other.test'] } },
  { stanza: 'forward . 10.0.0.1 {\n force_tcp\n prefer_udp\n}', want: { forceTcp: true, preferUdp: true } },
  { stanza: 'forward . 10.0.0.1 {\n max_fails 0\n}', want: { health: { ...DEFAULTS.health, maxFails: 0 } } },
  { stanza: 'forward . 10.0.0.1 {\n expire 1m30s\n}', want: { expireMs: 90_000 } },
  { stanza: 'forward . 10.0.0.1 {\n health_check 5s\n}', want: { health: { ...DEFAULTS.health, intervalMs: 5000 } } },
  {
    stanza: 'forward . 10.0.0.1 {\n health_check 250ms no_rec domain Example.ORG.\n}',
    want: { health: { maxFails: 2, intervalMs: 250, recursionDesired: false, domain: 'example.org' } },
  },
  { stanza: 'forward . 10.0.0.1 {\n health_check 1s domain . no_rec\n}', want: { health: { maxFails: 2, intervalMs: 1000, recursionDesired: false, domain: '' } } },
  { stanza: 'forward . 10.0.0.1 {\n policy round_robin\n}', want: { policy: 'round_robin' } },
  { stanza: 'forward . 10.0.0.1 {\n policy sequential\n}', want: { policy: 'sequential' } },
  { stanza: 'forward . 10.0.0.1 {\n max_concurrent 1000\n}', want: { maxConcurrent: 1000 } },
  { stanza: 'forward . 10.0.0.1 {\n next NXDOMAIN servfail\n}', want: { next: new Set([RCODE.NXDOMAIN, RCODE.SERVFAIL]) } },
];

for (const c of valid) {
  test(`options: ${c.stanza.replaceAll('\n', ' ')}`, () => {
    const { options, warnings } = parse(c.stanza);
    assert.deepEqual(options, { ...DEFAULTS, zones: [''], upstreams: ['10.0.0.1:53'], ...c.want });
    assert.deepEqual(warnings, c.warnings ?? []);
  });
}

// Line numbers count the `. {` line as 1, so the stanza's first line is 2.
const invalid: { stanza: string; error: string }[] = [
  { stanza: 'forward', error: '2: forward needs FROM and at least one TO' },
  { stanza: 'forward .', error: '2: forward needs FROM and at least one TO' },
  { stanza: 'forward 10.0.0.0/33 10.0.0.1', error: "2: forward: '10.0.0.0/33' is not a CIDR block" },
  { stanza: 'forward . tls://9.9.9.9', error: '2: forward: tls:// upstreams are not supported; use IP[:port], dns://IP[:port] or a resolv.conf-style file' },
  { stanza: 'forward . https://9.9.9.9', error: '2: forward: https:// upstreams are not supported; use IP[:port], dns://IP[:port] or a resolv.conf-style file' },
  { stanza: 'forward . dns://resolver.example', error: "2: forward: 'dns://resolver.example' is not an IP address" },
  { stanza: 'forward . 10.0.0.1:0', error: "2: forward: '10.0.0.1:0' has an invalid port (1-65535)" },
  { stanza: 'forward . resolver.example', error: "2: forward: 'resolver.example' is neither an IP address nor a readable file" },
  { stanza: 'forward . empty.conf', error: `2: forward: no usable nameserver in ${dir}/empty.conf` },
  { stanza: 'forward . sixteen.conf', error: '2: forward: 16 upstreams, more than the 15 allowed' },
  { stanza: 'forward . 10.0.0.1 {\n tls\n}', error: "3: forward: 'tls' is not supported (only plain DNS upstreams: no DNS-over-TLS)" },
  { stanza: 'forward . 10.0.0.1 {\n tls_servername dns.quad9.net\n}', error: "3: forward: 'tls_servername' is not supported (only plain DNS upstreams: no DNS-over-TLS)" },
  { stanza: 'forward . 10.0.0.1 {\n failover SERVFAIL\n}', error: "3: forward: 'failover' is not supported" },
  { stanza: 'forward . 10.0.0.1 {\n bogus\n}', error: "3: forward: unknown option 'bogus'" },
  { stanza: 'forward . 10.0.0.1 {\n except\n}', error: '3: forward: except needs at least one name' },
  { stanza: 'forward . 10.0.0.1 {\n force_tcp yes\n}', error: '3: force_tcp takes no arguments' },
  { stanza: 'forward . 10.0.0.1 {\n max_fails -1\n}', error: '3: forward: max_fails needs one integer of at least 0' },
  { stanza: 'forward . 10.0.0.1 {\n max_fails\n}', error: '3: forward: max_fails needs one integer of at least 0' },
  { stanza: 'forward . 10.0.0.1 {\n max_concurrent 0\n}', error: '3: forward: max_concurrent needs one integer of at least 1' },
  { stanza: 'forward . 10.0.0.1 {\n expire 10\n}', error: '3: forward: expire needs one positive duration such as 10s or 500ms' },
  { stanza: 'forward . 10.0.0.1 {\n expire 0s\n}', error: '3: forward: expire needs one positive duration such as 10s or 500ms' },
  { stanza: 'forward . 10.0.0.1 {\n health_check\n}', error: '3: forward: health_check needs one positive duration such as 10s or 500ms' },
  { stanza: 'forward . 10.0.0.1 {\n health_check 1s domain\n}', error: "3: forward: health_check takes DURATION [no_rec] [domain NAME], not 'domain'" },
  { stanza: 'forward . 10.0.0.1 {\n health_check 1s often\n}', error: "3: forward: health_check takes DURATION [no_rec] [domain NAME], not 'often'" },
  { stanza: 'forward . 10.0.0.1 {\n policy fastest\n}', error: '3: forward: policy must be one of random, round_robin, sequential' },
  {
    stanza: 'forward . 10.0.0.1 {\n next NXDOMAIN NOPE\n}',
    error: "3: forward: unknown RCODE 'NOPE' (NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, BADVERS)",
  },
  { stanza: 'forward . 10.0.0.1 {\n next\n}', error: '3: forward: next needs at least one RCODE' },
  { stanza: 'forward . 10.0.0.1 {\n force_tcp {\n }\n}', error: '3: force_tcp takes no block' },
];

for (const c of invalid) {
  test(`error: ${c.stanza.replaceAll('\n', ' ')}`, () => {
    assert.throws(() => parse(c.stanza), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, `${dir}/Corefile:${c.error}`);
      return true;
    });
  });
}
