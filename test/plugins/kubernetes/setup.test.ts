// The `kubernetes` stanza: options parsed from Corefile snippets, errors naming file and line,
// and the plugin's life (nothing read before start, files or the API served after it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { RCODE } from '../../../src/dns/types.js';
import { ConfigError } from '../../../src/errors.js';
import { memoryLogger } from '../../../src/log.js';
import type { SetupContext } from '../../../src/plugin.js';
import { localAddresses, setup } from '../../../plugins/kubernetes/index.js';
import { parseOptions } from '../../../plugins/kubernetes/options.js';
import { startFakeApiServer } from '../../support/fake-apiserver.js';
import { namespaceManifest, serviceManifest } from '../../support/fake-apiserver/manifests.js';
import { makeQuery } from './harness.js';
import { setupContext } from '../../support/setup-context.js';

const FILE = '/etc/coredns/Corefile';

// Whether a stanza without a source is valid depends on these; the tests decide, not the machine they run on.
const IN_CLUSTER = ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'] as const;
const saved = IN_CLUSTER.map((name) => [name, process.env[name]] as const);
before(() => IN_CLUSTER.forEach((name) => delete process.env[name]));
after(() => saved.forEach(([name, value]) => (value === undefined ? delete process.env[name] : (process.env[name] = value))));

/** Runs `fn` as if inside a cluster whose API server is at `host:port`. */
function inCluster<T>(host: string, port: string, fn: () => T): T {
  process.env.KUBERNETES_SERVICE_HOST = host;
  process.env.KUBERNETES_SERVICE_PORT = port;
  try {
    return fn();
  } finally {
    IN_CLUSTER.forEach((name) => delete process.env[name]);
  }
}

/** The first directive of the first block, with the context its setup sees. */
function stanza(corefile: string, listen: string[] = []) {
  const parsed = parseCorefile(corefile, FILE);
  const block = parsed.blocks[0]!;
  const ctx: SetupContext = setupContext({ zones: block.keys.map((k) => k.zone), listen });
  return { directive: block.directives[0]!, ctx };
}

function parse(corefile: string) {
  const { directive, ctx } = stanza(corefile);
  return parseOptions(directive, ctx);
}

test('options: the kubeadm stanza', () => {
  const o = parse(
    ['.:53 {', '  kubernetes cluster.local in-addr.arpa ip6.arpa {', '    objects cluster', '    pods insecure', '    fallthrough in-addr.arpa ip6.arpa', '    ttl 30', '  }', '}'].join('\n'),
  );
  assert.deepEqual(o, {
    zones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
    primaryZone: 'cluster.local',
    objects: '/etc/coredns/cluster',
    api: undefined,
    labels: undefined,
    namespaces: new Set(),
    pods: 'insecure',
    endpointPodNames: false,
    ttl: 30,
    noEndpoints: false,
    fallthrough: ['in-addr.arpa', 'ip6.arpa'],
    ignoreEmptyService: false,
  });
});

test('options: every other option', () => {
  const o = parse(
    [
      'Cluster.Local. 10.0.0.0/16 {',
      '  kubernetes {',
      '    objects /srv/objects.yaml',
      '    namespaces default kube-system',
      '    pods verified',
      '    endpoint_pod_names',
      '    noendpoints',
      '    ignore empty_service',
      '    fallthrough',
      '    ttl 0',
      '  }',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(o.zones, ['cluster.local', '0.10.in-addr.arpa'], 'the server block’s zones');
  assert.equal(o.objects, '/srv/objects.yaml');
  assert.deepEqual([...o.namespaces], ['default', 'kube-system']);
  assert.deepEqual([o.pods, o.endpointPodNames, o.noEndpoints, o.ignoreEmptyService, o.ttl], ['verified', true, true, true, 0]);
  assert.deepEqual(o.fallthrough, o.zones, 'fallthrough without zones: all of them');
});

test('options: zones given as CIDR blocks name their reverse zones; the first forward zone is primary', () => {
  const o = parse('. {\n  kubernetes 10.0.0.0/8 fd00::/7 Example.K8s. cluster.local {\n    objects x\n  }\n}');
  assert.deepEqual(o.zones, ['10.in-addr.arpa', 'c.f.ip6.arpa', 'd.f.ip6.arpa', 'example.k8s', 'cluster.local']);
  assert.equal(o.primaryZone, 'example.k8s');
  assert.equal(parse('. {\n  kubernetes cluster.local {\n    objects x\n    ttl 3600\n  }\n}').ttl, 3600);
});

test('options: the API source: kubeconfig (relative to the Corefile) and context, endpoint, labels', () => {
  const o = parse(
    [
      'cluster.local {',
      '  kubernetes {',
      '    kubeconfig kube/config staging',
      '    endpoint https://10.0.0.1:6443',
      '    labels  environment in (production, qa),tier!=cache , !legacy',
      '    namespaces shop',
      '  }',
      '}',
    ].join('\n'),
  );
  assert.equal(o.objects, undefined);
  assert.deepEqual(o.api, { kubeconfig: { path: '/etc/coredns/kube/config', context: 'staging' }, endpoint: 'https://10.0.0.1:6443' });
  assert.equal(o.labels, 'environment in (production,qa),tier!=cache,!legacy', 'the selector, spelled canonically');
  assert.deepEqual([...o.namespaces], ['shop']);
});

test('options: neither objects nor kubeconfig nor endpoint is the in-cluster configuration', () => {
  const cases = [
    { stanza: '  kubernetes cluster.local', api: { kubeconfig: undefined, endpoint: undefined } },
    { stanza: '  kubernetes {\n    kubeconfig /k\n  }', api: { kubeconfig: { path: '/k', context: undefined }, endpoint: undefined } },
    { stanza: '  kubernetes {\n    endpoint http://127.0.0.1:8001\n  }', api: { kubeconfig: undefined, endpoint: 'http://127.0.0.1:8001' } },
  ];
  for (const c of cases) assert.deepEqual(parse(`cluster.local {\n${c.stanza}\n}`).api, c.api, c.stanza);
});

test('options: several endpoints use the first, with a warning, as CoreDNS', () => {
  const { directive, ctx } = stanza('. {\n  kubernetes {\n    endpoint https://a:6443 https://b:6443\n  }\n}');
  assert.equal(parseOptions(directive, ctx).api?.endpoint, 'https://a:6443');
  assert.deepEqual((ctx.log as ReturnType<typeof memoryLogger>).lines, [
    `[WARNING] ${FILE}:3: multiple endpoints are deprecated; only the first, 'https://a:6443', is used`,
  ]);
});

const EXCLUSIVE = 'objects (files) and kubeconfig/endpoint (the Kubernetes API) are mutually exclusive';
const NO_CLUSTER = 'kubernetes: not running in a cluster (KUBERNETES_SERVICE_HOST unset) and no kubeconfig/endpoint/objects given';
const LABELS_WITH_OBJECTS = 'labels selects what is read from the Kubernetes API; it cannot be used with objects';

const errors: { corefile: string; error: string }[] = [
  { corefile: 'cluster.local {\n  kubernetes example.org {\n    objects x\n  }\n}', error: "2: kubernetes: zone 'example.org' is not in any zone of its server block" },
  { corefile: '. {\n  kubernetes in-addr.arpa {\n    objects x\n  }\n}', error: '2: kubernetes: non-reverse zone name must be used' },
  { corefile: '. {\n  kubernetes cluster.local\n}', error: `2: ${NO_CLUSTER}` },
  { corefile: '. {\n  kubernetes cluster.local {\n    pods insecure\n  }\n}', error: `2: ${NO_CLUSTER}` },
  { corefile: '. {\n  kubernetes {\n    objects x\n    kubeconfig /root/.kube/config ctx\n  }\n}', error: `4: ${EXCLUSIVE}` },
  { corefile: '. {\n  kubernetes {\n    endpoint https://k8s:6443\n    objects x\n  }\n}', error: `4: ${EXCLUSIVE}` },
  { corefile: '. {\n  kubernetes {\n    kubeconfig a b c\n  }\n}', error: '3: kubeconfig: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    kubeconfig /nonexistent/kubeconfig\n  }\n}', error: "2: kubernetes: kubeconfig /nonexistent/kubeconfig: cannot read: ENOENT: no such file or directory, access '/nonexistent/kubeconfig'" },
  { corefile: '. {\n  kubernetes {\n    endpoint\n  }\n}', error: '3: endpoint: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    endpoint k8s:6443\n  }\n}', error: "3: endpoint: 'k8s:6443' is not an http:// or https:// URL" },
  { corefile: '. {\n  kubernetes {\n    endpoint //k8s\n  }\n}', error: "3: endpoint: '//k8s' is not an http:// or https:// URL" },
  { corefile: '. {\n  kubernetes {\n    labels\n  }\n}', error: '3: labels: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    labels app in (a\n  }\n}', error: "3: unable to parse label selector value: 'app in (a': expected ',' or ')' in 'app in (...)'" },
  { corefile: '. {\n  kubernetes {\n    labels version > 2\n  }\n}', error: `3: unable to parse label selector value: 'version > 2': "gt" isn't supported in label selectors` },
  { corefile: '. {\n  kubernetes {\n    objects x\n    labels app=dns\n  }\n}', error: `4: ${LABELS_WITH_OBJECTS}` },
  { corefile: '. {\n  kubernetes {\n    labels app=dns\n    objects x\n  }\n}', error: `3: ${LABELS_WITH_OBJECTS}` },
  { corefile: '. {\n  kubernetes {\n    objects\n  }\n}', error: '3: objects: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    objects a b\n  }\n}', error: '3: objects: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    namespaces\n  }\n}', error: '3: namespaces: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    pods\n  }\n}', error: '3: pods: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    pods sometimes\n  }\n}', error: '3: wrong value for pods: sometimes, must be one of: disabled, insecure, verified' },
  { corefile: '. {\n  kubernetes {\n    pods insecure {\n    }\n  }\n}', error: '3: pods takes no block' },
  { corefile: '. {\n  kubernetes {\n    endpoint_pod_names yes\n  }\n}', error: '3: endpoint_pod_names takes no arguments' },
  { corefile: '. {\n  kubernetes {\n    noendpoints yes\n  }\n}', error: '3: noendpoints takes no arguments' },
  { corefile: '. {\n  kubernetes {\n    ttl\n  }\n}', error: '3: ttl: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    ttl 3601\n  }\n}', error: '3: ttl must be an integer in range [0, 3600]: 3601' },
  { corefile: '. {\n  kubernetes {\n    ttl -1\n  }\n}', error: '3: ttl must be an integer in range [0, 3600]: -1' },
  { corefile: '. {\n  kubernetes {\n    ttl 5s\n  }\n}', error: '3: ttl must be an integer in range [0, 3600]: 5s' },
  { corefile: '. {\n  kubernetes {\n    ignore\n  }\n}', error: '3: ignore: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    ignore emptyservice\n  }\n}', error: "3: unable to parse ignore value: 'emptyservice'" },
  { corefile: '. {\n  kubernetes {\n    resyncperiod 30s\n  }\n}', error: "3: unknown property 'resyncperiod'" },
];

for (const c of errors) {
  test(`error: ${c.error}`, () => {
    const { directive, ctx } = stanza(c.corefile);
    assert.throws(
      () => setup(directive, ctx),
      (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:${c.error}`,
    );
  });
}

test('setup reads nothing; start serves the objects directory next to the Corefile; stop ends the watch', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdns-kubernetes-'));
  try {
    fs.mkdirSync(path.join(dir, 'cluster'));
    fs.writeFileSync(
      path.join(dir, 'cluster', 'objects.yaml'),
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata: {name: prod}',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: web, namespace: prod}',
        'spec: {clusterIP: 10.0.9.1, ports: [{name: http, port: 80}]}',
      ].join('\n'),
    );
    const parsed = parseCorefile('cluster.local {\n  kubernetes {\n    objects cluster\n  }\n}', path.join(dir, 'Corefile'));
    const block = parsed.blocks[0]!;
    const ctx: SetupContext = setupContext({ zones: ['cluster.local'], listen: ['192.0.2.53'] });
    const plugin = setup(block.directives[0]!, ctx)!;
    const ask = (q: string) => plugin.serve(makeQuery(q), () => assert.fail('no next plugin'));
    assert.equal(plugin.name, 'kubernetes');
    assert.equal(plugin.ready!(), false);
    assert.equal((await ask('web.prod.svc.cluster.local. A')).rcode, RCODE.SERVFAIL, 'nothing served before start');
    await plugin.start!();
    try {
      assert.equal(plugin.ready!(), true);
      assert.deepEqual((await ask('web.prod.svc.cluster.local. A')).answers, [{ name: 'web.prod.svc.cluster.local', type: 'A', ttl: 5, data: '10.0.9.1' }]);
      assert.deepEqual((await ask('ns.dns.cluster.local. A')).answers, [{ name: 'ns.dns.cluster.local', type: 'A', ttl: 5, data: '192.0.2.53' }], 'the bind address');
    } finally {
      await plugin.stop!();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('in a cluster, a stanza without a source follows the API; setup connects to nothing', () => {
  const { directive, ctx } = stanza('cluster.local {\n  kubernetes\n}');
  const plugin = inCluster('10.96.0.1', '443', () => setup(directive, ctx)!);
  assert.equal(plugin.ready!(), false);
  assert.equal((plugin.serve(makeQuery('kubernetes.default.svc.cluster.local. A'), () => assert.fail('no next plugin')) as { rcode: number }).rcode, RCODE.SERVFAIL);
});

test('kubeconfig: start serves the API server’s objects and follows their changes; stop ends the watches', async () => {
  const api = await startFakeApiServer();
  try {
    api.load([namespaceManifest('prod'), serviceManifest('prod', 'web', '10.0.9.1')]);
    const { directive, ctx } = stanza(`cluster.local {\n  kubernetes {\n    kubeconfig ${api.kubeconfigPath}\n  }\n}`);
    const plugin = setup(directive, ctx)!;
    const ask = (q: string) => plugin.serve(makeQuery(q), () => assert.fail('no next plugin')) as { rcode: number; answers: unknown[] };
    assert.equal(api.requests.length, 0, 'setup sends nothing');
    await plugin.start!();
    try {
      assert.equal(plugin.ready!(), true);
      assert.deepEqual(ask('web.prod.svc.cluster.local. A').answers, [{ name: 'web.prod.svc.cluster.local', type: 'A', ttl: 5, data: '10.0.9.1' }]);
      const generation = plugin.generation!();
      api.remove('Service', 'prod', 'web');
      const deadline = Date.now() + 2000;
      while (ask('web.prod.svc.cluster.local. A').rcode !== RCODE.NXDOMAIN) {
        assert.ok(Date.now() < deadline, 'the deletion reaches the answers');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(plugin.generation!() > generation, 'the change is a new generation, so no cache hides it');
    } finally {
      await plugin.stop!();
    }
    assert.equal(api.openWatches, 0);
  } finally {
    await api.stop();
  }
});

test('kubeconfig: a context it does not have fails start with the stanza’s line', async () => {
  const api = await startFakeApiServer();
  try {
    const { directive, ctx } = stanza(`cluster.local {\n  kubernetes {\n    kubeconfig ${api.kubeconfigPath} prod\n  }\n}`);
    const plugin = setup(directive, ctx)!;
    await assert.rejects(plugin.start!(), (err: unknown) => err instanceof ConfigError && err.message === `${FILE}:2: kubernetes: kubeconfig ${api.kubeconfigPath}: no context named 'prod'`);
    await plugin.stop!();
    assert.equal(api.requests.length, 0);
  } finally {
    await api.stop();
  }
});

test('localAddresses: specific bind addresses, else non-loopback interface addresses', () => {
  const nic = (address: string, internal = false) => ({ address, internal, family: address.includes(':') ? 'IPv6' : 'IPv4', netmask: '', mac: '', cidr: null }) as os.NetworkInterfaceInfo;
  const interfaces = { lo: [nic('127.0.0.1', true), nic('::1', true)], eth0: [nic('10.244.0.53'), nic('fe80::1'), nic('FD00::53')] };
  const cases: { listen: string[]; interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>; want: string[] }[] = [
    { listen: ['127.0.0.1', '::1'], interfaces, want: ['127.0.0.1', '::1'] },
    { listen: [], interfaces, want: ['10.244.0.53', 'fd00::53'] },
    { listen: ['0.0.0.0', '::'], interfaces, want: ['10.244.0.53', 'fd00::53'] },
    { listen: [], interfaces: { lo: interfaces.lo }, want: ['127.0.0.1', '::1'] },
  ];
  for (const c of cases) assert.deepEqual(localAddresses(c.listen, c.interfaces), c.want, c.listen.join(' '));
});
