import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JuteReader, ProtocolError } from '../../../src/zk/jute/reader.js';
import { JuteWriter } from '../../../src/zk/jute/writer.js';
import * as R from '../../../src/zk/jute/records.js';
import {
  decodeRecord,
  encodeRecord,
  type Encodable,
  type FieldType,
  type RecordSchema,
} from '../../../src/zk/jute/schema.js';
import { readMulti, writeMulti } from '../../../src/zk/multi.js';
import { Op } from '../../../src/zk/protocol.js';
import { hexFixture } from '../../helpers/fixtures.js';
import * as O from '../../helpers/jute-oracle.js';

const encode = (schema: RecordSchema, value: object): Buffer => {
  const w = new JuteWriter(8, false);
  encodeRecord(w, schema, value as Encodable<RecordSchema>);
  return Buffer.from(w.bytes());
};

describe('typed encoding', () => {
  it('refuses a record with a missing field instead of encoding it as 0', () => {
    const w = new JuteWriter(8, false);
    // A misspelled field ("verison") would leave version undefined: an unconditional delete became conditional.
    assert.throws(
      () =>
        encodeRecord(w, R.DeleteRequest, { path: '/x', verison: -1 } as unknown as Encodable<typeof R.DeleteRequest>),
      /field 'version' is missing/,
    );
  });
});

describe('jute primitives', () => {
  it('writes ints, longs, booleans, strings and buffers as the oracle does', () => {
    const w = new JuteWriter(4, false);
    w.int(-2)
      .long(0x0100000a07560000n)
      .long(-1n)
      .boolean(true)
      .ustring('ü/é')
      .buffer(null)
      .buffer(Buffer.alloc(0))
      .ustring(null);
    const expected = [
      ...O.int(-2),
      ...O.long(0x0100000a07560000n),
      ...O.long(-1n),
      ...O.bool(true),
      ...O.str('ü/é'),
      ...O.int(-1),
      ...O.int(0),
      ...O.int(-1),
    ];
    assert.deepEqual([...w.bytes()], expected);
  });

  it('keeps null and empty buffers distinct when reading', () => {
    const r = new JuteReader(Buffer.from([...O.int(-1), ...O.int(0)]));
    assert.equal(r.buffer(), null);
    assert.deepEqual(r.buffer(), Buffer.alloc(0));
  });

  it('reads longs beyond 2^53 exactly', () => {
    const r = new JuteReader(Buffer.from(O.long(0x7f000000000001ffn)));
    assert.equal(r.long(), 0x7f000000000001ffn);
  });

  it('throws a ProtocolError on a short buffer', () => {
    assert.throws(() => new JuteReader(Buffer.from([0, 0, 0])).int(), ProtocolError);
    assert.throws(() => new JuteReader(Buffer.from([...O.int(10), 1, 2])).ustring(), ProtocolError);
    assert.throws(() => decodeRecord(new JuteReader(Buffer.alloc(60)), R.Stat), ProtocolError);
  });

  it('refuses a vector count larger than the bytes left before reading any item', () => {
    // 2^31-1 empty strings (4 bytes each) announced in a 20-byte frame: found by the fuzz tests.
    let items = 0;
    const r = new JuteReader(
      Buffer.from([...O.int(0x7fffffff), ...O.int(-1), ...O.int(-1), ...O.int(-1), ...O.int(-1)]),
    );
    assert.throws(
      () =>
        r.vector((rr) => {
          items++;
          return rr.ustring();
        }),
      /vector of 2147483647 items in 16 bytes/,
    );
    assert.equal(items, 0);
    assert.deepEqual(
      new JuteReader(Buffer.from([...O.int(2), 1, 0])).vector((rr) => rr.boolean()),
      [true, false],
    );
  });

  it('grows its buffer for large values', () => {
    const big = Buffer.alloc(100000, 7);
    const w = new JuteWriter(8);
    w.buffer(big);
    const f = w.frame();
    assert.equal(f.readInt32BE(0), 100004);
    assert.deepEqual(new JuteReader(f.subarray(4)).buffer(), big);
  });
});

/** A deterministic sample value for any field type, so every record can be round-tripped. */
function sample(t: FieldType, seed: number): unknown {
  switch (t) {
    case 'int':
      return seed * 7 - 3;
    case 'long':
      return BigInt(seed) * 0x1000000001n - 5n;
    case 'boolean':
      return seed % 2 === 0;
    case 'buffer':
      return Buffer.from(`b${seed}\u0000\xff`, 'latin1');
    case 'ustring':
      return `/p${seed}/ü`;
    default:
      if ('$vector' in t) return [sample(t.$vector, seed + 1), sample(t.$vector, seed + 2)];
      return Object.fromEntries(Object.entries(t).map(([k, ft], i) => [k, sample(ft, seed + i + 1)]));
  }
}

describe('records', () => {
  for (const [name, schema] of Object.entries(R)) {
    if (typeof schema !== 'object') continue;
    it(`${name} round-trips`, () => {
      const value = sample(schema as RecordSchema, 1) as object;
      const bytes = encode(schema as RecordSchema, value);
      const r = new JuteReader(bytes);
      assert.deepEqual(decodeRecord(r, schema as RecordSchema), value);
      assert.equal(r.remaining, 0);
    });
  }

  it('encodes Stat as the oracle does (68 bytes)', () => {
    const stat = {
      czxid: 0x15n,
      mzxid: 0x1an,
      ctime: 1700000000000n,
      mtime: 1700000005000n,
      version: 2,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: 0n,
      dataLength: 3,
      numChildren: 0,
      pzxid: 0x15n,
    };
    const expected = [
      ...O.long(0x15n),
      ...O.long(0x1an),
      ...O.long(1700000000000n),
      ...O.long(1700000005000n),
      ...O.int(2),
      ...O.int(0),
      ...O.int(0),
      ...O.long(0n),
      ...O.int(3),
      ...O.int(0),
      ...O.long(0x15n),
    ];
    assert.equal(expected.length, 68);
    assert.deepEqual([...encode(R.Stat, stat)], expected);
  });

  it('encodes CreateTTLRequest and SetWatches2 as the oracle does', () => {
    const acl = [{ perms: 31, id: { scheme: 'digest', id: 'u:h=' } }];
    assert.deepEqual(
      [...encode(R.CreateTTLRequest, { path: '/t', data: null, acl, flags: 5, ttl: 5000n })],
      [
        ...O.str('/t'),
        ...O.int(-1),
        ...O.vec(acl, (a) => O.acl(a.perms, a.id.scheme, a.id.id)),
        ...O.int(5),
        ...O.long(5000n),
      ],
    );
    const sw = {
      relativeZxid: 9n,
      dataWatches: ['/a'],
      existWatches: [],
      childWatches: ['/'],
      persistentWatches: ['/p'],
      persistentRecursiveWatches: ['/r', '/s'],
    };
    assert.deepEqual(
      [...encode(R.SetWatches2, sw)],
      [
        ...O.long(9n),
        ...O.vec(['/a'], O.str),
        ...O.int(0),
        ...O.vec(['/'], O.str),
        ...O.vec(['/p'], O.str),
        ...O.vec(['/r', '/s'], O.str),
      ],
    );
  });
});

describe('captured frames', () => {
  const frameOf = (fill: (w: JuteWriter) => void): Buffer => {
    const w = new JuteWriter(16);
    fill(w);
    return Buffer.from(w.frame());
  };

  it('ConnectRequest matches the bytes a 3.8 server accepted', () => {
    const f = frameOf((w) =>
      encodeRecord(w, R.ConnectRequest, {
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOut: 30000,
        sessionId: 0n,
        passwd: Buffer.alloc(16),
        readOnly: false,
      }),
    );
    assert.deepEqual(f, hexFixture('connect-request'));
  });

  it('ConnectResponse decodes a real capture, and the expired form', () => {
    const res = decodeRecord(new JuteReader(hexFixture('connect-response').subarray(4)), R.ConnectResponse);
    assert.equal(res.timeOut, 30000);
    assert.equal(res.sessionId, 0x0100000a07560000n);
    assert.equal(res.passwd?.toString('hex'), '28198a7095d7dbaa4674a7de66aeedb9');
    const expired = decodeRecord(new JuteReader(hexFixture('connect-response-expired').subarray(4)), R.ConnectResponse);
    assert.equal(expired.timeOut, 0);
  });

  it('getData, create, auth and SetWatches requests match accepted bytes', () => {
    assert.deepEqual(
      frameOf((w) => {
        w.int(1).int(Op.getData.code);
        encodeRecord(w, R.GetDataRequest, { path: '/foo', watch: true });
      }),
      hexFixture('getdata-request'),
    );
    assert.deepEqual(
      frameOf((w) => {
        w.int(2).int(Op.create.code);
        encodeRecord(w, R.CreateRequest, {
          path: '/app',
          data: Buffer.from('hi'),
          acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }],
          flags: 0,
        });
      }),
      hexFixture('create-request'),
    );
    assert.deepEqual(
      frameOf((w) => {
        w.int(-4).int(Op.auth.code);
        encodeRecord(w, R.AuthPacket, { type: 0, scheme: 'digest', auth: Buffer.from('user:pass') });
      }),
      hexFixture('auth-request'),
    );
    assert.deepEqual(
      frameOf((w) => {
        w.int(-8).int(Op.setWatches.code);
        encodeRecord(w, R.SetWatches, {
          relativeZxid: 0x1an,
          dataWatches: ['/foo'],
          existWatches: [],
          childWatches: ['/'],
        });
      }),
      hexFixture('setwatches-request'),
    );
  });

  it('reply header and notification decode from real captures', () => {
    const r = new JuteReader(hexFixture('nodeexists-reply').subarray(4));
    assert.deepEqual(decodeRecord(r, R.ReplyHeader), { xid: 4, zxid: 4n, err: -110 });
    const n = new JuteReader(hexFixture('notification').subarray(4));
    assert.deepEqual(decodeRecord(n, R.ReplyHeader), { xid: -1, zxid: -1n, err: 0 });
    assert.deepEqual(decodeRecord(n, R.WatcherEvent), { type: 1, state: 3, path: '/nope' });
  });

  it('multi request matches, and a captured failed multi decodes per op', () => {
    const f = frameOf((w) => {
      w.int(3).int(Op.multi.code);
      writeMulti(w, [
        { code: Op.check.code, write: (ww) => encodeRecord(ww, R.CheckVersionRequest, { path: '/a', version: 0 }) },
        { code: Op.delete.code, write: (ww) => encodeRecord(ww, R.DeleteRequest, { path: '/a/b', version: -1 }) },
      ]);
    });
    assert.deepEqual(f, hexFixture('multi-request'));
    const r = new JuteReader(hexFixture('multi-failure-reply').subarray(4));
    assert.deepEqual(decodeRecord(r, R.ReplyHeader), { xid: 10, zxid: 9n, err: 0 });
    assert.deepEqual(readMulti(r), [
      { type: 'error', err: 0 },
      { type: 'error', err: -101 },
      { type: 'error', err: -2 },
    ]);
  });
});
