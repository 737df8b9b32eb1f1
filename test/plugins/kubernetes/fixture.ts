// The cluster the kubernetes plugin tests ask about, loosely modelled on CoreDNS's test data
// (testns/svc1, hdls1, external, …) plus what the conformance checklist rows need.
import type { KubeObject } from '../../../src/kube/objects.js';
import { endpoint, namespace, pod, port, service, slice } from '../../kube/build.js';

const http = port('http', 80);

export const fixture: KubeObject[] = [
  namespace('default'),
  namespace('kube-system'),
  namespace('testns'),
  namespace('podns'),
  namespace('unexposedns'),

  service('default', 'kubernetes', { clusterIPs: ['10.96.0.1'], ports: [port('https', 443)] }),
  slice('default', 'kubernetes', 'kubernetes', [endpoint('192.168.0.1')], [port('https', 6443)]),
  service('default', '1kubernetes', { clusterIPs: ['10.96.0.11'], ports: [port('https', 443)] }),
  service('default', 'headless', { clusterIPs: ['None'], ports: [http] }),
  slice('default', 'headless-v4', 'headless', [endpoint('10.3.0.100', { hostname: 'my-pet' }), endpoint('10.3.0.101')], [http]),
  slice('default', 'headless-v6', 'headless', [endpoint('fd00::100', { hostname: 'my-pet' })], [http]),

  service('kube-system', 'kube-dns', {
    clusterIPs: ['10.96.0.10'],
    ports: [port('dns', 53, 'UDP'), port('dns-tcp', 53, 'TCP'), port('metrics', 9153)],
  }),
  slice('kube-system', 'kube-dns-x1', 'kube-dns', [endpoint('10.244.0.53')], [port('dns', 53, 'UDP'), port('dns-tcp', 53, 'TCP')]),

  service('testns', 'svc1', { clusterIPs: ['10.0.0.1'], ports: [http] }),
  slice('testns', 'svc1-aaaaa', 'svc1', [endpoint('10.0.0.100', { hostname: 'ep1a' }), endpoint('10.0.0.99')], [http]),
  slice('testns', 'svc1-bbbbb', 'svc1', [endpoint('fd00:77:30::a', { hostname: 'ip6svc1ex' })], [http]),
  slice('testns', 'svc1-ccccc', 'svc1', [endpoint('10.0.0.100', { hostname: 'ep1a' })], [http]),
  service('testns', 'svc2', { clusterIPs: ['10.0.0.2'], ports: [http] }),
  // 10.0.0.3 is also svc-dual-stack's ClusterIP: its PTR must name the service only.
  slice('testns', 'svc2-aaaaa', 'svc2', [endpoint('10.0.0.99'), endpoint('10.0.0.3', { hostname: 'shadowed' })], [http]),
  service('testns', 'svcempty', { clusterIPs: ['10.0.0.4'], ports: [http] }),
  slice('testns', 'svcempty-aaaaa', 'svcempty', [endpoint('172.0.0.90', { ready: false })], [http]),
  service('testns', 'svc6', { clusterIPs: ['1234:abcd::1'], ports: [http] }),
  service('testns', 'svc-dual-stack', { clusterIPs: ['10.0.0.3', '10::3'], ports: [http] }),
  service('testns', 'svc-unnamed', { clusterIPs: ['10.0.0.6'], ports: [port('', 8080)] }),

  service('testns', 'hdls1', { clusterIPs: ['None'], ports: [http] }),
  slice(
    'testns',
    'hdls1-v4',
    'hdls1',
    [
      endpoint('172.0.0.2', { podName: 'hdls1-pod-a' }),
      endpoint('172.0.0.3'),
      endpoint('172.0.0.4', { hostname: 'dup-name' }),
      endpoint('172.0.0.5', { hostname: 'dup-name' }),
      endpoint('172.0.0.9', { hostname: 'notready', ready: false }),
    ],
    [http],
  ),
  slice('testns', 'hdls1-v6', 'hdls1', [endpoint('5678:abcd::1'), endpoint('5678:abcd::2')], [http]),
  service('testns', 'hdlsprtls', { clusterIPs: ['None'] }),
  slice('testns', 'hdlsprtls-aaaaa', 'hdlsprtls', [endpoint('172.0.0.20')]),
  service('testns', 'hdls-notready', { clusterIPs: ['None'], ports: [http] }),
  slice('testns', 'hdls-notready-aaaaa', 'hdls-notready', [endpoint('172.0.0.30', { ready: false })], [http]),
  service('testns', 'hdls-pnra', { clusterIPs: ['None'], ports: [http], publishNotReadyAddresses: true }),
  slice('testns', 'hdls-pnra-aaaaa', 'hdls-pnra', [endpoint('172.0.0.31', { ready: false }), endpoint('172.0.0.32')], [http]),
  service('testns', 'dns-test-service-2', { clusterIPs: ['None'], ports: [http] }),
  slice('testns', 'dns-test-service-2-aaaaa', 'dns-test-service-2', [endpoint('10.244.1.12', { hostname: 'dns-querier-2' })], [http]),

  service('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: [http] }),
  service('testns', 'external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.', ports: [http] }),
  service('testns', 'external-chain', { type: 'ExternalName', externalName: 'external.testns.svc.cluster.local' }),
  service('testns', 'external-to-headless', { type: 'ExternalName', externalName: 'hdls1.testns.svc.cluster.local' }),
  service('testns', 'external-to-missing', { type: 'ExternalName', externalName: 'svc0.testns.svc.cluster.local' }),
  service('testns', 'external-loop', { type: 'ExternalName', externalName: 'external-loop.testns.svc.cluster.local' }),
  service('testns', 'extip', { type: 'ExternalName', externalName: '1.2.3.4' }),

  service('unexposedns', 'svc1', { clusterIPs: ['10.0.0.200'], ports: [http] }),
  slice('unexposedns', 'svc1-aaaaa', 'svc1', [endpoint('10.0.0.201', { hostname: 'hidden' })], [http]),

  pod('podns', 'foo', '10.240.0.1'),
  pod('podns', 'bar', 'fd00:10:244::5'),
  pod('testns', 'tp', '172.0.0.2'),
];
