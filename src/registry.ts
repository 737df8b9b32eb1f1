// Every directive clusterdns knows, in execution order (CoreDNS's plugin.cfg): a query passes
// the plugins of its server block in this order, whatever order the Corefile lists them in.
import { setup as bind } from '../plugins/bind/index.js';
import { setup as cache } from '../plugins/cache/index.js';
import { setup as errors } from '../plugins/errors/index.js';
import { setup as forward } from '../plugins/forward/index.js';
import { setup as health } from '../plugins/health/index.js';
import { setup as kubernetes } from '../plugins/kubernetes/index.js';
import { setup as loadbalance } from '../plugins/loadbalance/index.js';
import { setup as log } from '../plugins/log/index.js';
import { setup as loop } from '../plugins/loop/index.js';
import { setup as prometheus } from '../plugins/prometheus/index.js';
import { setup as ready } from '../plugins/ready/index.js';
import { setup as reload } from '../plugins/reload/index.js';
import type { Setup } from './plugin.js';

export interface DirectiveEntry {
  readonly name: string;
  readonly setup: Setup;
}

const REGISTRY: readonly DirectiveEntry[] = [
  { name: 'reload', setup: reload },
  { name: 'bind', setup: bind },
  { name: 'ready', setup: ready },
  { name: 'health', setup: health },
  { name: 'prometheus', setup: prometheus },
  { name: 'errors', setup: errors },
  { name: 'log', setup: log },
  { name: 'loadbalance', setup: loadbalance },
  { name: 'cache', setup: cache },
  { name: 'kubernetes', setup: kubernetes },
  { name: 'loop', setup: loop },
  { name: 'forward', setup: forward },
];

const BY_NAME = new Map(REGISTRY.map((e, i) => [e.name, { entry: e, order: i }]));

export function lookupDirective(name: string): DirectiveEntry | undefined {
  return BY_NAME.get(name)?.entry;
}

export function directiveOrder(name: string): number {
  return BY_NAME.get(name)?.order ?? REGISTRY.length;
}

export function directiveNames(): string[] {
  return REGISTRY.map((e) => e.name);
}
