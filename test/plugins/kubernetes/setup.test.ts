// The `kubernetes` stanza: options parsed from Corefile snippets, errors naming file and line,
// and the plugin's life (nothing read before start, files served after it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseCorefile } from '../../../src/config/parse.js';
import { RCODE } from '../../../src/dns/types.js';
import { ConfigError } from '../../../src/errors.js';
import { memoryLogger } from '../../../src/log.js';
import type { SetupContext } from '../../../src/plugin.js';
import { localAddresses, setup } from '../../../plugins/kubernetes/index.js';
import { parseOptions } from '../../../plugins/kubernetes/options.js';
import { makeQuery } from './harness.js';

const FILE = '/etc/coredns/Corefile';

/** The first directive of the first block, with the context its setup sees. */
function stanza(corefile: string, listen: string[] = []) {
  const parsed = parseCorefile(corefile, FILE);
  const block = parsed.blocks[0]!;
  const ctx: SetupContext = { zones: block.keys.map((k) => k.zone), port: 53, log: memoryLogger(), listen };
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

const LIVE = 'the live Kubernetes API source is not supported yet; use objects PATH';

const errors: { corefile: string; error: string }[] = [
  { corefile: 'cluster.local {\n  kubernetes example.org {\n    objects x\n  }\n}', error: "2: kubernetes: zone 'example.org' is not in any zone of its server block" },
  { corefile: '. {\n  kubernetes in-addr.arpa {\n    objects x\n  }\n}', error: '2: kubernetes: non-reverse zone name must be used' },
  { corefile: '. {\n  kubernetes cluster.local\n}', error: `2: kubernetes: ${LIVE}` },
  { corefile: '. {\n  kubernetes cluster.local {\n    pods insecure\n  }\n}', error: `2: kubernetes: ${LIVE}` },
  { corefile: '. {\n  kubernetes {\n    objects x\n    kubeconfig /root/.kube/config ctx\n  }\n}', error: `4: kubeconfig: ${LIVE}` },
  { corefile: '. {\n  kubernetes {\n    kubeconfig a b c\n  }\n}', error: '3: kubeconfig: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    endpoint https://k8s:6443\n  }\n}', error: `3: endpoint: ${LIVE}` },
  { corefile: '. {\n  kubernetes {\n    endpoint\n  }\n}', error: '3: endpoint: wrong argument count' },
  { corefile: '. {\n  kubernetes {\n    labels app=dns\n  }\n}', error: `3: labels: ${LIVE}` },
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
    const ctx: SetupContext = { zones: ['cluster.local'], port: 53, log: memoryLogger(), listen: ['192.0.2.53'] };
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
