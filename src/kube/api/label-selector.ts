// The `labels` option: a Kubernetes label selector, checked at start-up and sent as `labelSelector`.
// Design decision: it is validated with the grammar and the operators CoreDNS accepts (those of
// metav1.ParseToLabelSelector: `=`, `==`, `!=`, `in`, `notin`, `key`, `!key`; not `<` and `>`)
// and sent in one canonical spelling, so a mistake fails start-up instead of every list request.

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Characters that end an identifier, as in apimachinery's selector lexer. */
const SPECIAL = new Set(['=', '!', '(', ')', ',', '<', '>']);
const OPERATORS = ['==', '!=', '=', '!', '(', ')', ',', '<', '>'];

/** A selector that does not parse; the message says why. */
export class LabelSelectorError extends Error {}

/** Parses `text` and returns it spelled canonically (`a=b,c in (d,e),!f`); throws LabelSelectorError. */
export function parseLabelSelector(text: string): string {
  const tokens = tokenize(text);
  const requirements: string[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++];
  while (i < tokens.length) {
    if (requirements.length > 0 && take() !== ',') throw new LabelSelectorError(`expected ',' before '${tokens[i - 1]}'`);
    const first = take();
    if (first === '!') {
      requirements.push(`!${key(take())}`);
      continue;
    }
    const k = key(first);
    const op = peek();
    if (op === undefined || op === ',') {
      requirements.push(k);
    } else if (op === '=' || op === '==' || op === '!=') {
      take();
      const next = peek();
      // `a=` selects an empty value: nothing follows, or the next requirement does.
      const v = next === undefined || next === ',' ? '' : value(take()!);
      requirements.push(`${k}${op === '!=' ? '!=' : '='}${v}`);
    } else if (op === 'in' || op === 'notin') {
      take();
      requirements.push(`${k} ${op} (${valueSet(take, k, op).join(',')})`);
    } else if (op === '<' || op === '>') {
      throw new LabelSelectorError(`"${op === '<' ? 'lt' : 'gt'}" isn't supported in label selectors`);
    } else {
      throw new LabelSelectorError(`'${op}' is not a label selector operator after '${k}'`);
    }
  }
  if (requirements.length === 0) throw new LabelSelectorError('the selector is empty');
  return requirements.join(',');
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (SPECIAL.has(c)) {
      const op = OPERATORS.find((o) => text.startsWith(o, i))!;
      tokens.push(op);
      i += op.length;
      continue;
    }
    let j = i;
    while (j < text.length && !SPECIAL.has(text[j]!) && !/\s/.test(text[j]!)) j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

function valueSet(take: () => string | undefined, k: string, op: string): string[] {
  if (take() !== '(') throw new LabelSelectorError(`expected '(' after '${k} ${op}'`);
  const values: string[] = [];
  for (;;) {
    const v = take();
    if (v === undefined || SPECIAL.has(v)) throw new LabelSelectorError(`expected a value in '${k} ${op} (...)'`);
    values.push(value(v));
    const next = take();
    if (next === ')') return values;
    if (next !== ',') throw new LabelSelectorError(`expected ',' or ')' in '${k} ${op} (...)'`);
  }
}

function key(token: string | undefined): string {
  if (token === undefined || SPECIAL.has(token[0]!)) throw new LabelSelectorError(`expected a label key, got ${token === undefined ? 'nothing' : `'${token}'`}`);
  const slash = token.indexOf('/');
  const name = slash < 0 ? token : token.slice(slash + 1);
  if (slash >= 0) {
    const prefix = token.slice(0, slash);
    if (prefix.length > 253 || !PREFIX.test(prefix)) throw new LabelSelectorError(`'${token}': the key's prefix must be a DNS subdomain`);
  }
  if (name.length > 63 || !NAME.test(name)) {
    throw new LabelSelectorError(`'${token}': a label key's name is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`);
  }
  return token;
}

function value(token: string): string {
  if (token.length > 63 || !NAME.test(token)) {
    throw new LabelSelectorError(`'${token}': a label value is at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric`);
  }
  return token;
}
