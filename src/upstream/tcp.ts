// Queries over TCP to one upstream (RFC 7766): connections are kept open and shared, queries are
// pipelined on them and their answers matched by ID and question, whatever order they come in.
// A connection with nothing in flight closes after `expireMs`. A query whose reused connection
// turns out to be closed or reset by the upstream (an idle close crossing our query) is sent once
// more on a new connection, so a server's idle timeout never costs a client an answer.
import net from 'node:net';
import { FrameReader, frame } from '../dns/framing.js';
import type { Endpoint } from './endpoint.js';
import { UpstreamError } from './failure.js';
import { countConnection, countIgnored } from './metrics.js';
import { mismatch, queryMessage, randomId, type UpstreamQuery } from './query.js';

/** Queries in flight on one connection before another is opened beside it. */
const PIPELINE_DEPTH = 128;

export class TcpChannel {
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly to: Endpoint,
    private readonly expireMs: number,
  ) {}

  /** Connections open now, for tests that check reuse and idle close. */
  get open(): number {
    return this.connections.size;
  }

  async exchange(q: UpstreamQuery, timeoutMs: number): Promise<Buffer> {
    const started = Date.now();
    const reusable = this.reusable();
    const conn = reusable ?? this.fresh();
    try {
      return await conn.send(q, timeoutMs);
    } catch (err) {
      const left = timeoutMs - (Date.now() - started);
      if (!reusable || !(err instanceof UpstreamError) || err.kind === 'timeout' || left <= 0) throw err;
      return this.fresh().send(q, left);
    }
  }

  close(): void {
    for (const c of this.connections) c.destroy();
  }

  private reusable(): Connection | undefined {
    for (const c of this.connections) {
      if (c.usable && c.inFlight < PIPELINE_DEPTH) {
        countConnection(this.to.label, 'tcp', true);
        return c;
      }
    }
    return undefined;
  }

  private fresh(): Connection {
    countConnection(this.to.label, 'tcp', false);
    const c = new Connection(this.to, this.expireMs, () => this.connections.delete(c));
    this.connections.add(c);
    return c;
  }
}

interface Pending {
  readonly question: Buffer;
  readonly resolve: (answer: Buffer) => void;
  readonly reject: (error: UpstreamError) => void;
  readonly timer: NodeJS.Timeout;
}

class Connection {
  private readonly socket: net.Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly frames = new FrameReader();
  private idle: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly to: Endpoint,
    private readonly expireMs: number,
    private readonly onClose: () => void,
  ) {
    this.socket = net.connect({ host: to.address, port: to.port, noDelay: true });
    this.socket.on('data', (chunk) => this.receive(chunk));
    this.socket.on('error', (err) => this.fail('network', `${to.label} over TCP: ${err.message}`));
    this.socket.on('close', () => this.fail('closed', `${to.label} closed the TCP connection`));
    this.socket.on('end', () => this.socket.end());
  }

  get inFlight(): number {
    return this.pending.size;
  }

  get usable(): boolean {
    return !this.closed && !this.socket.destroyed && this.socket.writable;
  }

  send(q: UpstreamQuery, timeoutMs: number): Promise<Buffer> {
    clearTimeout(this.idle);
    let id = randomId();
    while (this.pending.has(id)) id = randomId();
    const message = queryMessage(id, q);
    const framed = frame(message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(id);
        reject(new UpstreamError('timeout', `no answer from ${this.to.label} over TCP within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { question: q.question, resolve, reject, timer });
      this.socket.write(framed);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    // Copied: the answer outlives the stream buffer it was cut from.
    this.frames.push(chunk, (message) => this.answer(Buffer.from(message)));
  }

  private answer(message: Buffer): void {
    const id = message.length >= 2 ? message.readUInt16BE(0) : -1;
    const p = this.pending.get(id);
    const wrong = p ? mismatch(message, id, p.question) : 'id';
    if (wrong || !p) {
      countIgnored(this.to.label, wrong ?? 'id');
      return;
    }
    this.settle(id);
    p.resolve(message);
  }

  // Forgets a query that was answered or timed out; the last one out starts the idle clock.
  private settle(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.closed) {
      this.idle = setTimeout(() => this.socket.destroy(), this.expireMs);
      this.idle.unref();
    }
  }

  private fail(kind: 'network' | 'closed', why: string): void {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.idle);
      this.onClose();
    }
    this.socket.destroy();
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(new UpstreamError(kind, why));
    }
  }
}
