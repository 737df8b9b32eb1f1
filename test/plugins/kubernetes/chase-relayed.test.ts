// Checklist row 6.2 when the next plugin is forward: the answer for an ExternalName's target comes
// back as a relayed upstream message, and its answer records follow the CNAME all the same.
import { authoritative } from '../../../src/dns/reply.js';
import { RCODE, type Reply, type RR } from '../../../src/dns/types.js';
import type { Query } from '../../../src/plugin.js';
import { relayed } from '../../dns/relayed.js';
import { harness, type Harness } from './harness.js';
import { table } from './harness.js';

const EXTERNAL = 'external.testns.svc.cluster.local.';
const EXTERNAL_CNAME = `${EXTERNAL} 5 IN CNAME ext.interwebs.test.`;
const TARGET = 'ext.interwebs.test';

/** What forward hands back: the upstream's whole message for the question asked. */
function forwarded(r: Reply): (q: Query) => Reply {
  return (q) => ({ ...relayed(q.name, q.type, r, { do: false }), authoritative: false, recursionAvailable: true });
}

function withUpstream(next: (q: Query) => Reply): () => Promise<Harness> {
  return async () => {
    const h = await harness();
    h.upstream = next;
    return h;
  };
}

const a: RR = { name: TARGET, type: 'A', ttl: 30, data: '1.2.3.4' };

/** The forwarded answer with an MX record (owner: the question's name) put before the A record. */
function withMx(q: Query): Reply {
  const r = forwarded(authoritative(RCODE.NOERROR, [a]))(q);
  const message = r.relayed!.message;
  const questionEnd = 12 + q.name.length + 2 + 4;
  const mx = Buffer.from([0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 30, 0, 8, 0, 10, 4, ...Buffer.from('mail'), 0]);
  const spliced = Buffer.concat([message.subarray(0, questionEnd), mx, message.subarray(questionEnd)]);
  spliced.writeUInt16BE(2, 6);
  return { ...r, relayed: { message: spliced, answerCount: 2 } };
}

table(
  'ExternalName services, upstream answers relayed',
  [
    {
      row: '6.2',
      q: `${EXTERNAL} A`,
      answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'],
      ordered: true,
      asked: ['ext.interwebs.test. A'],
    },
    {
      row: '6.2',
      q: 'ExTeRnAl.testns.svc.cluster.local. A',
      answer: ['ExTeRnAl.testns.svc.cluster.local. 5 IN CNAME ext.interwebs.test.', 'ext.interwebs.test. 30 IN A 1.2.3.4'],
      ordered: true,
      asked: ['ext.interwebs.test. A'],
    },
  ],
  withUpstream(forwarded(authoritative(RCODE.NOERROR, [a]))),
);

table(
  'ExternalName services, relayed NXDOMAIN',
  [{ row: '6.2', q: `${EXTERNAL} A`, rcode: 'NXDOMAIN', answer: [EXTERNAL_CNAME], asked: ['ext.interwebs.test. A'] }],
  withUpstream(forwarded(authoritative(RCODE.NXDOMAIN, []))),
);

table(
  'ExternalName services, relayed and truncated',
  [{ row: '6.2', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'], ordered: true, truncated: true, asked: ['ext.interwebs.test. A'] }],
  withUpstream(forwarded({ ...authoritative(RCODE.NOERROR, [a]), truncated: true })),
);

table(
  'ExternalName services, relayed records of a type the reply model lacks',
  [{ row: '6.2', q: `${EXTERNAL} A`, answer: [EXTERNAL_CNAME, 'ext.interwebs.test. 30 IN A 1.2.3.4'], ordered: true, asked: ['ext.interwebs.test. A'] }],
  withUpstream(withMx),
);
