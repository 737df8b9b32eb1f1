// Upstream addresses as a Corefile writes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEndpoint } from '../../src/upstream/endpoint.js';

const cases: { text: string; expected: { address: string; port: number; label: string } | undefined | string }[] = [
  { text: '10.0.0.1', expected: { address: '10.0.0.1', port: 53, label: '10.0.0.1:53' } },
  { text: '10.0.0.1:1053', expected: { address: '10.0.0.1', port: 1053, label: '10.0.0.1:1053' } },
  { text: 'dns://10.0.0.1', expected: { address: '10.0.0.1', port: 53, label: '10.0.0.1:53' } },
  { text: 'dns://10.0.0.1:5300', expected: { address: '10.0.0.1', port: 5300, label: '10.0.0.1:5300' } },
  { text: '2001:DB8::1', expected: { address: '2001:db8::1', port: 53, label: '[2001:db8::1]:53' } },
  { text: '[2001:db8::1]:5353', expected: { address: '2001:db8::1', port: 5353, label: '[2001:db8::1]:5353' } },
  { text: '[::1]', expected: { address: '::1', port: 53, label: '[::1]:53' } },
  { text: 'dns://[::1]:54', expected: { address: '::1', port: 54, label: '[::1]:54' } },
  { text: '/etc/resolv.conf', expected: undefined },
  { text: 'resolv.conf', expected: undefined },
  { text: 'dns.example.com:53', expected: undefined },
  { text: '[10.0.0.1]:53', expected: undefined },
  { text: '10.0.0.1:0', expected: "'10.0.0.1:0' has an invalid port (1-65535)" },
  { text: '10.0.0.1:65536', expected: "'10.0.0.1:65536' has an invalid port (1-65535)" },
  { text: '10.0.0.1:x', expected: "'10.0.0.1:x' has an invalid port (1-65535)" },
  { text: '[::1]:', expected: "'[::1]:' has an invalid port (1-65535)" },
];

for (const c of cases) {
  const outcome = typeof c.expected === 'string' ? 'error' : (c.expected?.label ?? 'not an address (maybe a file)');
  test(`${c.text} → ${outcome}`, () => {
    if (typeof c.expected === 'string') assert.throws(() => parseEndpoint(c.text), { message: c.expected });
    else assert.deepEqual(parseEndpoint(c.text), c.expected);
  });
}
