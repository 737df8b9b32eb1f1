// Binds UDP and TCP on the same port for every listen address. Port 0 picks one free port that
// both transports share (tests rely on it). No address means every address: a dual-stack `::`
// socket, or `0.0.0.0` on a machine without IPv6. The handler is swappable under open sockets, so a
// reload hands a listener to the new configuration without a moment in which nobody answers.
import type dgram from 'node:dgram';
import type { Logger } from '../log.js';
import type { MessageHandler } from './handle.js';
import { listenTcp, type TcpListener } from './tcp.js';
import { listenUdp } from './udp.js';

export interface Listening {
  readonly port: number;
  readonly addresses: readonly string[];
  /** Answers every message from now on with `handler`, those of open TCP connections included. */
  use(handler: MessageHandler): void;
  close(): Promise<void>;
}

const PORT_ATTEMPTS = 20;

export async function listen(addresses: readonly string[], port: number, handler: MessageHandler, log: Logger): Promise<Listening> {
  const hosts = addresses.length > 0 ? addresses : [await wildcard()];
  if (port !== 0) return bindAll(hosts, port, handler, log);
  for (let attempt = 1; ; attempt++) {
    try {
      return await bindAll(hosts, 0, handler, log);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === PORT_ATTEMPTS) throw err;
    }
  }
}

async function bindAll(hosts: readonly string[], port: number, handler: MessageHandler, log: Logger): Promise<Listening> {
  let current = handler;
  const relay: MessageHandler = { handle: (message, transport, client) => current.handle(message, transport, client) };
  const udp: dgram.Socket[] = [];
  const tcp: TcpListener[] = [];
  const close = async () => {
    for (const s of udp) s.close();
    await Promise.all(tcp.map((t) => t.close()));
  };
  try {
    for (const host of hosts) {
      const socket = await listenUdp(host, port, relay, log);
      udp.push(socket);
      if (port === 0) port = socket.address().port;
      tcp.push(await listenTcp(host, port, relay, log));
    }
  } catch (err) {
    await close();
    throw err;
  }
  const use = (next: MessageHandler) => {
    current = next;
  };
  return { port, addresses: hosts, use, close };
}

let wildcardHost: Promise<string> | undefined;

/** `::` when this machine can open IPv6 sockets, else `0.0.0.0`. */
function wildcard(): Promise<string> {
  wildcardHost ??= import('node:dgram').then(
    (dgramModule) =>
      new Promise<string>((resolve) => {
        const probe = dgramModule.createSocket('udp6');
        probe.once('error', () => resolve('0.0.0.0'));
        probe.bind({ address: '::', port: 0 }, () => probe.close(() => resolve('::')));
      }),
  );
  return wildcardHost;
}
