import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressText, isIPv4, toAddress } from '../../src/index/address.js';

test('IPv4 becomes its 32-bit number, IPv6 its canonical text; both read back as canonical text', () => {
  const cases: { ip: string; address: number | string; text: string }[] = [
    { ip: '10.0.0.1', address: 0x0a000001, text: '10.0.0.1' },
    { ip: '0.0.0.0', address: 0, text: '0.0.0.0' },
    { ip: '100.64.0.10', address: 0x6440000a, text: '100.64.0.10' },
    { ip: '255.255.255.255', address: 0xffffffff, text: '255.255.255.255' },
    { ip: '192.168.10.200', address: 0xc0a80ac8, text: '192.168.10.200' },
    { ip: '5678:ABCD:0::1', address: '5678:abcd::1', text: '5678:abcd::1' },
    { ip: '::FFFF:10.0.0.1', address: '::ffff:10.0.0.1', text: '::ffff:10.0.0.1' },
  ];
  for (const c of cases) {
    const address = toAddress(c.ip);
    assert.equal(address, c.address, c.ip);
    assert.equal(addressText(address!), c.text, c.ip);
    assert.equal(isIPv4(address!), typeof c.address === 'number', c.ip);
  }
});

test('anything that is not an address is undefined', () => {
  for (const text of ['', 'None', '10.0.0', '10.0.0.1.', '.10.0.0.1', '10..0.1', '10.0.0.256', '010.0.0.1', '10.0.0.1a', '1e1.0.0.1', 'fe80::1%eth0', 'db.example.com', '1::2::3']) {
    assert.equal(toAddress(text), undefined, text);
  }
});
