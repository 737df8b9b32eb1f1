// One upstream server: its address and the transports to reach it. Every answered exchange is
// timed into coredns_proxy_request_duration_seconds{to, rcode}; failures are the caller's to judge.
import { rcodeName } from '../dns/classify.js';
import type { Transport } from '../plugin.js';
import type { Endpoint } from './endpoint.js';
import { UpstreamError } from './failure.js';
import { observeRequest } from './metrics.js';
import type { UpstreamQuery } from './query.js';
import { TcpChannel } from './tcp.js';
import { exchangeUdp } from './udp.js';

/** CoreDNS's read timeout per upstream query. */
export const READ_TIMEOUT_MS = 2000;
/** CoreDNS's `expire` default: idle TCP connections close after this long. */
export const DEFAULT_EXPIRE_MS = 10_000;

export class Upstream {
  readonly address: string;
  readonly port: number;
  readonly label: string;
  private readonly tcp: TcpChannel;
  private closed = false;

  constructor(to: Endpoint, expireMs: number = DEFAULT_EXPIRE_MS) {
    this.address = to.address;
    this.port = to.port;
    this.label = to.label;
    this.tcp = new TcpChannel(to, expireMs);
  }

  /** The matching answer (see query.ts), or an UpstreamError. */
  async exchange(q: UpstreamQuery, transport: Transport, timeoutMs: number = READ_TIMEOUT_MS): Promise<Buffer> {
    if (this.closed) throw new UpstreamError('closed', `${this.label}: no longer in use`);
    const started = process.hrtime.bigint();
    const answer = transport === 'tcp' ? await this.tcp.exchange(q, timeoutMs) : await exchangeUdp(this, q, timeoutMs);
    observeRequest(this.label, rcodeName(answer.readUInt16BE(2) & 0xf), Number(process.hrtime.bigint() - started) / 1e9);
    return answer;
  }

  /** Closes its connections; exchanges from now on fail at once, so nothing reopens them. */
  close(): void {
    this.closed = true;
    this.tcp.close();
  }
}
