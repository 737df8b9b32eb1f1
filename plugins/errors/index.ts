// errors: one line per failed query (SERVFAIL) of its server block, in CoreDNS's words
// ("[ERROR] plugin/errors: 2 NAME. TYPE: server failure"), look-alike lines consolidated on request.
// Design decision: it logs only failures its chain returned. When a plugin throws, the server puts
// a SERVFAIL in place of the reply and logs the panic itself, whether or not this plugin is
// configured; logging that reply here too would make one panic two lines.
import { RCODE, type Reply } from '../../src/dns/types.js';
import type { Logger } from '../../src/log.js';
import type { Query, Setup, SetupContext } from '../../src/plugin.js';
import { Consolidator, type Level } from './consolidate.js';
import { parseOptions } from './options.js';

/** Why a returned SERVFAIL failed is not carried by the reply, so every one reads the same. */
const MESSAGE = 'server failure';

const configured = new WeakSet<SetupContext>();

export const setup: Setup = (directive, ctx) => {
  if (configured.has(ctx)) throw directive.error('errors: this plugin can only be used once per server block');
  configured.add(ctx);
  const options = parseOptions(directive);
  const log = (level: Level, text: string) => write(ctx.log, level, `plugin/errors: ${text}`);
  const consolidator = new Consolidator(options.consolidate, log);
  const failures = new WeakSet<Reply>();
  const returned = (reply: Reply): Reply => {
    if (reply.rcode === RCODE.SERVFAIL) failures.add(reply);
    return reply;
  };
  const thrown = (query: Query, err: unknown): never => {
    if (options.stacktrace) log('error', `stack of the panic on "${fqdn(query)} ${query.type}": ${err instanceof Error && err.stack ? err.stack : String(err)}`);
    throw err;
  };
  return {
    name: 'errors',
    serve(query, next) {
      let reply: Reply | Promise<Reply>;
      try {
        reply = next(query);
      } catch (err) {
        return thrown(query, err);
      }
      return reply instanceof Promise ? reply.then(returned, (err: unknown) => thrown(query, err)) : returned(reply);
    },
    observe(query, reply) {
      if (!failures.has(reply)) return;
      const line = `${RCODE.SERVFAIL} ${fqdn(query)} ${query.type}: ${MESSAGE}`;
      if (!consolidator.take(MESSAGE, line)) log('error', line);
    },
    async stop() {
      consolidator.stop();
    },
  };
};

/** The question name as CoreDNS's request.Name() gives it: lower-cased, with the trailing dot. */
function fqdn(query: Query): string {
  return `${query.lname}.`;
}

/** Debug lines are printed by CoreDNS only under its `debug` plugin, which clusterdns does not have. */
function write(logger: Logger, level: Level, text: string): void {
  if (level === 'error') logger.error(text);
  else if (level === 'warning') logger.warn(text);
  else if (level === 'info') logger.info(text);
}
