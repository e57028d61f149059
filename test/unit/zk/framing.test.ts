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
      assert.deepEqual(got.map((b) => [...b]), bodies, `cut at ${cut}`);
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
