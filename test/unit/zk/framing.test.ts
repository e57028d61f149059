import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameSplitter } from '../../../src/zk/framing.js';
import { ProtocolError } from '../../../src/zk/jute/reader.js';
import * as O from '../../helpers/jute-oracle.js';

describe('FrameSplitter', () => {
  const bodies = [[1, 2, 3], [], [9], Array.from({ length: 40 }, (_, i) => i)];
  const stream = Buffer.concat(bodies.map((b) => O.frame(b)));

  it('splits a multi-frame stream cut at every byte position', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const s = new FrameSplitter();
      const got = [...s.push(stream.subarray(0, cut)), ...s.push(stream.subarray(cut))];
      assert.deepEqual(
        got.map((b) => [...b]),
        bodies,
        `cut at ${cut}`,
      );
      assert.equal(s.buffered, 0);
    }
  });

  it('splits a stream fed one byte at a time', () => {
    const s = new FrameSplitter();
    const got: number[][] = [];
    for (const byte of stream) got.push(...s.push(Buffer.from([byte])).map((b) => [...b]));
    assert.deepEqual(got, bodies);
  });

  it('cuts at every pair of positions', () => {
    for (let a = 0; a <= stream.length; a += 3) {
      for (let b = a; b <= stream.length; b += 5) {
        const s = new FrameSplitter();
        const got = [...s.push(stream.subarray(0, a)), ...s.push(stream.subarray(a, b)), ...s.push(stream.subarray(b))];
        assert.equal(got.length, bodies.length);
      }
    }
  });

  it('refuses negative and oversized frame lengths', () => {
    assert.throws(() => new FrameSplitter().push(Buffer.from(O.int(-5))), ProtocolError);
    assert.throws(() => new FrameSplitter(100).push(Buffer.from(O.int(101))), ProtocolError);
    assert.equal(new FrameSplitter(100).push(Buffer.from(O.int(100))).length, 0);
  });
});

describe('FrameSplitter.feed', () => {
  const collect = (max: number, chunks: Buffer[]): (string | number[])[] => {
    const s = new FrameSplitter(max);
    const got: (string | number[])[] = [];
    for (const c of chunks)
      s.feed(c, {
        frame: (f) => got.push([...f]),
        oversized: (size, head) => got.push(`big ${size} ${[...head].join(',')}`),
      });
    return got;
  };
  const big = Array.from({ length: 300 }, (_, i) => i % 256);
  const stream = Buffer.concat([O.frame([7]), O.frame(big), O.frame([8, 9])]);

  it('skips an oversized frame, keeping its 16-byte head, and goes on with the next frames at every cut', () => {
    const want = [[7], `big 300 ${big.slice(0, 16).join(',')}`, [8, 9]];
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(collect(100, [stream.subarray(0, cut), stream.subarray(cut)]), want, `cut at ${cut}`);
    }
    const bytes = [...stream].map((b) => Buffer.from([b]));
    assert.deepEqual(collect(100, bytes), want);
  });

  it('never overwrites a frame already handed out (frames are views, later chunks reuse no memory)', () => {
    const s = new FrameSplitter();
    const kept: Buffer[] = [];
    const frames = Array.from({ length: 50 }, (_, i) => Array.from({ length: 37 + i }, () => i));
    const all = Buffer.concat(frames.map((f) => O.frame(f)));
    for (let off = 0; off < all.length; off += 29) s.feed(all.subarray(off, off + 29), { frame: (f) => kept.push(f) });
    assert.deepEqual(
      kept.map((f) => [...f]),
      frames,
    );
  });

  it('copies a large frame arriving in small chunks a bounded number of times (amortized growth)', () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 1);
    const s = new FrameSplitter(8 * 1024 * 1024);
    const whole = Buffer.concat([Buffer.from(O.int(body.length)), body]);
    let got = 0;
    let allocated = 0;
    const real = Buffer.allocUnsafe;
    Buffer.allocUnsafe = (n: number) => {
      allocated += n;
      return real(n);
    };
    try {
      for (let off = 0; off < whole.length; off += 16 * 1024)
        s.feed(whole.subarray(off, off + 16 * 1024), {
          frame: (f) => {
            got = f.length;
          },
        });
    } finally {
      Buffer.allocUnsafe = real;
    }
    assert.equal(got, body.length);
    // Concatenating on every chunk allocates ~512 MB here; doubling allocates under 2× the frame.
    assert.ok(allocated < 2 * whole.length + 8192, `allocated ${allocated} bytes`);
  });
});
