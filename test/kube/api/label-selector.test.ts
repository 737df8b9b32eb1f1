// The `labels` selector: what CoreDNS's parser accepts is accepted and spelled canonically; the rest is refused with a reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelSelectorError, parseLabelSelector } from '../../../src/kube/api/label-selector.js';

const valid: { text: string; canonical: string }[] = [
  { text: 'app=dns', canonical: 'app=dns' },
  { text: 'app == dns', canonical: 'app=dns' },
  { text: 'app != dns', canonical: 'app!=dns' },
  { text: 'app=', canonical: 'app=' },
  { text: 'app=,tier=web', canonical: 'app=,tier=web' },
  { text: 'app', canonical: 'app' },
  { text: '! app', canonical: '!app' },
  { text: 'environment in (production, qa)', canonical: 'environment in (production,qa)' },
  { text: 'tier notin(cache)', canonical: 'tier notin (cache)' },
  { text: 'example.com/team=dns, app.kubernetes.io/name in (coredns,clusterdns), !legacy', canonical: 'example.com/team=dns,app.kubernetes.io/name in (coredns,clusterdns),!legacy' },
  { text: 'in=notin', canonical: 'in=notin' },
  { text: `k=${'v'.repeat(63)}`, canonical: `k=${'v'.repeat(63)}` },
];

for (const c of valid) {
  test(`accepted: ${c.text}`, () => assert.equal(parseLabelSelector(c.text), c.canonical));
}

const invalid: { text: string; error: string }[] = [
  { text: '', error: 'the selector is empty' },
  { text: ' , ', error: "expected a label key, got ','" },
  { text: 'a > 1', error: '"gt" isn\'t supported in label selectors' },
  { text: 'a < 1', error: '"lt" isn\'t supported in label selectors' },
  { text: 'a b', error: "'b' is not a label selector operator after 'a'" },
  { text: 'a=b c=d', error: "expected ',' before 'c'" },
  { text: 'a in b', error: "expected '(' after 'a in'" },
  { text: 'a in ()', error: "expected a value in 'a in (...)'" },
  { text: 'a in (b', error: "expected ',' or ')' in 'a in (...)'" },
  { text: 'a in (b c)', error: "expected ',' or ')' in 'a in (...)'" },
  { text: '!', error: 'expected a label key, got nothing' },
  { text: '=b', error: "expected a label key, got '='" },
  { text: '-a=b', error: "'-a': a label key's name is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric" },
  { text: `${'k'.repeat(64)}`, error: `'${'k'.repeat(64)}': a label key's name is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric` },
  { text: 'Example.com/a', error: "'Example.com/a': the key's prefix must be a DNS subdomain" },
  { text: 'a=b_', error: "'b_': a label value is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric" },
  { text: `a=${'v'.repeat(64)}`, error: `'${'v'.repeat(64)}': a label value is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric` },
];

for (const c of invalid) {
  test(`refused: ${JSON.stringify(c.text)}`, () => {
    assert.throws(
      () => parseLabelSelector(c.text),
      (err: unknown) => err instanceof LabelSelectorError && err.message === c.error,
    );
  });
}
