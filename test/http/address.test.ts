// HTTP listen addresses in Go's host:port syntax, as `health`, `ready` and `prometheus` take them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressArgument, formatHttpAddress, parseHttpAddress } from '../../src/http/address.js';
import { parseCorefile } from '../../src/config/parse.js';

const valid: [string, string, number][] = [
  [':8080', '', 8080],
  ['localhost:8091', 'localhost', 8091],
  ['127.0.0.1:0', '127.0.0.1', 0],
  ['[::1]:9153', '::1', 9153],
  ['[::]:8181', '::', 8181],
  ['LocalHost:1', 'localhost', 1],
];
for (const [text, host, port] of valid) {
  test(`'${text}' is host '${host}' port ${port}`, () => assert.deepEqual(parseHttpAddress(text), { host, port }));
}

for (const text of ['8080', 'bla', 'bla:a', ':65536', '::1:8080', '[::1]', 'host:80:80', '', ':']) {
  test(`'${text}' is not an address`, () => assert.equal(parseHttpAddress(text), undefined));
}

test('written back with brackets around IPv6 and the port given', () => {
  assert.equal(formatHttpAddress({ host: '::1', port: 0 }, 4321), '[::1]:4321');
  assert.equal(formatHttpAddress({ host: '', port: 8080 }), ':8080');
  assert.equal(formatHttpAddress({ host: '127.0.0.1', port: 8181 }), '127.0.0.1:8181');
});

function directive(line: string) {
  return parseCorefile(`. {\n  ${line}\n}\n`, 'Corefile').blocks[0]!.directives[0]!;
}

test('the ADDRESS argument: the fallback without one, checked with one, at most one', () => {
  assert.equal(addressArgument(directive('health'), ':8080'), ':8080');
  assert.equal(addressArgument(directive('health [::1]:1234'), ':8080'), '[::1]:1234');
  assert.throws(() => addressArgument(directive('health bla'), ':8080'), { message: "Corefile:2: health: 'bla' is not an address (HOST:PORT, :PORT or [IPv6]:PORT)" });
  assert.throws(() => addressArgument(directive('ready :1 :2'), ':8181'), { message: 'Corefile:2: ready: wrong argument count: at most one ADDRESS' });
});
