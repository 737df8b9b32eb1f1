// One query over UDP: a fresh socket on a random port per query (the source port is the other half
// of what a spoofer must guess), kept unconnected so that datagrams from any other address or port
// reach us and can be counted as ignored, instead of being dropped unseen by the kernel.
import dgram from 'node:dgram';
import type { Endpoint } from './endpoint.js';
import { UpstreamError } from './failure.js';
import { countIgnored } from './metrics.js';
import { mismatch, queryMessage, randomId, type UpstreamQuery } from './query.js';

export function exchangeUdp(to: Endpoint, q: UpstreamQuery, timeoutMs: number): Promise<Buffer> {
  const socket = dgram.createSocket(to.address.includes(':') ? 'udp6' : 'udp4');
  const id = randomId();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: UpstreamError | undefined, answer?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(answer!);
    };
    const timer = setTimeout(() => finish(new UpstreamError('timeout', `no answer from ${to.label} over UDP within ${timeoutMs} ms`)), timeoutMs);
    socket.on('message', (message, from) => {
      if (from.address !== to.address || from.port !== to.port) return countIgnored(to.label, 'source');
      const wrong = mismatch(message, id, q.question);
      if (wrong) return countIgnored(to.label, wrong);
      finish(undefined, message);
    });
    socket.on('error', (err) => finish(new UpstreamError('network', `${to.label} over UDP: ${err.message}`)));
    socket.send(queryMessage(id, q), to.port, to.address, (err) => {
      if (err) finish(new UpstreamError('network', `${to.label} over UDP: ${err.message}`));
    });
  });
}
