// log: one line per query on stdout, in CoreDNS's format. It watches encoded replies (observe),
// so it can print the reply's size and flags; it never changes an answer.
// Design decision: as in CoreDNS, every `log` line of a server block adds rules to one logger, and
// a query is judged by the first rule whose name holds it: it is logged at most once, and a rule
// whose classes refuse it is not overruled by a later rule.
import { classify } from '../../src/dns/classify.js';
import { isSubdomain } from '../../src/dns/names.js';
import type { Setup, SetupContext } from '../../src/plugin.js';
import { parseRules, type Rule } from './options.js';

const loggers = new WeakMap<SetupContext, Rule[]>();

export const setup: Setup = (directive, ctx) => {
  const rules = parseRules(directive, ctx.log);
  const existing = loggers.get(ctx);
  if (existing) {
    existing.push(...rules);
    return undefined;
  }
  loggers.set(ctx, rules);
  return {
    name: 'log',
    serve: (query, next) => next(query),
    observe(query, reply, wire, seconds) {
      const rule = rules.find((r) => isSubdomain(query.lname, r.name));
      if (!rule) return;
      const logged = !rule.classes || rule.classes.has(classify(reply)) || (rule.minSeconds > 0 && seconds > rule.minSeconds);
      if (logged) ctx.log.info(rule.format(query, reply, wire, seconds));
    },
  };
};
