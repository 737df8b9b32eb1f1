// The nameservers of a resolv.conf-style file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResolvConf } from '../../src/upstream/resolv-conf.js';

const cases: { why: string; text: string; nameservers: string[]; warnings?: string[] }[] = [
  { why: 'one nameserver', text: 'nameserver 10.0.0.2\n', nameservers: ['10.0.0.2:53'] },
  {
    why: 'nameservers in file order among search and options lines',
    text: 'search default.svc.cluster.local svc.cluster.local\nnameserver 10.0.0.2\noptions ndots:5\nnameserver 2001:DB8::53\n',
    nameservers: ['10.0.0.2:53', '[2001:db8::53]:53'],
  },
  { why: 'comments with # and ;, blanks and tabs', text: '# a comment\n; another\n\n\tnameserver\t10.0.0.3   # trailing\n', nameservers: ['10.0.0.3:53'] },
  { why: 'CRLF line ends', text: 'nameserver 10.0.0.4\r\nnameserver 10.0.0.5\r\n', nameservers: ['10.0.0.4:53', '10.0.0.5:53'] },
  {
    why: 'a scoped IPv6 address, dropped with a warning',
    text: 'nameserver fe80::1%eth0\nnameserver 10.0.0.6\n',
    nameservers: ['10.0.0.6:53'],
    warnings: ['/r:1: scoped IPv6 nameserver fe80::1%eth0 ignored (a link-local upstream cannot be reached from here)'],
  },
  {
    why: 'a name instead of an address, and an empty nameserver line',
    text: 'nameserver dns.example.com\nnameserver\n',
    nameservers: [],
    warnings: ["/r:1: nameserver 'dns.example.com' is not an IP address, ignored", '/r:2: nameserver line without an address, ignored'],
  },
  { why: 'no nameserver at all', text: 'search example.com\n', nameservers: [] },
  { why: 'a commented-out nameserver', text: '#nameserver 10.0.0.9\n', nameservers: [] },
];

for (const c of cases) {
  test(c.why, () => {
    const conf = parseResolvConf(c.text, '/r');
    assert.deepEqual(conf.nameservers.map((n) => n.label), c.nameservers);
    assert.deepEqual(conf.warnings, c.warnings ?? []);
  });
}
