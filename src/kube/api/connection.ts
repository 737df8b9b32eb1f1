// From the plugin's connection options to a function that sends one GET to the API server.
// Design decision: @kubernetes/client-node does configuration and auth only (kubeconfig, in-cluster
// service account, TLS material, tokens, exec and OIDC credentials), re-applied on every request
// so rotated tokens are picked up; the request itself goes through node:http(s), so a watch body
// streams line by line. The library is imported on first use: loading it costs ~0.6 s and ~75 MB,
// which a server fed from files should not pay.
import { accessSync, constants } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** How to reach the API server: a kubeconfig, an endpoint, both (the endpoint wins), or neither (in-cluster). */
export interface ConnectionSettings {
  kubeconfig: { path: string; context: string | undefined } | undefined;
  /** The API server's URL; with a kubeconfig it replaces the server of the kubeconfig's cluster. */
  endpoint: string | undefined;
}

export interface ApiConnection {
  /** The API server's base URL, for messages. */
  readonly server: string;
  /** Sends `GET path` (path and query string); resolves with the response once its headers arrive. */
  get(path: string, signal: AbortSignal): Promise<IncomingMessage>;
}

/** What makes `settings` unusable here and now, found without loading the client library; undefined when nothing does. */
export function connectionProblem(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (settings.kubeconfig) {
    try {
      accessSync(settings.kubeconfig.path, constants.R_OK);
    } catch (err) {
      return `kubeconfig ${settings.kubeconfig.path}: cannot read: ${(err as Error).message}`;
    }
    return undefined;
  }
  if (settings.endpoint !== undefined) return undefined;
  if (!env.KUBERNETES_SERVICE_HOST) return 'not running in a cluster (KUBERNETES_SERVICE_HOST unset) and no kubeconfig/endpoint/objects given';
  if (!env.KUBERNETES_SERVICE_PORT) return 'in-cluster configuration needs KUBERNETES_SERVICE_PORT, which is unset';
  return undefined;
}

/**
 * Loads the configuration and returns the connection; throws an Error saying what is wrong with it.
 * `inClusterRoot` prefixes the service account's directory (/var/run/secrets/kubernetes.io/serviceaccount).
 */
export async function openConnection(settings: ConnectionSettings, inClusterRoot = ''): Promise<ApiConnection> {
  const problem = connectionProblem(settings);
  if (problem) throw new Error(problem);
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  let origin: string;
  if (settings.kubeconfig) {
    const { path, context } = settings.kubeconfig;
    origin = `kubeconfig ${path}`;
    try {
      kc.loadFromFile(path);
    } catch (err) {
      throw new Error(`${origin}: ${(err as Error).message}`);
    }
    if (context !== undefined) {
      if (!kc.getContextObject(context)) throw new Error(`${origin}: no context named '${context}'`);
      kc.setCurrentContext(context);
    }
    if (settings.endpoint !== undefined) overrideServer(kc, settings.endpoint);
  } else if (settings.endpoint !== undefined) {
    origin = `endpoint ${settings.endpoint}`;
    kc.loadFromClusterAndUser({ name: 'endpoint', server: settings.endpoint, skipTLSVerify: isPlainHttp(settings.endpoint) }, { name: 'anonymous' });
  } else {
    origin = 'in-cluster configuration';
    kc.loadFromCluster(inClusterRoot);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`${origin}: context '${kc.getCurrentContext() ?? ''}' names no cluster`);
  let base: URL;
  try {
    base = new URL(cluster.server);
  } catch {
    throw new Error(`${origin}: server '${cluster.server}' is not a URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`${origin}: server '${cluster.server}' is not an http(s) URL`);
  if (base.protocol === 'http:' && !cluster.skipTLSVerify) {
    throw new Error(`${origin}: server '${cluster.server}' is plain HTTP; the cluster entry must set insecure-skip-tls-verify: true`);
  }
  return new Connection(kc, cluster.server.replace(/\/+$/, ''));
}

class Connection implements ApiConnection {
  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
  ) {}

  async get(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    const options: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(options);
    signal.throwIfAborted();
    // Appended, not resolved: a server URL may carry a path prefix (API proxies such as Rancher's).
    const url = new URL(this.server + path);
    const agent = options.agent;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { ...options, method: 'GET', headers: { ...options.headers, Accept: 'application/json' }, signal }, resolve);
      // The library makes an agent per call; it must not outlive its one request.
      req.on('close', () => (agent as http.Agent | undefined)?.destroy());
      req.on('error', reject);
      req.end();
    });
  }
}

function overrideServer(kc: KubeConfig, endpoint: string): void {
  const current = kc.getCurrentCluster();
  if (!current) return;
  const clusters = kc.getClusters().map((c) =>
    c.name === current.name ? { ...c, server: endpoint, skipTLSVerify: c.skipTLSVerify || isPlainHttp(endpoint) } : c,
  );
  kc.loadFromOptions({ clusters, users: kc.getUsers(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext() });
}

function isPlainHttp(url: string): boolean {
  return url.toLowerCase().startsWith('http:');
}
