// A small DNS client for tests: one query over UDP or TCP to a loopback server, decoded with the
// project's own codec, and records rendered as zone text for readable assertions.
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage, encodeQuery, type DecodedMessage, type DecodedRR } from '../../src/dns/wire.js';

export interface QueryOptions {
  transport?: 'udp' | 'tcp';
  edns?: { udpSize: number; do?: boolean; version?: number };
  id?: number;
  host?: string;
  timeoutMs?: number;
  qclass?: number;
}

export async function query(port: number, name: string, type: string, options: QueryOptions = {}): Promise<DecodedMessage> {
  const id = options.id ?? Math.floor(Math.random() * 65536);
  const wire = encodeQuery({ id, name, type, rd: true, edns: options.edns, qclass: options.qclass });
  const raw = options.transport === 'tcp' ? await exchangeTcp(port, [wire], options) : await exchangeUdp(port, wire, options);
  return decodeMessage(raw[0]!);
}

/** Sends raw bytes over UDP; resolves with the reply or undefined when none came in time. */
export function exchangeUdp(port: number, wire: Buffer, options: QueryOptions = {}): Promise<Buffer[]> {
  const host = options.host ?? '127.0.0.1';
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP reply from ${host}:${port} in ${options.timeoutMs ?? 2000} ms`));
    }, options.timeoutMs ?? 2000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve([msg]);
    });
    socket.send(wire, port, host);
  });
}

/** Sends every message on one TCP connection (pipelined) and collects one reply per message. */
export function exchangeTcp(port: number, wires: Buffer[], options: QueryOptions = {}): Promise<Buffer[]> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`got ${replies.length} of ${wires.length} TCP replies from ${host}:${port}`));
    }, options.timeoutMs ?? 2000);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (replies.length === wires.length) {
        clearTimeout(timer);
        socket.end();
        resolve(replies);
      }
    });
    socket.write(Buffer.concat(wires.map((w) => Buffer.concat([Buffer.from([w.length >> 8, w.length & 0xff]), w]))));
  });
}

/** A record as zone text, the way dig prints it: "name. TTL IN TYPE data". */
export function zoneText(rr: DecodedRR): string {
  return `${rr.name}. ${rr.ttl} IN ${rr.type} ${rdataText(rr)}`;
}

function rdataText(rr: DecodedRR): string {
  const d = rr.data as Record<string, unknown> | string | string[];
  switch (rr.type) {
    case 'SRV': {
      const s = d as { priority: number; weight: number; port: number; target: string };
      return `${s.priority} ${s.weight} ${s.port} ${s.target}.`;
    }
    case 'SOA': {
      const s = d as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number };
      return `${s.mname}. ${s.rname}. ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    case 'TXT':
      return (d as unknown[]).map((t) => `"${String(t)}"`).join(' ');
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${String(d)}.`;
    default:
      return String(d);
  }
}
