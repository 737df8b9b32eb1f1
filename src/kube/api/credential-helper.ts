// The child process that turns connection settings into credentials with @kubernetes/client-node:
// it reads one CredentialRequest as JSON on stdin, loads the kubeconfig, the endpoint or the
// in-cluster service account as the library does, lets the library apply TLS material and auth
// (tokens, exec plugins, OIDC, client certificates), and writes one CredentialAnswer as JSON on
// stdout. It runs in its own process so that the server never loads the library (75 MB and 0.6 s
// of start-up; see credentials.ts).
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CredentialAnswer, CredentialRequest, Credentials } from './credentials.js';

async function credentials({ settings, inClusterRoot }: CredentialRequest): Promise<Credentials> {
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
  // The library would tunnel through an agent object, which cannot cross to the server process.
  if (cluster.proxyUrl) throw new Error(`${origin}: proxy-url is not supported; reach the API server directly`);

  const options: RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (err) {
    throw new Error(`${origin}: ${(err as Error).message}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const user = kc.getCurrentUser();
  const tokenFile = (user?.authProvider as { name?: string; config?: { tokenFile?: string } } | undefined)?.config?.tokenFile;
  return {
    server: cluster.server.replace(/\/+$/, ''),
    tls: {
      ca: pem(options.ca),
      cert: pem(options.cert),
      key: pem(options.key),
      pfx: options.pfx === undefined ? undefined : Buffer.from(options.pfx as string | Buffer).toString('base64'),
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    },
    headers,
    tokenFile: user?.authProvider?.name === 'tokenFile' ? tokenFile : undefined,
  };
}

/** PEM material as text; the library reads files into Buffers. */
function pem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => pem(v)).join('\n');
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
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

async function main(): Promise<void> {
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) input += chunk as string;
  let answer: CredentialAnswer;
  try {
    answer = { credentials: await credentials(JSON.parse(input) as CredentialRequest) };
  } catch (err) {
    answer = { error: (err as Error).message };
  }
  process.stdout.write(JSON.stringify(answer));
}

await main();
