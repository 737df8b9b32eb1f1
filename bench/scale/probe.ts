// DNS questions for the scale benchmark over one UDP socket: many may be in flight, each matched
// to its reply by message id. Design decision: one socket for the whole run, so polling a name
// until its answer changes costs a round trip per attempt and nothing else, and the measured
// latency is the server's, not socket set-up's.
import dgram from 'node:dgram';
import { decodeMessage, encodeQuery, type DecodedMessage } from '../../src/dns/wire.js';

export class Prober {
  private readonly socket = dgram.createSocket('udp4');
  private readonly pending = new Map<number, (m: DecodedMessage | undefined) => void>();
  private nextId = 1;

  constructor(private readonly port: number) {
    this.socket.on('message', (wire) => {
      const m = decodeMessage(wire);
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m);
    });
  }

  /** The reply, or undefined when none came within `timeoutMs`. */
  ask(name: string, type: string, timeoutMs = 1000): Promise<DecodedMessage | undefined> {
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.socket.send(encodeQuery({ id, name, type, rd: true }), this.port, '127.0.0.1');
    });
  }

  /** Whether `name` answers A with exactly `address`. */
  async answers(name: string, address: string, timeoutMs?: number): Promise<boolean> {
    const m = await this.ask(name, 'A', timeoutMs);
    return m !== undefined && m.rcode === 0 && m.answers.length === 1 && m.answers[0]!.data === address;
  }

  close(): void {
    this.socket.close();
  }
}
