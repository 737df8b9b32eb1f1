import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import type { Corefile, Directive, ServerKey } from '../../src/config/corefile.js';
import { loadCorefile, parseCorefile } from '../../src/config/parse.js';
import type { Env } from '../../src/config/lexer.js';
import { KUBEADM_COREFILE } from '../support/kubeadm.js';

interface Shape {
  name: string;
  args: string[];
  block: Shape[] | undefined;
  file: string;
  line: number;
}

function shape(d: Directive): Shape {
  return { name: d.name, args: [...d.args], block: d.block?.map(shape), file: d.file, line: d.line };
}

/** Expected directive of the file "Corefile". */
function dir(line: number, name: string, args: string[] = [], block?: Shape[]): Shape {
  return { name, args, block, file: 'Corefile', line };
}

function blocks(corefile: Corefile) {
  return corefile.blocks.map((b) => ({ keys: b.keys, line: b.line, file: b.file, directives: b.directives.map(shape) }));
}

const key = (zone: string, port?: number): ServerKey => ({ zone, port });

function throwsConfigError(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

const structures: {
  name: string;
  text: string;
  env?: Env;
  blocks: { keys: ServerKey[]; line: number; directives: Shape[] }[];
}[] = [
  { name: 'one server block', text: '.:53 {\n  whoami\n}',
    blocks: [{ keys: [key('', 53)], line: 1, directives: [dir(2, 'whoami')] }] },
  { name: 'a block may be empty', text: 'example.org {\n}', blocks: [{ keys: [key('example.org')], line: 1, directives: [] }] },
  { name: 'keys separated by spaces and commas', text: 'example.org example.net:53,10.0.0.0/8 , b.example {\n}',
    blocks: [{ keys: [key('example.org'), key('example.net', 53), key('10.in-addr.arpa'), key('b.example')], line: 1, directives: [] }] },
  { name: 'a trailing comma continues the keys on the next line', text: '# zones\nexample.org,\n  example.net, \n  example.com:1053 {\n  log\n}',
    blocks: [{ keys: [key('example.org'), key('example.net'), key('example.com', 1053)], line: 2, directives: [dir(5, 'log')] }] },
  { name: 'several server blocks', text: 'cluster.local:1053 {\n  kubernetes\n}\n\n.:1053 {\n  forward . /etc/resolv.conf\n}\n',
    blocks: [
      { keys: [key('cluster.local', 1053)], line: 1, directives: [dir(2, 'kubernetes')] },
      { keys: [key('', 1053)], line: 5, directives: [dir(6, 'forward', ['.', '/etc/resolv.conf'])] },
    ] },
  { name: 'a nested block', text: '. {\n  log {\n    class denial error\n  }\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(2, 'log', [], [dir(3, 'class', ['denial', 'error'])])] }] },
  { name: 'a nested block on one line', text: '. {\n  forward . 1.1.1.1 { policy sequential }\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(2, 'forward', ['.', '1.1.1.1'], [dir(2, 'policy', ['sequential'])])] }] },
  { name: 'a whole server block on one line', text: '. { log { class all } }',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(1, 'log', [], [dir(1, 'class', ['all'])])] }] },
  { name: 'an empty nested block is a block, not no block', text: '. {\n  health {\n  }\n  ready\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(2, 'health', [], []), dir(4, 'ready')] }] },
  { name: 'blocks nest to any depth', text: '. {\n  a 1 {\n    b 2 {\n      c 3 {\n        d 4\n      }\n    }\n    e\n  }\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [
      dir(2, 'a', ['1'], [dir(3, 'b', ['2'], [dir(4, 'c', ['3'], [dir(5, 'd', ['4'])])]), dir(8, 'e')]),
    ] }] },
  { name: 'comments and quoted arguments', text: '. { # root\n  # hosts\n  hosts "/etc/my hosts" # file\n  template "a # b" "say \\"hi\\""\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(3, 'hosts', ['/etc/my hosts']), dir(4, 'template', ['a # b', 'say "hi"'])] }] },
  { name: 'a quoted argument spanning lines', text: '. {\n  template "line one\nline two"\n  log\n}',
    blocks: [{ keys: [key('')], line: 1, directives: [dir(2, 'template', ['line one\nline two']), dir(4, 'log')] }] },
  { name: 'environment variables in keys and arguments', text: '{$ZONE}:{%PORT%} {\n  forward . {$UPSTREAM} {$SPARE}\n}',
    env: { ZONE: 'Cluster.Local', PORT: '1053', UPSTREAM: '10.0.0.10' },
    blocks: [{ keys: [key('cluster.local', 1053)], line: 1, directives: [dir(2, 'forward', ['.', '10.0.0.10'])] }] },
];

for (const c of structures) {
  test(c.name, () => {
    const expected = c.blocks.map((b) => ({ ...b, file: 'Corefile' }));
    assert.deepEqual(blocks(parseCorefile(c.text, 'Corefile', c.env ?? {})), expected);
  });
}

const keys: { text: string; key: ServerKey }[] = [
  { text: '.', key: key('') },
  { text: '.:53', key: key('', 53) },
  { text: 'dns://.:53', key: key('', 53) },
  { text: 'DNS://Example.ORG.:1053', key: key('example.org', 1053) },
  { text: 'cluster.local:1053', key: key('cluster.local', 1053) },
  { text: '_tcp.example-1.org', key: key('_tcp.example-1.org') },
  { text: 'example.org:65535', key: key('example.org', 65535) },
  { text: '10.0.0.0/8', key: key('10.in-addr.arpa') },
  { text: '192.168.0.0/16:1053', key: key('168.192.in-addr.arpa', 1053) },
  { text: '10.1.2.0/24', key: key('2.1.10.in-addr.arpa') },
  { text: '10.1.2.3/32', key: key('3.2.1.10.in-addr.arpa') },
  { text: '0.0.0.0/0', key: key('in-addr.arpa') },
  { text: 'dns://172.16.0.0/16:53', key: key('16.172.in-addr.arpa', 53) },
  { text: 'fd00::/8', key: key('d.f.ip6.arpa') },
  { text: '2001:DB8::/32:53', key: key('8.b.d.0.1.0.0.2.ip6.arpa', 53) },
  { text: '2001:db8:0:1::/64', key: key('1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa') },
  { text: '::ffff:10.0.0.0/104', key: key(`a.0.f.f.f.f.${'0.'.repeat(20)}ip6.arpa`) },
  { text: '::/0', key: key('ip6.arpa') },
];

for (const c of keys) {
  test(`key ${c.text}`, () => {
    assert.deepEqual(parseCorefile(`${c.text} {\n}`, 'Corefile', {}).blocks[0]!.keys, [c.key]);
  });
}

const broken: { name: string; text: string; env?: Env; error: string }[] = [
  { name: 'an empty file', text: '', error: 'Corefile:1: no server blocks' },
  { name: 'a file of comments', text: '# nothing\n\n# here\n', error: 'Corefile:1: no server blocks' },
  { name: 'a block without braces', text: '.:53\nwhoami\n',
    error: "Corefile:1: expected '{' after the server block keys (a trailing ',' continues them on the next line)" },
  { name: 'a trailing comma at the end of the file', text: '. {\n}\nexample.org,\n', error: "Corefile:3: expected '{' after the server block keys" },
  { name: 'a directive after the last block', text: '.:53 {\n}\nwhoami\n', error: 'Corefile:3: whoami: directive outside a server block' },
  { name: 'a directive between blocks', text: '.:53 {\n}\nlog stdout\nexample.org {\n}',
    error: 'Corefile:3: log: directive outside a server block' },
  { name: 'keys that are only commas', text: ', {\n}', error: 'Corefile:1: server block has no keys' },
  { name: 'an empty quoted key', text: '"" {\n}', error: 'Corefile:1: server block has no keys' },
  { name: 'port 0', text: '.:0 {\n}', error: 'Corefile:1: invalid key ".:0": the port must be a number from 1 to 65535' },
  { name: 'port 65536', text: 'a.b:65536 {\n}', error: 'Corefile:1: invalid key "a.b:65536": the port must be a number from 1 to 65535' },
  { name: 'a port that is not a number', text: 'example.org:dns {\n}',
    error: 'Corefile:1: invalid key "example.org:dns": the port must be a number from 1 to 65535' },
  { name: 'a colon with no port', text: 'example.org: {\n}', error: 'Corefile:1: invalid key "example.org:": the port must be a number from 1 to 65535' },
  { name: 'no zone', text: ':53 {\n}', error: 'Corefile:1: invalid key ":53": no zone (the root zone is ".")' },
  { name: 'an empty label', text: 'example..org {\n}', error: 'Corefile:1: invalid key "example..org": the zone has an empty label' },
  { name: 'a leading dot', text: '.example.org {\n}', error: 'Corefile:1: invalid key ".example.org": the zone has an empty label' },
  { name: 'a label of 64 characters', text: `${'a'.repeat(64)}.org {\n}`,
    error: `Corefile:1: invalid key "${'a'.repeat(64)}.org": label ${'a'.repeat(64)} is longer than 63 characters` },
  { name: 'a zone longer than 253 characters', text: `${'abcdefgh.'.repeat(28)}org {\n}`,
    error: `Corefile:1: invalid key "${'abcdefgh.'.repeat(28)}org": the zone is longer than 253 characters` },
  { name: 'a character that is not allowed', text: 'exa$mple.org {\n}',
    error: "Corefile:1: invalid key \"exa$mple.org\": label exa$mple may hold only letters, digits, '-' and '_'" },
  { name: 'a snippet name among keys', text: '(common) example.org {\n}',
    error: "Corefile:1: invalid key \"(common)\": label (common) may hold only letters, digits, '-' and '_'" },
  ...['tls://.:853', 'https://.:443', 'grpc://.:443', 'quic://.:853'].map((k) => ({
    name: `the transport of ${k}`, text: `.:53 {\n}\n${k} {\n}`,
    error: `Corefile:3: invalid key "${k}": transport ${k.split(':')[0]}:// is not supported, only dns://`,
  })),
  { name: 'an IPv4 network off an octet boundary', text: '10.0.0.0/12 {\n}',
    error: 'Corefile:1: invalid key "10.0.0.0/12": an IPv4 reverse zone needs a prefix length that is a multiple of 8' },
  { name: 'an IPv6 network off a nibble boundary', text: 'fd00::/10 {\n}',
    error: 'Corefile:1: invalid key "fd00::/10": an IPv6 reverse zone needs a prefix length that is a multiple of 4' },
  { name: 'an IPv4 prefix longer than 32', text: '10.0.0.0/40 {\n}', error: 'Corefile:1: invalid key "10.0.0.0/40": the prefix length must be 0 to 32' },
  { name: 'an IPv6 prefix longer than 128', text: 'fd00::/132 {\n}', error: 'Corefile:1: invalid key "fd00::/132": the prefix length must be 0 to 128' },
  { name: 'a prefix that is not a number', text: '10.0.0.0/x {\n}', error: 'Corefile:1: invalid key "10.0.0.0/x": the prefix length must be 0 to 32' },
  { name: 'a network that is not an address', text: '10.0.0/8 {\n}', error: 'Corefile:1: invalid key "10.0.0/8": 10.0.0 is not an IP address' },
  { name: 'an IPv6 address with a scope', text: 'fe80::%eth0/64 {\n}', error: 'Corefile:1: invalid key "fe80::%eth0/64": fe80::%eth0 is not an IP address' },
  { name: 'the same zone and port twice', text: 'example.org:53 {\n}\n\nexample.org:53 {\n}',
    error: 'Corefile:4: server key example.org:53 is already defined at Corefile:1' },
  { name: 'the same zone twice, spelt differently, in one block', text: 'Example.ORG. dns://example.org {\n}',
    error: 'Corefile:1: server key example.org is already defined at Corefile:1' },
  { name: 'the same reverse zone twice', text: '10.0.0.0/8:53 {\n}\n10.in-addr.arpa:53 {\n}',
    error: 'Corefile:3: server key 10.in-addr.arpa:53 is already defined at Corefile:1' },
  { name: 'the root zone twice', text: '. {\n}\nexample.org,\n  dns://. {\n}', error: 'Corefile:4: server key . is already defined at Corefile:1' },
];

for (const c of broken) {
  test(`refused: ${c.name}`, () => throwsConfigError(() => parseCorefile(c.text, 'Corefile', c.env ?? {}), c.error));
}

test('the same zone on different ports is two servers', () => {
  const corefile = parseCorefile('example.org:53 {\n}\nexample.org:1053 {\n}', 'Corefile', {});
  assert.deepEqual(corefile.blocks.map((b) => b.keys), [[key('example.org', 53)], [key('example.org', 1053)]]);
});

test('the kubeadm Corefile', () => {
  const text = KUBEADM_COREFILE;
  const corefile = parseCorefile(text, 'Corefile', {});
  assert.equal(corefile.file, 'Corefile');
  assert.deepEqual(blocks(corefile), [{ keys: [key('', 53)], line: 1, file: 'Corefile', directives: [
    dir(2, 'errors'),
    dir(3, 'health', [], [dir(4, 'lameduck', ['5s'])]),
    dir(6, 'ready'),
    dir(7, 'kubernetes', ['cluster.local', 'in-addr.arpa', 'ip6.arpa'], [
      dir(8, 'pods', ['insecure']),
      dir(9, 'fallthrough', ['in-addr.arpa', 'ip6.arpa']),
      dir(10, 'ttl', ['30']),
    ]),
    dir(12, 'prometheus', [':9153']),
    dir(13, 'forward', ['.', '/etc/resolv.conf'], [dir(14, 'max_concurrent', ['1000'])]),
    dir(16, 'cache', ['30'], [dir(17, 'disable', ['success', 'cluster.local']), dir(18, 'disable', ['denial', 'cluster.local'])]),
    dir(20, 'loop'),
    dir(21, 'reload'),
    dir(22, 'loadbalance'),
  ] }]);
});

test('the environment defaults to process.env', () => {
  process.env.CLUSTERDNS_PARSE_TEST_ZONE = 'example.org';
  try {
    assert.deepEqual(parseCorefile('{$CLUSTERDNS_PARSE_TEST_ZONE} {\n}', 'Corefile').blocks[0]!.keys, [key('example.org')]);
  } finally {
    delete process.env.CLUSTERDNS_PARSE_TEST_ZONE;
  }
});

function firstDirective(text: string): Directive {
  return parseCorefile(`. {\n${text}\n}`, 'Corefile', {}).blocks[0]!.directives[0]!;
}

test('a directive makes errors that name its file and line', () => {
  const err = firstDirective('  whoami\n  log').error('something is wrong');
  assert.ok(err instanceof ConfigError);
  assert.equal(err.message, 'Corefile:2: something is wrong');
  assert.equal(err.file, 'Corefile');
  assert.equal(err.line, 2);
});

const expectations: { text: string; check: 'expectNoArgs' | 'expectNoBlock'; error?: string }[] = [
  { text: 'whoami', check: 'expectNoArgs' },
  { text: 'whoami {\n}', check: 'expectNoArgs' },
  { text: 'whoami now', check: 'expectNoArgs', error: 'Corefile:2: whoami takes no arguments' },
  { text: 'whoami ""', check: 'expectNoArgs', error: 'Corefile:2: whoami takes no arguments' },
  { text: 'whoami now', check: 'expectNoBlock' },
  { text: 'whoami {\n}', check: 'expectNoBlock', error: 'Corefile:2: whoami takes no block' },
  { text: 'whoami {\n  a\n}', check: 'expectNoBlock', error: 'Corefile:2: whoami takes no block' },
];

for (const c of expectations) {
  test(`${c.check} on ${JSON.stringify(c.text)} ${c.error ? 'throws' : 'passes'}`, () => {
    const d = firstDirective(c.text);
    if (c.error) throwsConfigError(() => d[c.check](), c.error);
    else assert.doesNotThrow(() => d[c.check]());
  });
}

const dir0 = mkdtempSync(join(tmpdir(), 'clusterdns-parse-'));
after(() => rmSync(dir0, { recursive: true, force: true }));

test('loadCorefile reads and parses the file, naming it in errors', () => {
  const path = join(dir0, 'Corefile');
  writeFileSync(path, '. {\n  log\n}\n');
  const corefile = loadCorefile(path, {});
  assert.equal(corefile.file, path);
  assert.deepEqual(corefile.blocks[0]!.directives.map(shape), [{ ...dir(2, 'log'), file: path }]);
  writeFileSync(path, '. {\n  log\n');
  throwsConfigError(() => loadCorefile(path, {}), `${path}:1: '{' has no matching '}'`);
});

test('loadCorefile refuses a file it cannot read', () => {
  const missing = join(dir0, 'missing');
  throwsConfigError(() => loadCorefile(missing, {}), `cannot read ${missing}: no such file`);
  const directory = join(dir0, 'a-directory');
  mkdirSync(directory);
  throwsConfigError(() => loadCorefile(directory, {}), `cannot read ${directory}: is a directory`);
  assert.throws(() => loadCorefile(missing, {}), (err: unknown) => err instanceof ConfigError && err.file === missing);
});
