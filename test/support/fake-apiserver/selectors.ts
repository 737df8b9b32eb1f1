// Label and field selectors as the API server parses them from `labelSelector` / `fieldSelector`.
// Design decision: a selector compiles once per request into a predicate over a flat string map
// (labels, or the field values precomputed when the object was stored), so matching during a
// list or on every watch event is a few map look-ups.
import type { Target } from './resources.js';
import type { Stored } from './store.js';

export type Predicate = (values: Readonly<Record<string, string>>) => boolean;

/** A selector the server cannot parse; the request answers 400 BadRequest with this message. */
export class SelectorError extends Error {}

const KEY = String.raw`(?:[A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?`;
const VALUE = String.raw`(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const VALUE_ONLY = new RegExp(`^${VALUE}$`);

/**
 * `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, joined by commas (all must
 * hold). As in Kubernetes, `!=` and `notin` also match objects that lack the label.
 */
export function parseLabelSelector(text: string): Predicate {
  const tests = splitRequirements(text).map((requirement): Predicate => {
    let m = EQUALITY.exec(requirement);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = SET.exec(requirement);
    if (m) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map((v) => v.trim()));
      if (values.has('') || [...values].some((v) => !VALUE_ONLY.test(v))) {
        throw new SelectorError(`unable to parse requirement: values of ${key} ${op} must be label values: ${requirement}`);
      }
      return op === 'in' ? (l) => l[key] !== undefined && values.has(l[key]) : (l) => l[key] === undefined || !values.has(l[key]);
    }
    m = EXISTS.exec(requirement);
    if (m) {
      const [, not, key] = m as unknown as [string, string, string];
      return not ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
    }
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(requirement)}`);
  });
  return allOf(tests);
}

/** `field=value`, `field==value`, `field!=value` joined by commas, over the fields in `known`. */
export function parseFieldSelector(text: string, known: ReadonlySet<string>): Predicate {
  const tests = splitRequirements(text).map((requirement): Predicate => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(requirement);
    if (!m) throw new SelectorError(`invalid selector: '${requirement}'; can't understand '${requirement}'`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!known.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    return op === '!=' ? (f) => f[field] !== value : (f) => f[field] === value;
  });
  return allOf(tests);
}

/** Splits on the commas that separate requirements, not those inside `in (a,b)`. */
function splitRequirements(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === ',' && depth === 0) || i === text.length) {
      const requirement = text.slice(start, i).trim();
      if (requirement !== '') out.push(requirement);
      start = i + 1;
    }
  }
  return out;
}

function allOf(tests: Predicate[]): Predicate {
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (values) => tests.every((t) => t(values));
}

/** Which objects a list or watch request selects: its namespace (from the path) and both selectors. */
export interface Selection {
  matches(object: Stored): boolean;
  /** A label or field selector narrows the result (the server then gives no remainingItemCount). */
  narrowed: boolean;
}

export function selectionOf(target: Target, params: URLSearchParams): Selection {
  const labels = params.get('labelSelector') ?? '';
  const fields = params.get('fieldSelector') ?? '';
  const byLabels = parseLabelSelector(labels);
  const known = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(target.resource.fields)]);
  const byFields = parseFieldSelector(fields, known);
  const namespace = target.namespace;
  return {
    matches: (o) => (namespace === '' || o.namespace === namespace) && byLabels(o.labels) && byFields(o.fields),
    narrowed: labels.trim() !== '' || fields.trim() !== '',
  };
}
