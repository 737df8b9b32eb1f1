// Whether an upstream is this server's own listener: the start-up half of loop detection.
import assert from 'node:assert/strict';
import type os from 'node:os';
import { test } from 'node:test';
import { isOwnListener, type Listener } from '../../../plugins/loop/own-address.js';

const INTERFACES: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [
    { address: '10.244.1.7', netmask: '255.255.255.0', family: 'IPv4', mac: '02:42:0a:f4:01:07', internal: false, cidr: '10.244.1.7/24' },
    { address: 'fd00::7', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:42:0a:f4:01:07', internal: false, cidr: 'fd00::7/64', scopeid: 0 },
  ],
};

const cases: { why: string; upstream: string; listen: string[]; port: number; own: boolean }[] = [
  { why: 'systemd-resolved’s stub address, listening everywhere on 53', upstream: '127.0.0.53:53', listen: [], port: 53, own: true },
  { why: 'any 127/8 address, listening everywhere', upstream: '127.1.2.3:53', listen: [], port: 53, own: true },
  { why: '::1, listening everywhere', upstream: '::1:53', listen: [], port: 53, own: true },
  { why: 'the pod’s own address, listening everywhere', upstream: '10.244.1.7:53', listen: [], port: 53, own: true },
  { why: 'the pod’s own IPv6 address, listening everywhere', upstream: 'fd00::7:53', listen: [], port: 53, own: true },
  { why: 'the unspecified address', upstream: '0.0.0.0:53', listen: [], port: 53, own: true },
  { why: 'listening on 0.0.0.0 explicitly', upstream: '127.0.0.53:53', listen: ['0.0.0.0'], port: 53, own: true },
  { why: 'another host', upstream: '10.96.0.10:53', listen: [], port: 53, own: false },
  { why: 'our address on another port', upstream: '127.0.0.53:53', listen: [], port: 1053, own: false },
  { why: 'a bound address', upstream: '127.0.0.1:1053', listen: ['127.0.0.1'], port: 1053, own: true },
  { why: 'a bound IPv6 address written in full', upstream: '::1:1053', listen: ['0:0:0:0:0:0:0:1'], port: 1053, own: true },
  { why: 'a loopback address we are not bound to', upstream: '127.0.0.53:1053', listen: ['127.0.0.1'], port: 1053, own: false },
  { why: 'a scoped bound address', upstream: 'fe80::1:53', listen: ['fe80::1%eth0'], port: 53, own: true },
  { why: 'port 0 (picked at start): no Corefile address can name it', upstream: '127.0.0.1:0', listen: [], port: 0, own: false },
];

/** "address:port", the port after the last colon. */
function split(text: string): { address: string; port: number } {
  const at = text.lastIndexOf(':');
  return { address: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

for (const c of cases) {
  test(`${c.why}: ${c.own ? 'ours' : 'not ours'}`, () => {
    const self: Listener = { listen: c.listen, port: c.port };
    assert.equal(isOwnListener(split(c.upstream), self, INTERFACES), c.own);
  });
}
