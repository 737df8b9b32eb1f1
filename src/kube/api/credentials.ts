// Credentials for the API server, resolved by @kubernetes/client-node in a short-lived child process.
// Design decision: the library is the one implementation of kubeconfig, in-cluster configuration,
// TLS material and auth (tokens, exec plugins, OIDC), but loading it costs ~75 MB of resident
// memory for good (its generated API code cannot be unloaded) and 0.6 s of CPU: more than the
// whole index of a 100,000-service cluster. So it runs in a child process that prints plain
// TLS options and headers and exits; the server re-runs it only when the API server refuses
// what it has (401), and re-reads a service account token file itself, as it rotates.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How to reach the API server: a kubeconfig, an endpoint, both (the endpoint wins), or neither (in-cluster). */
export interface ConnectionSettings {
  kubeconfig: { path: string; context: string | undefined } | undefined;
  /** The API server's URL; with a kubeconfig it replaces the server of the kubeconfig's cluster. */
  endpoint: string | undefined;
}

export interface CredentialRequest {
  settings: ConnectionSettings;
  /** Prefixes the service account's directory (/var/run/secrets/kubernetes.io/serviceaccount). */
  inClusterRoot: string;
}

/** What a request to the API server needs, in a form that crosses processes as JSON. */
export interface Credentials {
  /** The API server's base URL, without a trailing slash. */
  server: string;
  tls: {
    ca?: string;
    cert?: string;
    key?: string;
    /** PKCS#12 bundle, base64. */
    pfx?: string;
    passphrase?: string;
    rejectUnauthorized?: boolean;
    servername?: string;
  };
  headers: Record<string, string>;
  /** The bearer token is this file's content (a service account token, which the kubelet rotates). */
  tokenFile?: string;
}

export type CredentialAnswer = { credentials: Credentials } | { error: string };

const HELPER = fileURLToPath(new URL('./credential-helper.js', import.meta.url));

/** Resolves `request` in the helper process; rejects with the helper's own message when the configuration is unusable. */
export function resolveCredentials(request: CredentialRequest, timeoutMs = 60_000): Promise<Credentials> {
  return new Promise((resolve, reject) => {
    // An exec credential plugin may need the environment (PATH, HOME, cloud variables): it is passed on.
    const child = spawn(process.execPath, [HELPER], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', (e) => reject(new Error(`cannot run the credential helper: ${e.message}`)));
    child.on('close', (code, signal) => {
      let answer: CredentialAnswer;
      try {
        answer = JSON.parse(out) as CredentialAnswer;
      } catch {
        const why = signal === 'SIGTERM' ? `took longer than ${timeoutMs / 1000} s` : `exited with ${signal ?? code}`;
        reject(new Error(`the credential helper ${why}${err.trim() ? `: ${err.trim().split('\n')[0]}` : ''}`));
        return;
      }
      if ('error' in answer) reject(new Error(answer.error));
      else resolve(answer.credentials);
    });
    child.stdin.end(JSON.stringify(request));
  });
}
