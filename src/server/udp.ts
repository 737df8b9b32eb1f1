// UDP listener: one datagram, one reply. Send errors (the client went away, the socket closed
// meanwhile) are not our failure.
import dgram from 'node:dgram';
import type { Logger } from '../log.js';
import type { MessageHandler } from './handle.js';
import { peerAddress } from './peer.js';

export function listenUdp(host: string, port: number, handler: MessageHandler, log: Logger): Promise<dgram.Socket> {
  const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', reject);
      socket.on('error', (err) => log.error(`udp ${host}:${port}: ${err.message}`));
      socket.on('message', (msg, rinfo) => {
        const client = { address: peerAddress(rinfo.address), port: rinfo.port };
        const out = handler.handle(msg, 'udp', client);
        if (out instanceof Promise) out.then((wire) => wire && send(socket, wire, rinfo));
        else if (out) send(socket, out, rinfo);
      });
      resolve(socket);
    });
  });
}

function send(socket: dgram.Socket, wire: Buffer, to: dgram.RemoteInfo): void {
  try {
    socket.send(wire, to.port, to.address, () => undefined);
  } catch {
    // The listener closed while this answer was on its way (a forwarded query outliving a reload
    // or shutdown): the client will retry, there is nobody to tell.
  }
}
