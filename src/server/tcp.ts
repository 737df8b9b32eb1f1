// TCP listener per RFC 7766: 2-byte length framing, several queries per connection answered as
// they complete (pipelining, matched by ID), an idle timeout, Nagle off (it costs 10x at p50).
import net from 'node:net';
import { FrameReader, frame } from '../dns/framing.js';
import type { Logger } from '../log.js';
import type { MessageHandler } from './handle.js';
import { peerAddress } from './peer.js';

export interface TcpOptions {
  /** Close a connection with no query in flight after this long without traffic (CoreDNS: 10 s). */
  idleMs: number;
  /** Stop reading from a connection while this many of its queries are in flight. */
  maxInFlight: number;
}

export const defaultTcpOptions: TcpOptions = { idleMs: 10_000, maxInFlight: 128 };

export interface TcpListener {
  readonly server: net.Server;
  /** Stops accepting; open connections finish their queries in flight, then close. */
  close(): Promise<void>;
}

export function listenTcp(host: string, port: number, handler: MessageHandler, log: Logger, options = defaultTcpOptions): Promise<TcpListener> {
  const connections = new Set<Connection>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const conn = new Connection(socket, handler, options);
    connections.add(conn);
    socket.on('close', () => connections.delete(conn));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true, ipv6Only: false }, () => {
      server.off('error', reject);
      server.on('error', (err) => log.error(`tcp ${host}:${port}: ${err.message}`));
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const c of connections) c.drain();
          }),
      });
    });
  });
}

class Connection {
  private readonly frames = new FrameReader();
  private inFlight = 0;
  private draining = false;
  private readonly client: { address: string; port: number };

  constructor(
    private readonly socket: net.Socket,
    private readonly handler: MessageHandler,
    private readonly options: TcpOptions,
  ) {
    this.client = { address: peerAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
    socket.setNoDelay(true);
    socket.setTimeout(options.idleMs);
    socket.on('timeout', () => {
      if (this.inFlight === 0) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => this.receive(chunk));
  }

  /** Close once the queries in flight are answered. */
  drain(): void {
    this.draining = true;
    this.socket.pause();
    if (this.inFlight === 0) this.socket.end();
  }

  private receive(chunk: Buffer): void {
    this.frames.push(chunk, (message) => this.answer(message));
  }

  private answer(message: Buffer): void {
    this.inFlight++;
    if (this.inFlight >= this.options.maxInFlight) this.socket.pause();
    const out = this.handler.handle(message, 'tcp', this.client);
    if (out instanceof Promise) out.then((wire) => this.reply(wire));
    else this.reply(out);
  }

  private reply(wire: Buffer | undefined): void {
    this.inFlight--;
    if (wire && !this.socket.destroyed) this.socket.write(frame(wire));
    if (this.draining) {
      if (this.inFlight === 0) this.socket.end();
    } else if (this.inFlight < this.options.maxInFlight && this.socket.isPaused()) {
      this.socket.resume();
    }
  }
}
