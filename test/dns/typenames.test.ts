import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QTYPE } from '../../src/dns/types.js';
import { typeCode, typeName } from '../../src/dns/wire.js';

test('every type the model names has that mnemonic, both ways', () => {
  for (const [name, code] of Object.entries(QTYPE)) {
    assert.equal(typeName(code), name);
    assert.equal(typeCode(name), code);
  }
});

const names: [number, string][] = [
  [64, 'SVCB'],
  [65, 'HTTPS'],
  [99, 'SPF'],
  [250, 'TSIG'],
  [23, 'NSAP-PTR'],
  [32769, 'DLV'],
  [0, 'TYPE0'],
  [54, 'TYPE54'],
  [65535, 'TYPE65535'],
];

for (const [code, name] of names) {
  test(`typeName(${code}) is ${name} and typeCode reads it back`, () => {
    assert.equal(typeName(code), name);
    assert.equal(typeCode(name), code);
  });
}

const codes: [string, number | undefined][] = [
  ['https', 65],
  ['Srv', 33],
  ['type123', 123],
  ['TYPE1', 1],
  ['TYPE00028', 28],
  ['TYPE65536', undefined],
  ['TYPE123456', undefined],
  ['TYPE', undefined],
  ['TYPE-1', undefined],
  ['UNKNOWN_65', undefined],
  ['', undefined],
  ['BOGUS', undefined],
];

for (const [name, code] of codes) {
  test(`typeCode("${name}") is ${code}`, () => {
    assert.equal(typeCode(name), code);
  });
}
