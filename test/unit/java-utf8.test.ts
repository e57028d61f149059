// The server writes jute strings one UTF-16 unit at a time (CESU-8 for characters beyond U+FFFF): the reader
// must give back the string it holds, and read standard UTF-8 as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeJavaUtf8 } from '../../src/zk/jute/java-utf8.js';
import { JuteReader } from '../../src/zk/jute/reader.js';

/** What BinaryOutputArchive writes: each UTF-16 unit as 1, 2 or 3 bytes, surrogates included. */
function cesu8(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Buffer.from(out);
}

const units = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const text = fc.string({ unit: 'binary', maxLength: 30 });

describe('jute strings from the server', () => {
  it('decode as the UTF-16 units the server encoded, emoji and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(units, text), (s) => {
        const b = cesu8(s);
        assert.equal(decodeJavaUtf8(b, 0, b.length), s);
      }),
      { numRuns: 3000 },
    );
    assert.equal(decodeJavaUtf8(cesu8('id😀:x'), 0, 11), 'id😀:x');
  });

  it('read standard UTF-8, and bytes without an encoded surrogate, as Buffer#toString does', () => {
    const noSurrogate = (b: Buffer): boolean => !/\xed[\xa0-\xbf]/.test(b.toString('latin1'));
    fc.assert(
      fc.property(
        fc.oneof(
          text.map((s) => Buffer.from(s)),
          fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
        ),
        (b) => {
          if (noSurrogate(b)) assert.equal(decodeJavaUtf8(b, 0, b.length), b.toString('utf8'));
        },
      ),
      { numRuns: 3000 },
    );
    // Bad bytes around an encoded surrogate stay U+FFFD.
    assert.equal(decodeJavaUtf8(Buffer.from([0xff, 0xed, 0xa0, 0x80, 0xc3]), 0, 5), '\ufffd\ud800\ufffd');
  });

  it('come back whole through JuteReader, alone and in a vector', () => {
    const s = 'digest:bob😀:x';
    const e = cesu8(s);
    const len = Buffer.alloc(4);
    len.writeInt32BE(e.length);
    const one = new JuteReader(Buffer.concat([len, e]));
    assert.equal(one.ustring(), s);
    const count = Buffer.alloc(4);
    count.writeInt32BE(2);
    const two = new JuteReader(Buffer.concat([count, len, e, len, e]));
    assert.deepEqual(two.strings(), [s, s]);
  });
});
