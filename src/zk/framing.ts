import { ProtocolError } from './jute/reader.js';

/**
 * Splits a byte stream into length-prefixed frames. Chunks may cut anywhere, even inside the length.
 * Frames over maxFrame are a protocol error (the Java client treats them as connection loss).
 */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame = 0xfffff) {}

  /** Feeds a chunk; returns every frame (without its length prefix) completed by it. */
  push(chunk: Buffer): Buffer[] {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readInt32BE(off);
      if (len < 0 || len > this.maxFrame) throw new ProtocolError(`frame length ${len} out of range (max ${this.maxFrame})`);
      if (buf.length - off - 4 < len) break;
      frames.push(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    buf = buf.subarray(off);
    // Copy the tail so a small remainder does not pin a large chunk in memory.
    this.pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return frames;
  }

  get buffered(): number {
    return this.pending.length;
  }
}
