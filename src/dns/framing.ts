// DNS over TCP framing (RFC 1035 4.2.2, RFC 7766): every message is preceded by its length in
// two bytes. Shared by the server's listener and the upstream client.

/** Splits a TCP byte stream into messages, however the stream was cut into segments. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds a chunk and calls `onMessage` for every message it completes (a view into the stream). */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let offset = 0;
    while (this.buffered.length - offset >= 2) {
      const length = this.buffered.readUInt16BE(offset);
      if (this.buffered.length - offset - 2 < length) break;
      const message = this.buffered.subarray(offset + 2, offset + 2 + length);
      offset += 2 + length;
      onMessage(message);
    }
    this.buffered = offset === this.buffered.length ? Buffer.alloc(0) : this.buffered.subarray(offset);
  }
}

/** The message with its two-byte length in front, in one buffer (one write, one segment). */
export function frame(message: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(message.length + 2);
  framed.writeUInt16BE(message.length, 0);
  message.copy(framed, 2);
  return framed;
}
