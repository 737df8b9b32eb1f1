// The ceiling of any Node DNS server on this machine: a UDP socket that answers every datagram with
// one fixed, pre-built response whose ID is patched to the query's. No parsing, no lookup, no
// encoding: what remains is Node's datagram receive and send. Run as `node bare-node.js PORT`.
// Design decision: the response is a real answer (an A record for a cluster name), so dnsperf
// counts it as NOERROR and its size is that of a typical in-cluster answer.
import dgram from 'node:dgram';
import packet from 'dns-packet';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: bare-node.js PORT');

const name = 'svc-000000.ns-0000.svc.cluster.local';
const response = packet.encode({
  type: 'response',
  id: 0,
  flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED,
  questions: [{ type: 'A', name }],
  answers: [{ type: 'A', name, ttl: 5, data: '10.96.0.1' }],
});

const socket = dgram.createSocket('udp4');
socket.on('message', (query, from) => {
  if (query.length < 2) return;
  // A copy per reply: a send may still hold the previous one when the next query arrives.
  const reply = Buffer.from(response);
  reply[0] = query[0]!;
  reply[1] = query[1]!;
  socket.send(reply, from.port, from.address);
});
socket.bind(port, '127.0.0.1');
process.on('SIGTERM', () => socket.close());
