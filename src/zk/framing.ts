import { ProtocolError } from './jute/reader.js';

/** Bytes of an oversized frame kept for the caller: a reply header (xid, zxid, err). */
export const OVERSIZED_HEAD = 16;

const EMPTY = Buffer.alloc(0);

/** Receives what a FrameSplitter finds, in stream order. */
export interface FrameSink {
  frame(frame: Buffer): void;
  /**
   * A frame longer than maxFrame: only its first OVERSIZED_HEAD bytes are kept, the rest is skipped,
   * so the stream stays usable and the caller can fail just the request it answers.
   */
  oversized?(size: number, head: Buffer): void;
}

/**
 * Splits a byte stream into length-prefixed frames. Chunks may cut anywhere, even inside the length.
 * Incomplete frames accumulate in a buffer that grows in doubling steps (pg-protocol's parser does
 * the same), so a multi-megabyte reply arriving in 64 KB chunks is copied once, not once per chunk.
 * Bytes already handed out as frames are never overwritten: frames are subarrays, not copies.
 */
export class FrameSplitter {
  private buf: Buffer = EMPTY;
  private start = 0;
  private end = 0;
  /** Bytes of an oversized frame still to skip. */
  private skip = 0;

  constructor(private readonly maxFrame = 0xfffff) {}

  /** Part of a frame has come in (or an oversized one is being skipped): more of it is on its way. */
  get midFrame(): boolean {
    return this.skip > 0 || this.end > this.start;
  }

  /** Feeds a chunk; returns every frame (without its length prefix) completed by it. Oversized frames throw. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    this.feed(chunk, { frame: (f) => frames.push(f) });
    return frames;
  }

  /** Feeds a chunk, reporting frames and oversized frames to `sink` in order. */
  feed(chunk: Buffer, sink: FrameSink): void {
    if (this.skip > 0) {
      const n = Math.min(this.skip, chunk.length);
      this.skip -= n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    const pending = this.end - this.start;
    // Fast path: nothing buffered, so frames can be cut straight out of the chunk.
    const [buf, base] = pending === 0 ? [chunk, 0] : [this.append(chunk), this.start];
    let off = base;
    const limit = pending === 0 ? chunk.length : this.end;
    while (limit - off >= 4) {
      const len = buf.readInt32BE(off);
      if (len < 0) throw new ProtocolError(`negative frame length ${len}`);
      if (len > this.maxFrame) {
        if (!sink.oversized) throw new ProtocolError(`frame length ${len} out of range (max ${this.maxFrame})`);
        // Keep the header (it names the request), skip the body wherever it ends.
        if (limit - off - 4 < Math.min(len, OVERSIZED_HEAD)) break;
        const head = Buffer.from(buf.subarray(off + 4, off + 4 + Math.min(len, OVERSIZED_HEAD)));
        const avail = limit - off - 4;
        if (avail >= len) {
          off += 4 + len;
        } else {
          this.skip = len - avail;
          off = limit;
        }
        sink.oversized(len, head);
        continue;
      }
      if (limit - off - 4 < len) break;
      sink.frame(buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    if (pending === 0) {
      // Keep the tail in a buffer of our own, so a small remainder does not pin a large chunk.
      if (off < limit) this.append(chunk.subarray(off));
    } else {
      this.start = off;
      // Emptied: start afresh, since frames handed out may still point into the old buffer.
      if (this.start === this.end) this.reset();
    }
  }

  /** Appends to the buffered bytes, growing into a new buffer (never writing over handed-out bytes). */
  private append(chunk: Buffer): Buffer {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      // Size for the whole head frame once its length is known: one allocation per large frame.
      const need = pending + chunk.length;
      const len = need >= 4 ? this.headLength(chunk) : 0;
      const size = Math.max(4096, need, len >= 0 && len <= this.maxFrame ? 4 + len : 0);
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.start = 0;
      this.end = pending;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
    return this.buf;
  }

  /** The length prefix of the first buffered frame, read across the buffer and the new chunk. */
  private headLength(chunk: Buffer): number {
    const pending = this.end - this.start;
    if (pending >= 4) return this.buf.readInt32BE(this.start);
    const b = Buffer.concat([this.buf.subarray(this.start, this.end), chunk.subarray(0, 4 - pending)]);
    return b.readInt32BE(0);
  }

  private reset(): void {
    this.buf = EMPTY;
    this.start = this.end = 0;
  }

  get buffered(): number {
    return this.end - this.start;
  }
}
