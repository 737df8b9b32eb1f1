import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.js';
import { tokenize, type Env, type Token } from '../../src/config/lexer.js';

// Expected tokens as `LINE:TEXT`, with `^` after the line when the token begins a line, and
// `"…"` around words (so a quoted "{" is told apart from the brace `{`).
function outline(tokens: readonly Token[]): string[] {
  return tokens.map((t) => `${t.line}${t.startsLine ? '^' : ''}:${t.kind === 'word' ? JSON.stringify(t.text) : t.text}`);
}

const cases: { name: string; text: string; env?: Env; tokens: string[] }[] = [
  { name: 'words split by spaces and tabs; a newline begins a line', text: 'forward  .\t1.1.1.1\ncache 30',
    tokens: ['1^:"forward"', '1:"."', '1:"1.1.1.1"', '2^:"cache"', '2:"30"'] },
  { name: 'blank lines count', text: '\n\n  errors\n\n', tokens: ['3^:"errors"'] },
  { name: 'braces that stand alone are braces', text: 'example.org {\n  log\n}',
    tokens: ['1^:"example.org"', '1:{', '2^:"log"', '3^:}'] },
  { name: 'braces on one line', text: 'a { b c }', tokens: ['1^:"a"', '1:{', '1:"b"', '1:"c"', '1:}'] },
  { name: 'a brace inside a word is part of the word', text: 'a{ }b', tokens: ['1^:"a{"', '1:"}b"'] },
  { name: 'a quoted brace is a word', text: 'a "{" "}"', tokens: ['1^:"a"', '1:"{"', '1:"}"'] },
  { name: 'a comment runs to the end of the line', text: '# header\ncache 30 # seconds\nlog',
    tokens: ['2^:"cache"', '2:"30"', '3^:"log"'] },
  { name: 'a hash inside a word starts a comment', text: 'foo#bar baz', tokens: ['1^:"foo"'] },
  { name: 'a hash inside quotes is kept', text: 'say "#1 fan"', tokens: ['1^:"say"', '1:"#1 fan"'] },
  { name: 'quotes keep spaces', text: 'say "hello  world"', tokens: ['1^:"say"', '1:"hello  world"'] },
  { name: 'backslash-quote is an escaped quote', text: 'say "a \\"b\\""', tokens: ['1^:"say"', '1:"a \\"b\\""'] },
  { name: 'other backslashes are kept', text: 'path "C:\\dir\\n"', tokens: ['1^:"path"', '1:"C:\\\\dir\\\\n"'] },
  { name: 'an empty quoted word is kept', text: 'a ""', tokens: ['1^:"a"', '1:""'] },
  { name: 'a closing quote ends the word', text: '"a"b', tokens: ['1^:"a"', '1:"b"'] },
  { name: 'a quote inside a word is literal', text: 'a"b"', tokens: ['1^:"a\\"b\\""'] },
  { name: 'a quoted word may span lines; the lines after it still count',
    text: 'a "x\ny" b\nc', tokens: ['1^:"a"', '1:"x\\ny"', '2:"b"', '3^:"c"'] },
  { name: 'CRLF line endings', text: 'a b\r\nc\r\n', tokens: ['1^:"a"', '1:"b"', '2^:"c"'] },
  { name: '{$NAME} is replaced', text: 'forward . {$UPSTREAM}', env: { UPSTREAM: '10.0.0.1' },
    tokens: ['1^:"forward"', '1:"."', '1:"10.0.0.1"'] },
  { name: '{%NAME%} is replaced', text: 'forward . {%UPSTREAM%}', env: { UPSTREAM: '10.0.0.1' },
    tokens: ['1^:"forward"', '1:"."', '1:"10.0.0.1"'] },
  { name: 'a reference inside a word and inside quotes', text: 'x{$A}y "{$A} {%B%}"', env: { A: '1', B: '2' },
    tokens: ['1^:"x1y"', '1:"1 2"'] },
  { name: 'an unset variable is empty', text: 'a-{$NOPE}-b', env: {}, tokens: ['1^:"a--b"'] },
  { name: 'a word that becomes empty disappears', text: 'forward . {$NOPE} 1.1.1.1', env: {},
    tokens: ['1^:"forward"', '1:"."', '1:"1.1.1.1"'] },
  { name: 'when a line-starting word disappears, the next word starts the line', text: 'log\n{$NOPE} errors', env: {},
    tokens: ['1^:"log"', '2^:"errors"'] },
  { name: 'a variable may not make braces', text: 'a {$OPEN}', env: { OPEN: '{' }, tokens: ['1^:"a"', '1:"{"'] },
];

for (const c of cases) {
  test(c.name, () => {
    assert.deepEqual(outline(tokenize(c.text, 'Corefile', c.env ?? {})), c.tokens);
  });
}

test('every token remembers its file', () => {
  assert.deepEqual(new Set(tokenize('a {\n b\n}', 'conf/extra.conf', {}).map((t) => t.file)), new Set(['conf/extra.conf']));
});

const broken: { name: string; text: string; env?: Env; error: string }[] = [
  { name: 'an unterminated quote names the line it opened on', text: 'a\nb "c\nd\n', error: "Corefile:2: unterminated quoted string" },
  { name: 'an unclosed block', text: '.:53 {\n  log {\n  }\n', error: "Corefile:1: '{' has no matching '}'" },
  { name: 'the innermost unclosed block is named', text: '.:53 {\n  log {\n  errors\n', error: "Corefile:2: '{' has no matching '}'" },
  { name: 'a close brace with no open block', text: '.:53 {\n}\n}\n', error: "Corefile:3: '}' has no matching '{'" },
  { name: 'a block with no keys', text: '{\n  whoami\n}', error: "Corefile:1: server block has no keys before '{' (keys and '{' go on one line)" },
  { name: 'keys whose brace is on the next line', text: '.:53\n{\n}', error: "Corefile:2: server block has no keys before '{' (keys and '{' go on one line)" },
  { name: 'a variable that disappears leaves a block without keys', text: '{$ZONE} {\n}', env: {},
    error: "Corefile:1: server block has no keys before '{' (keys and '{' go on one line)" },
  { name: 'a directive whose brace is on the next line', text: '.:53 {\n  forward .\n  {\n  }\n}',
    error: "Corefile:3: unexpected '{' (a block opens at the end of its directive's line)" },
  { name: 'a brace right after a brace', text: '.:53 {\n  log { {\n  }\n  }\n}',
    error: "Corefile:2: unexpected '{' (a block opens at the end of its directive's line)" },
  { name: 'a word after a close brace', text: '.:53 {\n  log { } errors\n}', error: 'Corefile:2: unexpected "errors" after \'}\'' },
  { name: 'a server block after a close brace', text: '.:53 {\n} example.org {\n}', error: 'Corefile:2: unexpected "example.org" after \'}\'' },
  { name: 'an open brace after a close brace', text: '.:53 {\n  log {\n  } {\n  }\n}', error: "Corefile:3: unexpected '{' after '}'" },
];

for (const c of broken) {
  test(`refused: ${c.name}`, () => {
    assert.throws(() => tokenize(c.text, 'Corefile', c.env ?? {}), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, c.error);
      return true;
    });
  });
}
