// End to end: the real server forwarding to Debian's unbound (a real resolver serving test zones on
// loopback) and to scripted upstreams (for faults). Covers forwarding, stub domains in one and in
// two server blocks, TC→TCP retry, fail-over and health recovery, spoofed answers ignored,
// max_concurrent, `next`, ExternalName targets and unknown PTRs handed from kubernetes to forward,
// EDNS as the client asked, the question's letter case, and a resolv.conf-style TO.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RCODE } from '../../src/dns/types.js';
import type { DecodedMessage } from '../../src/dns/wire.js';
import { zoneText } from '../support/dns-client.js';
import { startServer, type TestServer } from '../support/server.js';
import { startUnbound, unboundSkipReason, type Unbound } from '../support/unbound.js';
import { FORGED_ADDRESS, ScriptedUpstream } from '../support/upstream.js';
import { fixtureFiles } from './support.js';

const TXT_COUNT = 40;
const ZONES = {
  'example.test': [
    'example.test. 60 IN SOA ns.example.test. hostmaster.example.test. 1 3600 900 86400 30',
    'www.example.test. 60 IN A 192.0.2.10',
    ...Array.from({ length: TXT_COUNT }, (_, i) => `big.example.test. 60 IN TXT "record ${i} ${'x'.repeat(60)}"`),
  ],
  'interwebs.test': ['ext.interwebs.test. 60 IN A 192.0.2.20'],
  '2.0.192.in-addr.arpa': ['7.2.0.192.in-addr.arpa. 60 IN PTR printer.example.test.'],
};

const servers: TestServer[] = [];
const upstreams: ScriptedUpstream[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const u of upstreams) await u.stop();
});

/** The real server with one `.` block bound to 127.0.0.1 holding `body`. */
async function serve(body: string, files: Record<string, string> = {}): Promise<TestServer> {
  const server = await startServer(`. {\n  bind 127.0.0.1\n${body}\n}\n`, files);
  servers.push(server);
  return server;
}

async function scripted(host?: string, port?: number): Promise<ScriptedUpstream> {
  const u = await ScriptedUpstream.start(host, port);
  upstreams.push(u);
  u.script('www.consul.local', { answers: [{ name: '', type: 'A', ttl: 30, data: '10.150.0.7' }] });
  return u;
}

const records = (m: DecodedMessage) => m.answers.map(zoneText);

describe('forwarding to unbound', { skip: unboundSkipReason() }, () => {
  let unbound: Unbound;
  before(async () => {
    unbound = await startUnbound({ zones: ZONES });
  });
  after(() => unbound?.stop());

  test('an external name is answered by the upstream over UDP and TCP: AA clear, RA set, the question as asked', async () => {
    const server = await serve(`  forward . ${unbound.upstream}`);
    for (const transport of ['udp', 'tcp'] as const) {
      const m = await server.query('WwW.ExAmPlE.tEsT', 'A', { transport });
      assert.deepEqual(m.questions, [{ name: 'WwW.ExAmPlE.tEsT', type: 'A', class: 1 }], transport);
      assert.deepEqual({ rcode: m.rcode, aa: m.aa, ra: m.ra, tc: m.tc }, { rcode: RCODE.NOERROR, aa: false, ra: true, tc: false }, transport);
      assert.deepEqual(records(m), ['WwW.ExAmPlE.tEsT. 60 IN A 192.0.2.10'], transport);
    }
    const nx = await server.query('nope.example.test', 'A');
    assert.equal(nx.rcode, RCODE.NXDOMAIN);
    assert.deepEqual(nx.authority.map((rr) => rr.type), ['SOA']);
  });

  test('EDNS as the client asked: an OPT of ours only when the client sent one', async () => {
    const server = await serve(`  forward . ${unbound.upstream}`);
    const plain = await server.query('www.example.test', 'A');
    assert.equal(plain.edns, undefined);
    const edns = await server.query('www.example.test', 'A', { edns: { udpSize: 4096, do: true } });
    assert.deepEqual(edns.edns, { udpSize: 1232, version: 0, do: true, extendedRcode: 0 });
  });

  test('an answer too big for UDP: the TC answer is asked again over TCP, so a client with room gets it all over UDP', async () => {
    const server = await serve(`  forward . ${unbound.upstream}`);
    const roomy = await server.query('big.example.test', 'TXT', { edns: { udpSize: 8192 } });
    assert.deepEqual([roomy.tc, roomy.answers.length], [false, TXT_COUNT]);
    const small = await server.query('big.example.test', 'TXT');
    assert.deepEqual([small.tc, small.answers.length], [true, 0]);
    const tcp = await server.query('big.example.test', 'TXT', { transport: 'tcp' });
    assert.deepEqual([tcp.tc, tcp.answers.length], [false, TXT_COUNT]);
  });

  test('stub domains in one server block: consul.local to its own upstream, the rest to unbound', async () => {
    const consul = await scripted();
    const server = await serve(`  forward consul.local ${consul.address}\n  forward . ${unbound.upstream}`);
    assert.deepEqual(records(await server.query('www.consul.local', 'A')), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.deepEqual(records(await server.query('www.example.test', 'A')), ['www.example.test. 60 IN A 192.0.2.10']);
    assert.equal(consul.count('www.example.test'), 0);
  });

  test('stub domains in two server blocks on one port', async () => {
    const consul = await scripted();
    const corefile = `consul.local {\n  bind 127.0.0.1\n  forward . ${consul.address}\n}\n. {\n  bind 127.0.0.1\n  forward . ${unbound.upstream}\n}\n`;
    const server = await startServer(corefile);
    servers.push(server);
    assert.deepEqual(records(await server.query('www.consul.local', 'A')), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.deepEqual(records(await server.query('www.example.test', 'A', { transport: 'tcp' })), ['www.example.test. 60 IN A 192.0.2.10']);
  });

  test('an ExternalName target outside the cluster is resolved upstream and follows the CNAME; an unknown PTR falls through to forward', async () => {
    const server = await serve(
      `  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    objects cluster\n    fallthrough in-addr.arpa ip6.arpa\n  }\n  forward . ${unbound.upstream}`,
      fixtureFiles(),
    );
    const m = await server.query('external.testns.svc.cluster.local', 'A');
    assert.deepEqual(records(m), ['external.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 60 IN A 192.0.2.20']);
    assert.equal(m.aa, true);
    const unknown = await server.query('7.2.0.192.in-addr.arpa', 'PTR');
    assert.deepEqual([records(unknown), unknown.aa], [['7.2.0.192.in-addr.arpa. 60 IN PTR printer.example.test.'], false]);
    const known = await server.query('1.0.0.10.in-addr.arpa', 'PTR');
    assert.deepEqual([records(known), known.aa], [['1.0.0.10.in-addr.arpa. 5 IN PTR svc1.testns.svc.cluster.local.'], true]);
  });
});

describe('forwarding to scripted upstreams', () => {
  test('a TCP client is forwarded over TCP, a UDP client over UDP', async () => {
    const u = await scripted();
    const server = await serve(`  forward . ${u.address}`);
    await server.query('www.consul.local', 'A', { transport: 'tcp' });
    await server.query('www.consul.local', 'A');
    assert.deepEqual(u.received.map((r) => r.transport), ['tcp', 'udp']);
  });

  test('spoofed answers (wrong source port, ID or question) are ignored; a forgery alone ends in SERVFAIL', async () => {
    const u = await scripted();
    for (const how of ['source', 'id', 'question'] as const) {
      u.script(`${how}.spoof.test`, { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.30' }], forge: { how } });
    }
    u.script('only.spoof.test', { answers: [], forge: { how: 'source', only: true } });
    const server = await serve(`  forward . ${u.address}`);
    for (const how of ['source', 'id', 'question']) {
      assert.deepEqual(records(await server.query(`${how}.spoof.test`, 'A')), [`${how}.spoof.test. 30 IN A 192.0.2.30`], how);
    }
    const m = await server.query('only.spoof.test', 'A', { timeoutMs: 4000 });
    assert.equal(m.rcode, RCODE.SERVFAIL);
    assert.ok(!JSON.stringify(m).includes(FORGED_ADDRESS));
  });

  test('fail-over to the next upstream when one is silent; it is marked down, then used again once it answers', async () => {
    const first = await scripted();
    const second = await scripted();
    first.script('www.consul.local', { answers: [{ name: '', type: 'A', ttl: 30, data: '10.150.0.1' }] });
    const server = await serve(`  forward . ${first.address} ${second.address} {\n    policy sequential\n    health_check 100ms\n  }`);
    first.down = true;
    const started = Date.now();
    assert.deepEqual(records(await server.query('www.consul.local', 'A', { timeoutMs: 4000 })), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.ok(Date.now() - started >= 1900, 'after the 2 s read timeout');

    // Two failed health checks (1 s each) mark it down: queries then go to the second at once.
    while (first.count('') < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const asked = first.count('www.consul.local');
    const quick = Date.now();
    assert.deepEqual(records(await server.query('www.consul.local', 'A')), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.ok(Date.now() - quick < 500, 'the down upstream is not waited for');
    assert.equal(first.count('www.consul.local'), asked);

    first.down = false;
    const deadline = Date.now() + 3000;
    let answer: string[] = [];
    while (Date.now() < deadline && answer[0] !== 'www.consul.local. 30 IN A 10.150.0.1') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = records(await server.query('www.consul.local', 'A'));
    }
    assert.deepEqual(answer, ['www.consul.local. 30 IN A 10.150.0.1'], 'back in use after answering a health check');
  });

  test('max_concurrent: queries beyond the bound are REFUSED', async () => {
    const u = await scripted();
    u.script('slow.consul.local', { answers: [{ name: '', type: 'A', ttl: 30, data: '10.150.0.8' }], delayMs: 300 });
    const server = await serve(`  forward . ${u.address} {\n    max_concurrent 2\n  }`);
    const replies = await Promise.all([1, 2, 3].map(() => server.query('slow.consul.local', 'A')));
    assert.deepEqual(replies.map((m) => m.rcode).sort(), [RCODE.NOERROR, RCODE.NOERROR, RCODE.REFUSED]);
  });

  test('next NXDOMAIN: the next forward answers what the first does not know', async () => {
    const first = await scripted();
    const second = await scripted();
    second.script('only.second.test', { answers: [{ name: '', type: 'A', ttl: 30, data: '192.0.2.40' }] });
    const server = await serve(`  forward . ${first.address} {\n    next NXDOMAIN\n  }\n  forward . ${second.address}`);
    assert.deepEqual(records(await server.query('only.second.test', 'A')), ['only.second.test. 30 IN A 192.0.2.40']);
    assert.equal(first.count('only.second.test'), 1);
    assert.deepEqual(records(await server.query('www.consul.local', 'A')), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.equal(second.count('www.consul.local'), 0);
  });
});

describe('forward . RESOLV_CONF', () => {
  // A resolv.conf names no port, so its upstream must listen on 53: on an address of its own.
  let upstream: ScriptedUpstream | undefined;
  let why: string | undefined;
  before(async () => {
    try {
      upstream = await scripted('127.0.0.153', 53);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (process.env.CI === 'true' || (code !== 'EACCES' && code !== 'EADDRINUSE')) throw err;
      why = `127.0.0.153:53 is not available here (${code}); CI runs this test as root`;
    }
  });

  test('kubeadm’s Corefile: external names go to the nameservers of a resolv.conf-style file, answers are cached', async (t) => {
    if (!upstream) return t.skip(why);
    // kubeadm's default Corefile, less the directives clusterdns does not have yet (health, ready, prometheus, reload).
    const server = await serve(
      [
        '  errors',
        '  kubernetes cluster.local in-addr.arpa ip6.arpa {',
        '    objects cluster',
        '    pods insecure',
        '    fallthrough in-addr.arpa ip6.arpa',
        '    ttl 30',
        '  }',
        '  forward . resolv.conf {',
        '    max_concurrent 1000',
        '  }',
        '  cache 30',
        '  loop',
        '  loadbalance',
      ].join('\n'),
      { ...fixtureFiles(), 'resolv.conf': 'search default.svc.cluster.local\nnameserver 127.0.0.153\noptions ndots:5\n' },
    );
    for (let i = 0; i < 2; i++) assert.deepEqual(records(await server.query('www.consul.local', 'A')), ['www.consul.local. 30 IN A 10.150.0.7']);
    assert.equal(upstream.count('www.consul.local'), 1, 'the second answer came from the cache');
    assert.deepEqual(records(await server.query('svc1.testns.svc.cluster.local', 'A')), ['svc1.testns.svc.cluster.local. 30 IN A 10.0.0.1']);
    assert.equal(server.app.ready(), true);
  });
});
