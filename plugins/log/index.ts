// log: one line per query on stdout, in CoreDNS's format. It watches encoded replies (observe),
// so it can print the reply's size and flags; it never changes an answer.
import { classify, type ResponseClass } from '../../src/dns/classify.js';
import { isSubdomain } from '../../src/dns/names.js';
import type { Setup } from '../../src/plugin.js';
import { COMMON, compileFormat } from './format.js';

const CLASSES = new Set(['all', 'success', 'denial', 'error']);

export const setup: Setup = (directive, ctx) => {
  const args = [...directive.args];
  const format = args.length > 0 && args[args.length - 1]!.includes('{') ? args.pop()! : COMMON;
  const names = args.map((n) => n.toLowerCase().replace(/\.$/, ''));
  const formatter = compileFormat(format);
  if (typeof formatter !== 'function') throw directive.error(`log: unknown placeholder ${formatter.unknown}`);
  let classes: Set<string> | undefined;
  for (const line of directive.block ?? []) {
    if (line.name !== 'class' || line.args.length === 0) throw line.error(`log: unknown option '${line.name}' (only 'class CLASS...')`);
    for (const c of line.args) if (!CLASSES.has(c)) throw line.error(`log: unknown class '${c}' (all, success, denial, error)`);
    classes = new Set([...(classes ?? []), ...line.args]);
  }
  const wanted = (c: ResponseClass) => !classes || classes.has('all') || classes.has(c);
  const scoped = (lname: string) => names.length === 0 || names.some((n) => isSubdomain(lname, n));
  return {
    name: 'log',
    serve: (query, next) => next(query),
    observe(query, reply, wire, seconds) {
      if (scoped(query.lname) && wanted(classify(reply))) ctx.log.info(formatter(query, reply, wire, seconds));
    },
  };
};
