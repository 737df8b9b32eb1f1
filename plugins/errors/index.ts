// errors: log every reply of its server block that failed (SERVFAIL), one line each, as
// CoreDNS's errors plugin does. A plugin that throws is logged by the server whether or not
// this plugin is present; this one makes failed answers visible too (not synced, upstream down).
import { RCODE } from '../../src/dns/types.js';
import type { Setup } from '../../src/plugin.js';

export const setup: Setup = (directive, ctx) => {
  directive.expectNoArgs();
  directive.expectNoBlock();
  return {
    name: 'errors',
    serve: (query, next) => next(query),
    observe(query, reply) {
      if (reply.rcode === RCODE.SERVFAIL) ctx.log.error(`plugin/errors: 2 ${query.name}. ${query.type}: server failure`);
    },
  };
};
