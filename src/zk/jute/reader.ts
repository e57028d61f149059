import { decodeJavaUtf8 } from './java-utf8.js';

/** Thrown when a frame is shorter than the record it should hold, or otherwise malformed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Names per vector from which strings() tries the one-decode ASCII path. */
const ASCII_RUN = 16;
const NOT_ASCII = /[\x80-\xff]/;
/**
 * The listing of every leaf a walk reads (most of a tree): one frozen array, not one per leaf. Frozen, so a
 * caller that tried to add to it would throw rather than change every leaf's listing.
 */
const NO_STRINGS = Object.freeze([]) as unknown as string[];

/** Reads jute's big-endian binary encoding from one frame. */
export class JuteReader {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) {
      throw new ProtocolError(
        `short buffer: need ${n} bytes at offset ${this.offset}, have ${this.buf.length - this.offset}`,
      );
    }
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  long(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  boolean(): boolean {
    this.need(1);
    return this.buf[this.offset++] !== 0;
  }

  /** -1 length means null, which jute keeps distinct from an empty buffer. */
  buffer(): Buffer | null {
    const len = this.int();
    if (len < 0) return null;
    this.need(len);
    const v = this.buf.subarray(this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  ustring(): string {
    const len = this.int();
    if (len < 0) return '';
    this.need(len);
    const v = decodeJavaUtf8(this.buf, this.offset, this.offset + len);
    this.offset += len;
    return v;
  }

  /** vector<ustring> without a call per item: a listing reply is mostly this (a walk reads millions of names). */
  strings(shareEmpty = false): string[] {
    const n = this.int();
    if (n <= 0 && shareEmpty) return NO_STRINGS;
    if (n < 0) return [];
    if (n > this.remaining)
      throw new ProtocolError(`vector of ${n} items in ${this.remaining} bytes at offset ${this.offset - 4}`);
    if (n >= ASCII_RUN) {
      const ascii = this.asciiStrings(n);
      if (ascii) return ascii;
    }
    const buf = this.buf;
    const out = new Array<string>(n);
    let off = this.offset;
    for (let i = 0; i < n; i++) {
      if (off + 4 > buf.length) {
        this.offset = off;
        this.need(4);
      }
      const len = buf.readInt32BE(off);
      off += 4;
      if (len < 0) {
        out[i] = '';
        continue;
      }
      if (off + len > buf.length) {
        this.offset = off;
        this.need(len);
      }
      out[i] = decodeJavaUtf8(buf, off, off + len);
      off += len;
    }
    this.offset = off;
    return out;
  }

  /**
   * strings() of a vector whose bytes are all ASCII (nearly every listing): one latin1 decode of the whole run
   * and a substring per name, ~2.5x faster than a UTF-8 decode per name. Null (nothing consumed) when a byte
   * is not ASCII, a length is negative or runs past the buffer: the general loop then decodes or refuses it.
   */
  private asciiStrings(n: number): string[] | null {
    const buf = this.buf;
    const start = this.offset;
    let off = start;
    for (let i = 0; i < n; i++) {
      if (off + 4 > buf.length) return null;
      const len = buf.readInt32BE(off);
      if (len < 0 || off + 4 + len > buf.length) return null;
      off += 4 + len;
    }
    // Length fields are in the run too: a byte >= 0x80 there (a name of 128+ bytes) only costs the fast path.
    const text = buf.toString('latin1', start, off);
    if (NOT_ASCII.test(text)) return null;
    const out = new Array<string>(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const len = buf.readInt32BE(start + at);
      at += 4;
      out[i] = text.substring(at, at + len);
      at += len;
    }
    this.offset = off;
    return out;
  }

  vector<T>(item: (r: JuteReader) => T): T[] {
    const n = this.int();
    // Every jute item takes at least one byte: a larger count is garbage, refused before reading any item.
    if (n > this.remaining)
      throw new ProtocolError(`vector of ${n} items in ${this.remaining} bytes at offset ${this.offset - 4}`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
}
