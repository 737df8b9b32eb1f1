// From connection settings to requests: kubeconfig (with its context and credentials), an
// endpoint alone or overriding the kubeconfig's server, and the in-cluster service account over
// verified TLS; problems said before anything is loaded or sent.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { after, before, test } from 'node:test';
import { connectionProblem, openConnection, type ConnectionSettings } from '../../../src/kube/api/connection.js';
import { resolveCredentials } from '../../../src/kube/api/credentials.js';
import { startFakeApiServer, type FakeApiServer } from '../../support/fake-apiserver.js';
import { rawServer, tempDir, writeKubeconfig } from './support.js';

const execFileAsync = promisify(execFile);
const IN_CLUSTER = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
const saved = IN_CLUSTER.map((name) => [name, process.env[name]] as const);
let api: FakeApiServer;
let tmp: ReturnType<typeof tempDir>;

before(async () => {
  IN_CLUSTER.forEach((name) => delete process.env[name]);
  api = await startFakeApiServer();
  tmp = tempDir();
});
after(async () => {
  saved.forEach(([name, value]) => (value === undefined ? delete process.env[name] : (process.env[name] = value)));
  await api.stop();
  tmp.remove();
});

const kubeconfig = (path: string, context?: string): ConnectionSettings => ({ kubeconfig: { path, context }, endpoint: undefined });

async function body(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += chunk;
  return text;
}

async function status(settings: ConnectionSettings, path = '/api/v1/namespaces'): Promise<number> {
  const connection = await openConnection(settings);
  const res = await connection.get(path, new AbortController().signal);
  await body(res);
  return res.statusCode ?? 0;
}

test('kubeconfig: its current context’s server and token, or those of the context named', async () => {
  const path = writeKubeconfig(join(tmp.dir, 'two-contexts'), [
    { name: 'wrong-token', server: api.url, token: 'nope', insecure: true },
    { name: 'fake', server: api.url, token: api.token, insecure: true },
  ]);
  assert.equal(await status(kubeconfig(api.kubeconfigPath)), 200, 'the fake’s own kubeconfig');
  assert.equal(await status(kubeconfig(path)), 401, 'the current context sends its token');
  assert.equal(await status(kubeconfig(path, 'fake')), 200, 'the named context');
});

test('endpoint with a kubeconfig: the kubeconfig’s credentials, at the endpoint', async () => {
  const path = writeKubeconfig(join(tmp.dir, 'elsewhere'), [{ name: 'c', server: 'https://192.0.2.1:6443', token: api.token }]);
  assert.equal(await status({ kubeconfig: { path, context: undefined }, endpoint: api.url }), 200);
});

test('endpoint alone: no credentials, plain HTTP allowed (kubectl proxy); a server path prefix is kept', async () => {
  const server = await rawServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  try {
    assert.equal(await status({ kubeconfig: undefined, endpoint: `${server.url}/k8s/clusters/c-1/` }, '/api/v1/services?limit=1'), 200);
    const [request] = server.requests;
    assert.equal(request!.path, '/k8s/clusters/c-1/api/v1/services?limit=1');
    assert.equal(request!.headers.authorization, undefined);
    assert.equal(request!.headers.accept, 'application/json');
  } finally {
    await server.stop();
  }
});

test('in-cluster: the service account’s token, and its CA to verify the API server', async (t) => {
  const root = join(tmp.dir, 'pod');
  const account = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(account, { recursive: true });
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(root, 'tls.key'), '-out', join(account, 'ca.crt'),
    ], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not available to make a certificate');
    return;
  }
  writeFileSync(join(account, 'token'), 'service-account-token');
  const tls = { key: readFileSync(join(root, 'tls.key'), 'utf8'), cert: readFileSync(join(account, 'ca.crt'), 'utf8') };
  const server = await rawServer((_req, res) => res.writeHead(200).end('{}'), tls);
  try {
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = new URL(server.url).port;
    const connection = await openConnection({ kubeconfig: undefined, endpoint: undefined }, root);
    assert.equal(connection.server, server.url);
    await body(await connection.get('/api', new AbortController().signal));
    assert.equal(server.requests[0]!.headers.authorization, 'Bearer service-account-token');

    const untrusting = await openConnection({ kubeconfig: undefined, endpoint: server.url });
    await assert.rejects(untrusting.get('/api', new AbortController().signal), /self-signed certificate/, 'without the CA the certificate is refused');

    // The kubelet rotates the token: it is read again once the one in hand is older than tokenRereadMs.
    const rotating = await openConnection({ kubeconfig: undefined, endpoint: undefined }, root, { tokenRereadMs: 200 });
    await body(await rotating.get('/api', new AbortController().signal));
    writeFileSync(join(account, 'token'), 'rotated-token\n');
    await body(await rotating.get('/api', new AbortController().signal));
    await sleep(250);
    await body(await rotating.get('/api', new AbortController().signal));
    assert.deepEqual(server.requests.slice(-3).map((r) => r.headers.authorization), [
      'Bearer service-account-token',
      'Bearer service-account-token',
      'Bearer rotated-token',
    ]);
  } finally {
    IN_CLUSTER.forEach((name) => delete process.env[name]);
    await server.stop();
  }
});

test('a 401 has the token file read again at once', async () => {
  const file = join(tmp.dir, 'token-401');
  writeFileSync(file, 'old');
  const server = await rawServer((req, res) => res.writeHead(req.headers.authorization === 'Bearer new' ? 200 : 401).end('{}'));
  try {
    const connection = await openConnection({ kubeconfig: undefined, endpoint: server.url }, '', {
      resolve: async () => ({ server: server.url, tls: {}, headers: {}, tokenFile: file }),
    });
    const statusOf = async () => {
      const res = await connection.get('/api', new AbortController().signal);
      await body(res);
      return res.statusCode;
    };
    assert.equal(await statusOf(), 401);
    writeFileSync(file, 'new');
    assert.equal(await statusOf(), 200, 'read again although the minute is not over');
  } finally {
    await server.stop();
  }
});

test('a 401 has the credentials resolved again, so a kubeconfig fixed meanwhile is taken up', async () => {
  const path = writeKubeconfig(join(tmp.dir, 'refused'), [{ name: 'c', server: api.url, token: 'expired', insecure: true }]);
  const connection = await openConnection(kubeconfig(path), '', { refreshAfterRefusalMs: 0 });
  const statusOf = async () => {
    const res = await connection.get('/api/v1/namespaces', new AbortController().signal);
    await body(res);
    return res.statusCode;
  };
  assert.equal(await statusOf(), 401);
  writeKubeconfig(path, [{ name: 'c', server: api.url, token: api.token, insecure: true }]);
  const deadline = Date.now() + 10_000;
  let code = await statusOf();
  while (code === 401 && Date.now() < deadline) {
    await sleep(100);
    code = await statusOf();
  }
  assert.equal(code, 200);
});

test('the server process never loads the client library: a child process resolves the credentials', async () => {
  const hooks = join(tmp.dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `export async function resolve(specifier, context, next) {
  if (specifier.includes('@kubernetes/client-node')) process.stderr.write('loaded ' + specifier + '\\n');
  return next(specifier, context);
}
`,
  );
  const register = join(tmp.dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const connectionModule = new URL('../../../src/kube/api/connection.js', import.meta.url).href;
  const script = `
const { openConnection } = await import(${JSON.stringify(connectionModule)});
const connection = await openConnection({ kubeconfig: { path: ${JSON.stringify(api.kubeconfigPath)}, context: undefined }, endpoint: undefined });
const res = await connection.get('/api/v1/namespaces', new AbortController().signal);
res.resume();
console.log(res.statusCode);
`;
  // Asynchronously: the fake API server answering it lives in this process.
  const run = await execFileAsync(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.stdout.trim(), '200', run.stderr);
  assert.doesNotMatch(run.stderr, /loaded/);
});

test('what the library cannot hand over is refused by name; a helper that hangs is given up', async () => {
  const proxied = join(tmp.dir, 'proxied');
  writeFileSync(
    proxied,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://k8s:6443', 'proxy-url': 'http://proxy:3128' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    }),
  );
  await assert.rejects(openConnection(kubeconfig(proxied)), { message: `kubeconfig ${proxied}: proxy-url is not supported; reach the API server directly` });
  await assert.rejects(resolveCredentials({ settings: kubeconfig(api.kubeconfigPath), inClusterRoot: '' }, 1), /^Error: the credential helper took longer than 0.001 s/);
});

test('requests share one kept-alive connection until close()', async () => {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  const sockets: Socket[] = [];
  server.on('connection', (socket: Socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const connection = await openConnection({ kubeconfig: undefined, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    for (let i = 0; i < 3; i++) await body(await connection.get(`/api/v1/services?limit=1&page=${i}`, new AbortController().signal));
    assert.equal(sockets.length, 1, 'three pages, one TCP connection');
    const closed = new Promise((resolve) => sockets[0]!.once('close', resolve));
    connection.close();
    await closed;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('an aborted request rejects', async () => {
  const connection = await openConnection(kubeconfig(api.kubeconfigPath));
  await assert.rejects(connection.get('/api', AbortSignal.abort()), { name: 'AbortError' });
});

test('problems found before loading anything', () => {
  const cases: { name: string; settings: ConnectionSettings; env: NodeJS.ProcessEnv; problem: string | undefined }[] = [
    { name: 'in a cluster', settings: { kubeconfig: undefined, endpoint: undefined }, env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, problem: undefined },
    { name: 'outside', settings: { kubeconfig: undefined, endpoint: undefined }, env: {}, problem: 'not running in a cluster (KUBERNETES_SERVICE_HOST unset) and no kubeconfig/endpoint/objects given' },
    { name: 'no port', settings: { kubeconfig: undefined, endpoint: undefined }, env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, problem: 'in-cluster configuration needs KUBERNETES_SERVICE_PORT, which is unset' },
    { name: 'endpoint outside', settings: { kubeconfig: undefined, endpoint: 'https://k8s:6443' }, env: {}, problem: undefined },
    { name: 'kubeconfig', settings: kubeconfig(api.kubeconfigPath), env: {}, problem: undefined },
    { name: 'no kubeconfig', settings: kubeconfig('/nonexistent/config'), env: {}, problem: "kubeconfig /nonexistent/config: cannot read: ENOENT: no such file or directory, access '/nonexistent/config'" },
  ];
  for (const c of cases) assert.equal(connectionProblem(c.settings, c.env), c.problem, c.name);
});

test('a kubeconfig that cannot be used is refused with the reason', async () => {
  const file = (name: string, text: string) => {
    writeFileSync(join(tmp.dir, name), text);
    return join(tmp.dir, name);
  };
  const plain = writeKubeconfig(join(tmp.dir, 'plain-http'), [{ name: 'c', server: api.url, token: 't' }]);
  const notUrl = writeKubeconfig(join(tmp.dir, 'not-url'), [{ name: 'c', server: 'k8s:6443:x' }]);
  const ftp = writeKubeconfig(join(tmp.dir, 'ftp'), [{ name: 'c', server: 'ftp://k8s' }]);
  const orphan = file('orphan', 'apiVersion: v1\nkind: Config\ncontexts: [{name: c, context: {cluster: gone, user: u}}]\ncurrent-context: c\n');
  const cases: { settings: ConnectionSettings; error: string }[] = [
    { settings: kubeconfig(api.kubeconfigPath, 'prod'), error: `kubeconfig ${api.kubeconfigPath}: no context named 'prod'` },
    { settings: kubeconfig(plain), error: `kubeconfig ${plain}: server '${api.url}' is plain HTTP; the cluster entry must set insecure-skip-tls-verify: true` },
    { settings: kubeconfig(notUrl), error: `kubeconfig ${notUrl}: server 'k8s:6443:x' is not an http(s) URL` },
    { settings: kubeconfig(ftp), error: `kubeconfig ${ftp}: server 'ftp://k8s' is not an http(s) URL` },
    { settings: kubeconfig(orphan), error: `kubeconfig ${orphan}: context 'c' names no cluster` },
    { settings: kubeconfig(file('broken', 'clusters: [\n')), error: `kubeconfig ${join(tmp.dir, 'broken')}: ` },
  ];
  for (const c of cases) {
    await assert.rejects(openConnection(c.settings), (err: unknown) => err instanceof Error && err.message.startsWith(c.error), c.error);
  }
});
