import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import type { Corefile, Directive } from '../../src/config/corefile.js';
import { loadCorefile, parseCorefile } from '../../src/config/parse.js';

const root = mkdtempSync(join(tmpdir(), 'clusterdns-imports-'));
after(() => rmSync(root, { recursive: true, force: true }));

let tree = 0;
/** Writes `files` (relative path → text) into a fresh directory and returns its path. */
function files(contents: Record<string, string>): string {
  const dir = join(root, String(tree++));
  for (const [name, text] of Object.entries(contents)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Each directive as "FILE:LINE name args…", nested ones indented, FILE relative to `dir`. */
function outline(corefile: Corefile, dir: string): string[] {
  const where = (d: { file: string; line: number }) => `${d.file.startsWith(dir) ? d.file.slice(dir.length + 1) : d.file}:${d.line}`;
  const lines: string[] = [];
  const walk = (ds: readonly Directive[], indent: string) => {
    for (const d of ds) {
      lines.push(`${indent}${where(d)} ${[d.name, ...d.args].join(' ')}`);
      if (d.block) walk(d.block, `${indent}  `);
    }
  };
  for (const b of corefile.blocks) {
    lines.push(`${where(b)} ${b.keys.map((k) => `${k.zone || '.'}${k.port === undefined ? '' : `:${k.port}`}`).join(' ')}`);
    walk(b.directives, '  ');
  }
  return lines;
}

function throwsConfigError(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.message, message);
    return true;
  });
}

const cases: { name: string; files: Record<string, string>; env?: Record<string, string>; outline: string[] }[] = [
  { name: 'a file imported inside a server block keeps its own file and lines',
    files: { Corefile: '. {\n  import common.conf\n  cache 30\n}', 'common.conf': '# shared\nerrors\nlog {\n  class all\n}' },
    outline: ['Corefile:1 .', '  common.conf:2 errors', '  common.conf:3 log', '    common.conf:4 class all', '  Corefile:3 cache 30'] },
  { name: 'a file imported at the top level adds server blocks',
    files: { Corefile: 'import zones/extra.server\n. {\n  log\n}', 'zones/extra.server': 'example.org:1053 {\n  whoami\n}' },
    outline: ['zones/extra.server:1 example.org:1053', '  zones/extra.server:2 whoami', 'Corefile:2 .', '  Corefile:3 log'] },
  { name: 'a path is relative to the file that imports it',
    files: { Corefile: '. {\n  import conf/a.conf\n}', 'conf/a.conf': 'import ../shared/b.conf', 'shared/b.conf': 'loop' },
    outline: ['Corefile:1 .', '  shared/b.conf:1 loop'] },
  { name: 'a glob imports the matching files in order',
    files: { Corefile: 'import servers/*.server\n', 'servers/b.server': 'b.example {\n}', 'servers/a.server': 'a.example {\n}',
      'servers/notes.txt': 'not a Corefile {', 'servers/dir.server/x': '' },
    outline: ['servers/a.server:1 a.example', 'servers/b.server:1 b.example'] },
  { name: 'a glob may match directories on the way',
    files: { Corefile: '. {\n  import plugins/*/conf\n}', 'plugins/x/conf': 'x', 'plugins/y/conf': 'y 1', 'plugins/z/other': 'z' },
    outline: ['Corefile:1 .', '  plugins/x/conf:1 x', '  plugins/y/conf:1 y 1'] },
  { name: 'a ? matches one character',
    files: { Corefile: '. {\n  import part?.conf\n}', 'part1.conf': 'one', 'part22.conf': 'two' },
    outline: ['Corefile:1 .', '  part1.conf:1 one'] },
  { name: 'a glob without matches imports nothing',
    files: { Corefile: '. {\n  import none/*.conf\n  import *.missing\n  log\n}' },
    outline: ['Corefile:1 .', '  Corefile:4 log'] },
  { name: 'an import on the line of an open brace',
    files: { Corefile: '. { import a.conf\n}', 'a.conf': 'log' },
    outline: ['Corefile:1 .', '  a.conf:1 log'] },
  { name: 'the import path may use environment variables',
    files: { Corefile: '. {\n  import {$CONF}/x.conf\n}', 'conf.d/x.conf': 'x {$WORD}' }, env: { CONF: 'conf.d', WORD: 'from-env' },
    outline: ['Corefile:1 .', '  conf.d/x.conf:1 x from-env'] },
  { name: 'a snippet is pasted where it is imported, with the lines it was written at',
    files: { Corefile: '(common) {\n  errors\n  log {\n    class denial\n  }\n}\na.example {\n  import common\n}\nb.example {\n  import common\n  cache\n}' },
    outline: ['Corefile:7 a.example', '  Corefile:2 errors', '  Corefile:3 log', '    Corefile:4 class denial',
      'Corefile:10 b.example', '  Corefile:2 errors', '  Corefile:3 log', '    Corefile:4 class denial', '  Corefile:12 cache'] },
  { name: 'a snippet on one line, imported on one line',
    files: { Corefile: '(x) { errors }\n. { import x }' },
    outline: ['Corefile:2 .', '  Corefile:1 errors'] },
  { name: 'a pasted snippet begins its own line, though its first word followed the brace',
    files: { Corefile: '(x) { errors\n  log }\n. {\n  cache\n  import x\n}' },
    outline: ['Corefile:3 .', '  Corefile:4 cache', '  Corefile:1 errors', '  Corefile:2 log'] },
  { name: 'a snippet may hold whole server blocks',
    files: { Corefile: '(servers) {\n  a.example {\n    whoami\n  }\n}\nimport servers' },
    outline: ['Corefile:2 a.example', '  Corefile:3 whoami'] },
  { name: 'a snippet may import another snippet',
    files: { Corefile: '(inner) {\n  log\n}\n(outer) {\n  import inner\n  errors\n}\n. {\n  import outer\n}' },
    outline: ['Corefile:8 .', '  Corefile:2 log', '  Corefile:6 errors'] },
  { name: 'snippets defined in an imported file',
    files: { Corefile: 'import snippets.conf\n. {\n  import common\n}', 'snippets.conf': '(common) {\n  errors\n}' },
    outline: ['Corefile:2 .', '  snippets.conf:2 errors'] },
  { name: 'a parenthesised name inside a server block is a directive, not a snippet',
    files: { Corefile: '. {\n  (x) {\n  }\n}' },
    outline: ['Corefile:1 .', '  Corefile:2 (x)'] },
];

for (const c of cases) {
  test(c.name, () => {
    const dir = files(c.files);
    assert.deepEqual(outline(loadCorefile(join(dir, 'Corefile'), c.env ?? {}), dir), c.outline);
  });
}

test('parseCorefile resolves imports next to the file it is told about', () => {
  const dir = files({ 'extra.conf': 'log' });
  const corefile = parseCorefile('. {\n  import extra.conf\n}', join(dir, 'Corefile'), {});
  assert.deepEqual(outline(corefile, dir), ['Corefile:1 .', '  extra.conf:1 log']);
});

test('an absolute import path', () => {
  const dir = files({ 'abs.conf': 'log' });
  const corefile = parseCorefile(`. {\n  import ${join(dir, 'abs.conf')}\n}`, 'Corefile', {});
  assert.deepEqual(outline(corefile, dir), ['Corefile:1 .', '  abs.conf:1 log']);
});

const broken: { name: string; files: Record<string, string>; error: (dir: string) => string }[] = [
  { name: 'a missing file', files: { Corefile: '. {\n  import nope.conf\n}' },
    error: (d) => `${d}/Corefile:2: import nope.conf: no snippet of that name and no file ${d}/nope.conf` },
  { name: 'a snippet imported before it is defined', files: { Corefile: '. {\n  import later\n}\n(later) {\n  log\n}' },
    error: (d) => `${d}/Corefile:2: import later: no snippet of that name and no file ${d}/later` },
  { name: 'a directory', files: { Corefile: '. {\n  import sub\n}', 'sub/x': '' },
    error: (d) => `${d}/Corefile:2: import sub: cannot read ${d}/sub: is a directory` },
  { name: 'import without an argument', files: { Corefile: '. {\n  import\n}' },
    error: (d) => `${d}/Corefile:2: import takes one argument (a snippet name or a file pattern), got 0` },
  { name: 'import with two arguments', files: { Corefile: '. {\n  import a b\n}', a: '', b: '' },
    error: (d) => `${d}/Corefile:2: import takes one argument (a snippet name or a file pattern), got 2` },
  { name: 'import with a block', files: { Corefile: '. {\n  import a {\n  }\n}', a: '' },
    error: (d) => `${d}/Corefile:2: import takes no block` },
  { name: 'an error in an imported file names that file', files: { Corefile: '. {\n  import a.conf\n}', 'a.conf': 'log\nforward . {\n' },
    error: (d) => `${d}/a.conf:2: '{' has no matching '}'` },
  { name: 'an imported file may not close the block it is imported into', files: { Corefile: '. {\n  import a.conf\n  log\n}', 'a.conf': '}' },
    error: (d) => `${d}/a.conf:1: '}' has no matching '{'` },
  { name: 'a bad key in an imported server block names that file', files: { Corefile: 'import z.server', 'z.server': '\ntls://. {\n}' },
    error: (d) => `${d}/z.server:2: invalid key "tls://.": transport tls:// is not supported, only dns://` },
  { name: 'a key imported twice', files: { Corefile: 'import z.server\nimport z.server', 'z.server': 'example.org {\n}' },
    error: (d) => `${d}/z.server:1: server key example.org is already defined at ${d}/z.server:1` },
  { name: 'a file that imports itself', files: { Corefile: '. {\n  import Corefile\n}' },
    error: (d) => `${d}/Corefile:2: import cycle: ${d}/Corefile -> ${d}/Corefile` },
  { name: 'files that import each other', files: { Corefile: '. {\n  import a.conf\n}', 'a.conf': 'import b.conf', 'b.conf': 'log\nimport a.conf' },
    error: (d) => `${d}/b.conf:2: import cycle: ${d}/Corefile -> ${d}/a.conf -> ${d}/b.conf -> ${d}/a.conf` },
  { name: 'a glob that matches the importing file', files: { Corefile: '. {\n  import conf/*\n}', 'conf/a': 'import *' },
    error: (d) => `${d}/conf/a:1: import cycle: ${d}/Corefile -> ${d}/conf/a -> ${d}/conf/a` },
  { name: 'a snippet that imports itself', files: { Corefile: '(a) {\n  import a\n}\n. {\n  import a\n}' },
    error: (d) => `${d}/Corefile:2: import cycle: ${d}/Corefile -> (a) -> (a)` },
  { name: 'snippets that import each other', files: { Corefile: '(a) {\n  import b\n}\n(b) {\n  import a\n}\n. {\n  import a\n}' },
    error: (d) => `${d}/Corefile:5: import cycle: ${d}/Corefile -> (a) -> (b) -> (a)` },
  { name: 'a snippet defined twice', files: { Corefile: '(a) {\n}\n\n(a) {\n  log\n}\n. {\n}' },
    error: (d) => `${d}/Corefile:4: snippet (a) is already defined at ${d}/Corefile:1` },
  { name: 'a file with only snippets has no server blocks', files: { Corefile: '(a) {\n  log\n}\n' },
    error: (d) => `${d}/Corefile:1: no server blocks` },
];

for (const c of broken) {
  test(`refused: ${c.name}`, () => {
    const dir = files(c.files);
    throwsConfigError(() => loadCorefile(join(dir, 'Corefile'), {}), c.error(dir));
  });
}
