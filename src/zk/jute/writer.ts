/** Writes jute's big-endian binary encoding into a growable buffer. */
export class JuteWriter {
  private buf: Buffer;
  private pos: number;

  /** @param reserveFrameHeader leave 4 bytes at the start for the frame length (see frame()). */
  constructor(initial = 256, reserveFrameHeader = true) {
    this.buf = Buffer.allocUnsafe(initial);
    this.pos = reserveFrameHeader ? 4 : 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  long(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos);
    this.pos += 8;
    return this;
  }

  boolean(v: boolean): this {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  buffer(v: Buffer | null | undefined): this {
    if (v == null) return this.int(-1);
    this.int(v.length);
    this.ensure(v.length);
    // TypedArray#set, not Buffer#copy: no bounds checks in JavaScript for the few bytes of most values.
    this.buf.set(v, this.pos);
    this.pos += v.length;
    return this;
  }

  ustring(v: string | null | undefined): this {
    if (v == null) return this.int(-1);
    // One pass: room for the worst case (3 bytes per UTF-16 unit), write, then the length before it.
    this.ensure(4 + v.length * 3);
    const len = this.buf.write(v, this.pos + 4, 'utf8');
    this.buf.writeInt32BE(len, this.pos);
    this.pos += 4 + len;
    return this;
  }

  vector<T>(items: readonly T[] | null | undefined, item: (w: JuteWriter, v: T) => void): this {
    if (items == null) return this.int(-1);
    this.int(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  /** A multi's MultiHeader{type, done: false, err: -1} before each op. */
  multiHeader(type: number): this {
    return this.int(type).boolean(false).int(-1);
  }

  /** A multi's terminator: MultiHeader{-1, true, -1}. */
  multiEnd(): this {
    return this.int(-1).boolean(true).int(-1);
  }

  /** The bytes written so far, with the reserved 4-byte header filled in as the frame length. */
  frame(): Buffer {
    this.buf.writeInt32BE(this.pos - 4, 0);
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written so far (for writers made without a frame header). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
