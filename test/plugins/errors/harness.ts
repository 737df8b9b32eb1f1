// Test harness for the errors plugin: the plugin built from a Corefile stanza, with the memory
// logger its lines go to, and a question as the server hands it to the chain.
import { parseCorefile } from '../../../src/config/parse.js';
import type { Directive } from '../../../src/config/corefile.js';
import { memoryLogger } from '../../../src/log.js';
import type { Plugin } from '../../../src/plugin.js';
import { setup } from '../../../plugins/errors/index.js';
import { setupContext } from '../../support/setup-context.js';

/** "NAME. TYPE" as the server would hand it to the chain. */
export { makeQuery as question } from '../kubernetes/harness.js';

export const FILE = '/etc/coredns/Corefile';

/** The directives of `. { STANZA }`. */
export function directives(stanza: string): readonly Directive[] {
  return parseCorefile(`. {\n${stanza}\n}\n`, FILE).blocks[0]!.directives;
}

export function makeErrors(stanza = 'errors'): { plugin: Plugin; lines: string[] } {
  const log = memoryLogger();
  const plugin = setup(directives(stanza)[0]!, setupContext({ log }))!;
  return { plugin, lines: log.lines };
}

/** How many timers keep the process alive right now. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
