// From the plugin's connection options to a function that sends one GET to the API server.
// Design decision: @kubernetes/client-node does configuration and auth only (kubeconfig, in-cluster
// service account, TLS material, tokens, exec and OIDC credentials), in a child process
// (credentials.ts); the request itself goes through node:http(s), so a watch body streams line by
// line, over one keep-alive agent, so the hundreds of pages of a large list do not each pay for
// a TCP and TLS handshake. A service account token file is re-read every minute, as client-go does, so the kubelet's
// rotation is followed; other credentials are resolved again when the API server answers 401.
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { resolveCredentials, type ConnectionSettings, type CredentialRequest, type Credentials } from './credentials.js';

export type { ConnectionSettings } from './credentials.js';

export interface ApiConnection {
  /** The API server's base URL, for messages. */
  readonly server: string;
  /** Sends `GET path` (path and query string); resolves with the response once its headers arrive. */
  get(path: string, signal: AbortSignal): Promise<IncomingMessage>;
  /** Closes every connection, idle or busy. */
  close(): void;
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

export interface ConnectionTuning {
  /** A token file is read again when the token in hand is older than this. */
  tokenRereadMs: number;
  /** After a 401, credentials are resolved again at most this often. */
  refreshAfterRefusalMs: number;
  resolve: (request: CredentialRequest) => Promise<Credentials>;
}

const DEFAULT_CONNECTION_TUNING: ConnectionTuning = { tokenRereadMs: 60_000, refreshAfterRefusalMs: 10_000, resolve: resolveCredentials };

/**
 * Resolves the configuration and returns the connection; throws an Error saying what is wrong with it.
 * `inClusterRoot` prefixes the service account's directory (/var/run/secrets/kubernetes.io/serviceaccount).
 */
export async function openConnection(settings: ConnectionSettings, inClusterRoot = '', tuning: Partial<ConnectionTuning> = {}): Promise<ApiConnection> {
  const problem = connectionProblem(settings);
  if (problem) throw new Error(problem);
  const t = { ...DEFAULT_CONNECTION_TUNING, ...tuning };
  const request = { settings, inClusterRoot };
  return new Connection(await t.resolve(request), () => t.resolve(request), t);
}

class Connection implements ApiConnection {
  private token: { value: string; readAt: number } | undefined;
  private refreshing = false;
  private resolvedAt = performance.now();
  private agent: http.Agent;

  constructor(
    private credentials: Credentials,
    private readonly resolveAgain: () => Promise<Credentials>,
    private readonly tuning: ConnectionTuning,
  ) {
    this.agent = agentFor(credentials);
  }

  close(): void {
    this.agent.destroy();
  }

  get server(): string {
    return this.credentials.server;
  }

  async get(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    const { server, headers, tokenFile } = this.credentials;
    const bearer = tokenFile === undefined ? {} : { Authorization: `Bearer ${await this.tokenFrom(tokenFile)}` };
    signal.throwIfAborted();
    // Appended, not resolved: a server URL may carry a path prefix (API proxies such as Rancher's).
    const url = new URL(server + path);
    const transport = url.protocol === 'https:' ? https : http;
    const options: https.RequestOptions = { agent: this.agent, method: 'GET', headers: { ...headers, ...bearer, Accept: 'application/json' }, signal };
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = transport.request(url, options, resolve);
      req.on('error', reject);
      req.end();
    });
    if (res.statusCode === 401) this.refused();
    return res;
  }

  private async tokenFrom(file: string): Promise<string> {
    if (this.token === undefined || performance.now() - this.token.readAt >= this.tuning.tokenRereadMs) {
      try {
        this.token = { value: (await readFile(file, 'utf8')).trim(), readAt: performance.now() };
      } catch (err) {
        // A token being rotated may be missing for a moment: the one in hand is still worth a try.
        if (this.token === undefined) throw new Error(`cannot read the token file: ${(err as Error).message}`);
      }
    }
    return this.token.value;
  }

  /** The API server refused the credentials: read the token again, or resolve them again, for the next request. */
  private refused(): void {
    if (this.credentials.tokenFile !== undefined) {
      this.token = undefined;
      return;
    }
    if (this.refreshing || performance.now() - this.resolvedAt < this.tuning.refreshAfterRefusalMs) return;
    this.refreshing = true;
    this.resolveAgain()
      .then(
        (credentials) => {
          // New TLS material needs new connections; new headers alone do not.
          if (JSON.stringify(credentials.tls) !== JSON.stringify(this.credentials.tls) || credentials.server !== this.credentials.server) {
            this.agent.destroy();
            this.agent = agentFor(credentials);
          }
          this.credentials = credentials;
        },
        () => undefined, // The old ones stay; the next refusal tries again.
      )
      .finally(() => {
        this.refreshing = false;
        this.resolvedAt = performance.now();
      });
  }
}

/** A keep-alive agent carrying the credentials' TLS material; its idle connections do not hold the process open. */
function agentFor({ server, tls }: Credentials): http.Agent {
  if (!server.toLowerCase().startsWith('https:')) return new http.Agent({ keepAlive: true });
  return new https.Agent({ ...tls, pfx: tls.pfx === undefined ? undefined : Buffer.from(tls.pfx, 'base64'), keepAlive: true });
}
