// A scripted DNS upstream on loopback for fault tests: UDP and TCP on one port, answers scripted per
// name (records, rcode, silence, delay, TC over UDP, forged answers with a wrong ID, question or
// source port sent before the genuine one), every query received recorded, and a relay mode that
// hands each query to another server (a loop through this upstream). Unscripted names get NXDOMAIN.
// Design decision: answers are encoded with the project's own reply encoder from Reply records, so
// a script reads like the plugin replies it stands in for.
import dgram from 'node:dgram';
import net from 'node:net';
import { RCODE, type Request, type RR } from '../../src/dns/types.js';
import { encodeQuery, encodeReply, parseRequest, typeName, udpLimit } from '../../src/dns/wire.js';

export interface Forgery {
  /** What gives the forgery away: another ID, another question, or another source port. */
  how: 'id' | 'question' | 'source';
  /** Its records, default an A record of 198.51.100.66 for the question's name. */
  answers?: RR[];
  /** Send only the forgery, never the genuine answer. */
  only?: boolean;
}

export interface Script {
  rcode?: number;
  /** Records answered; a record's name '' stands for the question's name as asked. */
  answers?: RR[];
  /** Never answer. */
  silent?: boolean;
  /** Answer after this long. */
  delayMs?: number;
  /** Over UDP answer with TC set and no records; over TCP answer in full. */
  truncateUdp?: boolean;
  /** Sent at once, before the genuine answer (which then waits `delayMs`, default 50 ms). */
  forge?: Forgery;
  /** Over TCP, close the connection instead of answering (and recording) the query, this many times. */
  hangUp?: number;
  /** Cut the answer short after its question: it matches the query but is no whole message. */
  cut?: boolean;
}

export interface Received {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  /** The client's source port. */
  from: number;
  rd: boolean;
  /** The EDNS DO bit, undefined without an OPT record. */
  do: boolean | undefined;
}

export const FORGED_ADDRESS = '198.51.100.66';
const RELAY_TIMEOUT_MS = 3000;
const TCP_LIMIT = 65535;

export class ScriptedUpstream {
  /** Every query received, in order. */
  readonly received: Received[] = [];
  /** While true, nothing is answered at all (health checks included): the upstream is down. */
  down = false;
  /** Every query is passed to 127.0.0.1:relayTo and its answer passed back, when set. */
  relayTo: number | undefined;
  /** TCP connections accepted so far. */
  tcpConnections = 0;
  private readonly scripts = new Map<string, Script>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<net.Socket>();
  private readonly relays = new Set<dgram.Socket>();

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly udp: dgram.Socket,
    private readonly forger: dgram.Socket,
    private readonly tcp: net.Server,
  ) {
    udp.on('message', (msg, from) => this.receive(msg, 'udp', from.port, (wire, spoofed) => (spoofed ? forger : udp).send(wire, from.port, from.address)));
    tcp.on('connection', (socket) => this.accept(socket));
  }

  /**
   * Listens on `host` (default 127.0.0.1), UDP and TCP on the same port: `fixedPort`, or an ephemeral
   * one. Rejects when the port cannot be had (EACCES for port 53 without privileges).
   */
  static async start(host = '127.0.0.1', fixedPort = 0): Promise<ScriptedUpstream> {
    const type = host.includes(':') ? 'udp6' : 'udp4';
    for (let attempt = 0; ; attempt++) {
      const udp = dgram.createSocket(type);
      const forger = dgram.createSocket(type);
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once('error', reject);
          udp.bind(fixedPort, host, resolve);
        });
      } catch (err) {
        forger.close();
        throw err;
      }
      await new Promise<void>((resolve) => forger.bind(0, host, resolve));
      const port = udp.address().port;
      const tcp = net.createServer({ noDelay: true });
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ port, host, exclusive: true }, resolve);
        });
        return new ScriptedUpstream(host, port, udp, forger, tcp);
      } catch (err) {
        udp.close();
        forger.close();
        if (attempt === 10 || fixedPort !== 0) throw err;
      }
    }
  }

  /** "IP:port" as a Corefile names this upstream. */
  get address(): string {
    return this.host.includes(':') ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Scripts the answers for `name` (case-insensitive, no trailing dot), every type alike. */
  script(name: string, script: Script): void {
    this.scripts.set(name.toLowerCase(), script);
  }

  /** Queries received for `name` (case-insensitive), optionally over one transport only. */
  count(name: string, transport?: 'udp' | 'tcp'): number {
    const lname = name.toLowerCase();
    return this.received.filter((r) => r.name.toLowerCase() === lname && (!transport || r.transport === transport)).length;
  }

  /** Closes every TCP connection from our side, as a server's idle timeout does. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    for (const r of this.relays) r.close();
    this.udp.close();
    this.forger.close();
    await new Promise((resolve) => this.tcp.close(resolve));
  }

  private accept(socket: net.Socket): void {
    this.tcpConnections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        const script = this.scripts.get(requestName(message));
        if (script?.hangUp) {
          script.hangUp--;
          socket.destroy();
          return;
        }
        this.receive(message, 'tcp', socket.remotePort ?? 0, (wire) => {
          if (socket.destroyed) return;
          const framed = Buffer.alloc(2 + wire.length);
          framed.writeUInt16BE(wire.length, 0);
          wire.copy(framed, 2);
          socket.write(framed);
        });
      }
    });
  }

  private receive(message: Buffer, transport: 'udp' | 'tcp', from: number, send: (wire: Buffer, spoofed?: boolean) => void): void {
    const parsed = parseRequest(message);
    if (parsed.kind !== 'request') return;
    const request = parsed.request;
    this.received.push({ name: request.name, type: typeName(request.qtype), transport, from, rd: request.rd, do: request.edns?.do });
    if (this.down) return;
    if (this.relayTo !== undefined) return this.relay(message, send);
    const script = this.scripts.get(request.name.toLowerCase()) ?? { rcode: RCODE.NXDOMAIN };
    if (script.silent) return;
    const limit = transport === 'tcp' ? TCP_LIMIT : udpLimit(request.edns);
    const records = (script.answers ?? []).map((rr) => ({ ...rr, name: rr.name === '' ? request.name : rr.name }) as RR);
    const truncated = transport === 'udp' && script.truncateUdp === true;
    const genuine = encodeReply(request, {
      rcode: script.rcode ?? RCODE.NOERROR,
      authoritative: true,
      recursionAvailable: true,
      truncated,
      answers: truncated ? [] : records,
      authority: [],
      additional: [],
    }, limit);
    if (script.cut) return send(genuine.subarray(0, 12 + request.questionWire.length + 3));
    let delay = script.delayMs ?? 0;
    if (script.forge) {
      send(this.forgery(request, script.forge), script.forge.how === 'source');
      if (script.forge.only) return;
      delay = script.delayMs ?? 50;
    }
    if (delay === 0) return send(genuine);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      send(genuine);
    }, delay);
    this.timers.add(timer);
  }

  private forgery(request: Request, forge: Forgery): Buffer {
    const answers = forge.answers ?? [{ name: request.name, type: 'A', ttl: 300, data: FORGED_ADDRESS } as RR];
    const context =
      forge.how === 'id'
        ? { ...request, id: (request.id + 1) & 0xffff }
        : forge.how === 'question'
          ? { ...request, questionWire: requestOf(encodeQuery({ id: request.id, name: `forged.${request.name}`, type: request.qtype })).questionWire }
          : request;
    return encodeReply(context, { rcode: RCODE.NOERROR, authoritative: true, recursionAvailable: true, truncated: false, answers, authority: [], additional: [] }, TCP_LIMIT);
  }

  private relay(message: Buffer, send: (wire: Buffer) => void): void {
    const socket = dgram.createSocket('udp4');
    this.relays.add(socket);
    const close = () => {
      clearTimeout(timer);
      if (this.relays.delete(socket)) socket.close();
    };
    const timer = setTimeout(close, RELAY_TIMEOUT_MS);
    socket.on('message', (answer) => {
      close();
      send(answer);
    });
    socket.send(message, this.relayTo!, '127.0.0.1');
  }
}

function requestName(message: Buffer): string {
  const parsed = parseRequest(message);
  return parsed.kind === 'request' ? parsed.request.name.toLowerCase() : '';
}

function requestOf(message: Buffer): Request {
  const parsed = parseRequest(message);
  if (parsed.kind !== 'request') throw new Error('not a request');
  return parsed.request;
}
