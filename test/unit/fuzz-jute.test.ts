// Property tests for the jute codec over every record of zookeeper.jute, multi replies and the frame
// splitter: garbage, truncated and oversized input is a value or a ProtocolError, never another
// exception, a hang or an allocation sized by a length field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ZkError } from '../../src/zk/errors.js';
import { FrameSplitter, OVERSIZED_HEAD } from '../../src/zk/framing.js';
import { JuteReader, ProtocolError } from '../../src/zk/jute/reader.js';
import { JuteWriter } from '../../src/zk/jute/writer.js';
import * as R from '../../src/zk/jute/records.js';
import {
  decodeRecord,
  encodeRecord,
  type Encodable,
  type FieldType,
  type Infer,
  type RecordSchema,
} from '../../src/zk/jute/schema.js';
import { readListings, readMulti, writeCreate } from '../../src/zk/multi.js';
import { typedOutcome } from '../helpers/typed-outcome.js';

const records = Object.entries(R).filter((e): e is [string, RecordSchema] => typeof e[1] === 'object' && e[1] !== null);

/** Values of a jute type. Strings are well-formed Unicode (UTF-8 cannot carry lone surrogates). */
function arb(t: FieldType): fc.Arbitrary<unknown> {
  switch (t) {
    case 'int':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'long':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'boolean':
      return fc.boolean();
    case 'buffer':
      return fc.option(
        fc.uint8Array({ maxLength: 24 }).map((u) => Buffer.from(u)),
        { nil: null },
      );
    case 'ustring':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    default:
      if ('$vector' in t) return fc.array(arb(t.$vector), { maxLength: 4 });
      // fc.record builds null-prototype objects; decoded records are plain ones.
      return fc.record(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, arb(v)]))).map((o) => ({ ...o }));
  }
}

const encode = (schema: RecordSchema, value: unknown): Buffer => {
  const w = new JuteWriter(16, false);
  encodeRecord(w, schema, value as Encodable<RecordSchema>);
  return Buffer.from(w.bytes());
};

/** Decodes a whole buffer as `schema`: the record, or a ProtocolError. */
const decodeAll = (schema: RecordSchema, buf: Buffer): unknown =>
  typedOutcome(() => decodeRecord(new JuteReader(buf), schema), [ProtocolError]);

/** Bytes biased towards jute's interesting lengths: -1, 0, small, huge, negative. */
const lengthy = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 8 }).map((u) => [...u]),
      fc.constantFrom(
        [0xff, 0xff, 0xff, 0xff],
        [0, 0, 0, 0],
        [0, 0, 0, 3],
        [0x7f, 0xff, 0xff, 0xff],
        [0x80, 0, 0, 0],
        [0, 0x10, 0, 0],
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.from(parts.flat()));

describe('jute records (properties)', () => {
  it(`encode then decode is the identity for all ${records.length} records, consuming every byte`, () => {
    assert.ok(records.length >= 46);
    for (const [name, schema] of records) {
      fc.assert(
        fc.property(arb(schema), (v) => {
          const r = new JuteReader(encode(schema, v));
          assert.deepEqual(decodeRecord(r, schema), v, name);
          assert.equal(r.remaining, 0, name);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('writeCreate (the hand-written CreateRequest of multi creates) writes what the schema does', () => {
    fc.assert(
      fc.property(arb(R.CreateRequest), (v) => {
        const c = v as Infer<typeof R.CreateRequest>;
        const w = new JuteWriter(16, false);
        writeCreate(w, c.path, c.data, c.acl, c.flags);
        assert.deepEqual(Buffer.from(w.bytes()), encode(R.CreateRequest, v));
      }),
      { numRuns: 200 },
    );
  });

  it('garbage decodes to a record or a ProtocolError, for every record', () => {
    for (const [, schema] of records) {
      fc.assert(
        fc.property(
          fc.oneof(
            lengthy,
            fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u)),
          ),
          (buf) => {
            decodeAll(schema, buf);
          },
        ),
        { numRuns: 120 },
      );
    }
  });

  it('every proper prefix of an encoding is a ProtocolError', () => {
    for (const [name, schema] of records) {
      if (Object.keys(schema).length === 0) continue;
      fc.assert(
        fc.property(arb(schema), fc.nat(), (v, cut) => {
          const full = encode(schema, v);
          assert.ok(decodeAll(schema, full.subarray(0, cut % full.length)) instanceof ProtocolError, name);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('a length field larger than the buffer is refused before anything is allocated for it', () => {
    const huge = [0x7fffffff, 0x10000000, 1_000_000, 21];
    for (const n of huge) {
      const buf = Buffer.concat([
        Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]),
        Buffer.alloc(16, 0xff),
      ]);
      let items = 0;
      assert.throws(
        () =>
          new JuteReader(buf).vector((r) => {
            items++;
            return r.ustring();
          }),
        ProtocolError,
        `vector of ${n}`,
      );
      assert.equal(items, 0, `vector of ${n}: no item read`);
      assert.throws(() => new JuteReader(buf).buffer(), ProtocolError);
      assert.throws(() => new JuteReader(buf).ustring(), ProtocolError);
    }
    for (const [name, schema] of records) {
      const t0 = performance.now();
      decodeAll(schema, Buffer.from([0x7f, 0xff, 0xff, 0xff, ...Buffer.alloc(16, 0x7f)]));
      assert.ok(performance.now() - t0 < 50, name);
    }
  });

  it('strings() reads what ustring() reads one by one, in every length and alphabet (long vectors too)', () => {
    const ascii = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.'), maxLength: 40 });
    const name = fc.oneof(
      ascii,
      fc.string({ unit: fc.constant('a'), minLength: 120, maxLength: 200 }),
      fc.string({ maxLength: 20 }),
    );
    // Long all-ASCII vectors take the one-decode path; a long name or a non-ASCII one sends a vector the other way.
    const vectors = fc.oneof(fc.array(ascii, { minLength: 16, maxLength: 60 }), fc.array(name, { maxLength: 60 }));
    fc.assert(
      fc.property(vectors, fc.uint8Array({ maxLength: 8 }), (names, tail) => {
        const w = new JuteWriter(64, false);
        w.vector(names, (ww, n) => ww.ustring(n));
        const bytes = Buffer.concat([Buffer.from(w.bytes()), Buffer.from(tail)]);
        const r = new JuteReader(bytes);
        assert.deepEqual(r.strings(), names);
        assert.equal(r.remaining, tail.length);
        // Cut anywhere inside the vector: refused, as the one-by-one reader refuses it.
        const cut = bytes.subarray(0, Math.max(0, bytes.length - tail.length - 1));
        if (names.length > 0) assert.throws(() => new JuteReader(cut).strings(), ProtocolError);
      }),
      { numRuns: 400 },
    );
  });

  it('a megabyte of garbage decodes quickly for every record', () => {
    const big = Buffer.alloc(1 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const ffs = Buffer.alloc(1 << 20, 0xff);
    const t0 = performance.now();
    for (const [, schema] of records) {
      decodeAll(schema, big);
      decodeAll(schema, ffs);
    }
    assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  });
});

describe('multi replies (properties)', () => {
  it('garbage is a result list, a ProtocolError or a marshalling error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          lengthy,
          fc.uint8Array({ maxLength: 80 }).map((u) => Buffer.from(u)),
        ),
        (buf) => {
          typedOutcome(() => readMulti(new JuteReader(buf)), [ProtocolError, ZkError]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a reply of listings reads the same through readListings as through readMulti; garbage fails the same way', () => {
    const entry = fc.oneof(
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 6 }),
      fc.integer({ min: -130, max: -1 }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const w = new JuteWriter(64, false);
        for (const e of entries) {
          if (Array.isArray(e)) w.multiHeader(8).vector(e, (ww, n) => ww.ustring(n));
          else w.int(-1).boolean(false).int(e).int(e);
        }
        w.multiEnd();
        const want = readMulti(new JuteReader(w.bytes())).map((r) =>
          r.type === 'getChildren' ? r.children : r.type === 'error' ? r.err : null,
        );
        const got = readListings(new JuteReader(w.bytes()));
        assert.deepEqual(got.lists, want);
        assert.equal(got.bytes, w.bytes().length);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }).map((u) => Buffer.from(u)),
        (buf) => {
          typedOutcome(() => readListings(new JuteReader(buf)), [ProtocolError, ZkError]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/** Frames a body with its 4-byte big-endian length. */
const frame = (body: Uint8Array): Buffer => {
  const b = Buffer.alloc(4 + body.length);
  b.writeInt32BE(body.length, 0);
  b.set(body, 4);
  return b;
};

describe('frame splitter (properties)', () => {
  it('any cut of a stream of frames gives back the frames, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map(frame));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const s = new FrameSplitter();
          const got: Buffer[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            got.push(...s.push(stream.subarray(from, p)));
            from = p;
          }
          assert.deepEqual(
            got.map((b) => [...b]),
            bodies.map((b) => [...b]),
          );
          assert.equal(s.buffered, 0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('feed: frames over the limit are reported with their head and skipped, at any cut, in order', () => {
    const bodies = fc.array(
      fc
        .integer({ min: 0, max: 400 })
        .map((n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff))),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(
        bodies,
        fc.integer({ min: 0, max: 200 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (frames, max, cuts) => {
          const stream = Buffer.concat(frames.map(frame));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const s = new FrameSplitter(max);
          // Frames are kept as handed out and read only at the end: later chunks must not overwrite them.
          const got: (Buffer | string)[] = [];
          const sink = {
            frame: (f: Buffer) => got.push(f),
            oversized: (n: number, head: Buffer) => got.push(`big ${n} ${head.toString('hex')}`),
          };
          let from = 0;
          for (const p of [...points, stream.length]) {
            s.feed(stream.subarray(from, p), sink);
            from = p;
          }
          const want = frames.map((b) =>
            b.length <= max
              ? `frame ${b.toString('hex')}`
              : `big ${b.length} ${b.subarray(0, OVERSIZED_HEAD).toString('hex')}`,
          );
          assert.deepEqual(
            got.map((g) => (typeof g === 'string' ? g : `frame ${g.toString('hex')}`)),
            want,
          );
          assert.equal(s.buffered, 0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('garbage chunks give frames or a ProtocolError, within the frame limit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            lengthy,
            fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)),
          ),
          { maxLength: 6 },
        ),
        (chunks) => {
          const s = new FrameSplitter(4096);
          typedOutcome(() => {
            for (const c of chunks) for (const f of s.push(c)) assert.ok(f.length <= 4096);
          }, [ProtocolError]);
          assert.ok(s.buffered <= 4 + 4096);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
