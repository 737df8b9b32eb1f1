// kubernetes: serves the cluster DNS schema (services, endpoints, pods, PTRs) from a KubeStore
// fed by an object source: YAML files (`objects`) or the Kubernetes API. Setup parses and checks
// what it can without I/O beyond a file's existence; start() reads files or connects, and the
// plugin answers SERVFAIL for its zones until the source has delivered its first full set.
import os from 'node:os';
import { ipFamily, normalizeIP } from '../../src/dns/names.js';
import { ApiSource } from '../../src/kube/api/api-source.js';
import { connectionProblem, openConnection } from '../../src/kube/api/connection.js';
import { FileSource } from '../../src/kube/file-source.js';
import type { ObjectSource } from '../../src/kube/objects.js';
import { KubeStore } from '../../src/kube/store.js';
import type { Directive } from '../../src/config/corefile.js';
import type { Logger } from '../../src/log.js';
import type { Plugin, Setup } from '../../src/plugin.js';
import { answer } from './answer.js';
import { AnswerMemo } from './answer-memo.js';
import { inspect } from './inspect.js';
import { parseOptions, type KubernetesOptions } from './options.js';

export const setup: Setup = (directive, ctx) => {
  const options = parseOptions(directive, ctx);
  const store = new KubeStore({ ...options, localAddresses: localAddresses(ctx.listen) });
  return kubernetesPlugin(options, store, objectSource(directive, options, ctx.log));
};

/** The plugin over a store and the source that fills it. */
export function kubernetesPlugin(options: KubernetesOptions, store: KubeStore, source: ObjectSource): Plugin {
  const data = { options, store, memo: new AnswerMemo() };
  return {
    name: 'kubernetes',
    serve: (query, next) => answer(data, query, next),
    generation: () => store.index.generation,
    ready: () => store.synced,
    start: () => source.start(store),
    stop: () => source.stop(),
    inspect: (name) => inspect(data, name),
  };
}

/** Files when `objects` is given, else the API, whose configuration problems name the stanza's line. */
function objectSource(directive: Directive, options: KubernetesOptions, log: Logger): ObjectSource {
  if (options.objects !== undefined) return new FileSource(options.objects, log);
  const settings = options.api ?? { kubeconfig: undefined, endpoint: undefined };
  const problem = connectionProblem(settings);
  if (problem) throw directive.error(`kubernetes: ${problem}`);
  const connect = () =>
    openConnection(settings).catch((err: unknown) => {
      throw directive.error(`kubernetes: ${err instanceof Error ? err.message : String(err)}`);
    });
  return new ApiSource(connect, log, {
    namespaces: options.namespaces,
    labels: options.labels,
    pods: options.pods === 'verified',
    endpoints: !options.noEndpoints,
  });
}

/**
 * The addresses this server answers on: the specific `bind` addresses, else every interface
 * address that is neither loopback nor link-local (loopback only when there is nothing else).
 */
export function localAddresses(listen: readonly string[], interfaces = os.networkInterfaces()): string[] {
  const bound = listen.map(normalizeIP).filter((ip): ip is string => ip !== undefined && ip !== '0.0.0.0' && ip !== '::');
  if (bound.length > 0) return [...new Set(bound)];
  const all = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => ipFamily(i.address) !== 0 && !i.address.toLowerCase().startsWith('fe80:'))
    .map((i) => ({ ip: normalizeIP(i.address)!, internal: i.internal }));
  const external = all.filter((i) => !i.internal);
  return [...new Set((external.length > 0 ? external : all).map((i) => i.ip))];
}
