// Export records are written by hand for speed: they must stay byte-identical to JSON.stringify of the
// record object (what version 1 files hold) and parse back to the same record.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lineBatches } from '../../src/backup/file-io.js';
import { parseLine, recordLine, type NodeRecord } from '../../src/backup/format.js';
import { endsInSequence } from '../../src/zk/path.js';
import { statJson } from '../../src/output/json.js';
import { hex } from '../../src/output/zkcli.js';
import { permsToString } from '../../src/zk/acl.js';
import type { Stat } from '../../src/zk/jute/records.js';

const long = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const int = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
// Times a Date can hold (±8.64e15 ms), around now most of the time.
const time = fc.oneof(
  fc.bigInt({ min: 1_600_000_000_000n, max: 1_900_000_000_000n }),
  fc.bigInt({ min: -(8n * 10n ** 15n), max: 8n * 10n ** 15n }),
);
const stat: fc.Arbitrary<Stat> = fc.record({
  czxid: long,
  mzxid: long,
  ctime: time,
  mtime: time,
  version: int,
  cversion: int,
  aversion: int,
  ephemeralOwner: long,
  dataLength: int,
  numChildren: int,
  pzxid: long,
});
const record: fc.Arbitrary<NodeRecord> = fc.record(
  {
    path: fc.string({ unit: 'grapheme', maxLength: 30 }),
    data: fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))),
    acl: fc.array(
      fc.record({
        perms: fc.integer({ min: 0, max: 31 }),
        id: fc.record({ scheme: fc.constantFrom('world', 'digest', 'ip', 'x509'), id: fc.string() }),
      }),
      { maxLength: 3 },
    ),
    kind: fc.constantFrom('persistent', 'ephemeral', 'container', 'ttl'),
    ttl: fc.integer({ min: 1, max: 2 ** 40 }),
    sequential: fc.constant(true),
    stat,
  },
  { requiredKeys: ['path', 'data', 'kind'] },
);

/** The object the format was defined by: key order and encodings of version 1. */
function reference(r: NodeRecord): string {
  const o: Record<string, unknown> = { path: r.path, data: r.data === null ? null : r.data.toString('base64') };
  if (r.acl) o['acl'] = r.acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: permsToString(a.perms) }));
  o['kind'] = r.kind;
  if (r.ttl !== undefined) o['ttl'] = r.ttl;
  if (r.sequential) o['sequential'] = true;
  if (r.stat) o['stat'] = statJson(r.stat);
  return JSON.stringify(o);
}

describe('export record lines', () => {
  it('equal JSON.stringify of the record object, byte for byte', () => {
    fc.assert(
      fc.property(record, (r) => assert.equal(recordLine(r), reference(r))),
      { numRuns: 2000 },
    );
  });

  it('parse back to the same path, data, ACL and kind', () => {
    const name = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
      // Names ZooKeeper accepts (PathUtils refuses controls, surrogates, private use and U+FFF0-U+FFFF).
      .filter(
        (c) => !c.includes('/') && !/[\x00-\x1f\x7f-\x9f\ud800-\uf8ff\ufff0-\uffff]/.test(c) && c !== '.' && c !== '..',
      );
    const valid = fc.record({
      path: fc.array(name, { maxLength: 4 }).map((a) => a.join('/')),
      data: fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a))),
      acl: fc.array(
        fc.record({
          perms: fc.integer({ min: 1, max: 31 }),
          id: fc.constantFrom({ scheme: 'world', id: 'anyone' }, { scheme: 'ip', id: '10.0.0.0/8' }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      kind: fc.constantFrom<NodeRecord['kind']>('persistent', 'ephemeral', 'container'),
    });
    fc.assert(
      fc.property(valid, (r) => {
        // fc.record builds null-prototype objects; compare plain copies.
        const plain = { ...r, acl: r.acl.map((a) => ({ perms: a.perms, id: { ...a.id } })) };
        assert.deepEqual(parseLine('f', 2, recordLine(r), true), plain);
      }),
    );
  });

  it('keep each ACL its own when lists are shared between records', () => {
    // Joined with a separator, these two lists would read the same.
    const a = [{ perms: 1, id: { scheme: 'x\0y', id: 'z' } }];
    const b = [{ perms: 1, id: { scheme: 'x', id: 'y\0z' } }];
    for (let i = 0; i < 3; i++)
      for (const acl of [a, b]) {
        const got = parseLine('f', 2, recordLine({ path: 'n', data: null, acl, kind: 'persistent' }), true);
        assert.deepEqual('end' in got ? null : got.acl, acl);
      }
  });

  it('name what is wrong with a bad path', () => {
    const why = (path: string): string => {
      try {
        parseLine('f', 7, recordLine({ path, data: null, kind: 'persistent' }), false);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    for (const p of ['a//b', '../x', 'a/.', 'a\0b', '/a'])
      assert.equal(why(p), `f: line 7: bad relative path ${JSON.stringify(p)}; nothing was written`);
    assert.match(why('a/\u0001'), /a character ZooKeeper refuses; nothing/);
    assert.match(why('a\ufffd'), /a character ZooKeeper refuses \(is the file UTF-8\?\)/);
    assert.equal(why('a/b c/ü'), 'accepted');
  });

  it('hex is BigInt hex of the unsigned 64-bit value on both sides of 2^53', () => {
    fc.assert(fc.property(long, (v) => assert.equal(hex(v), `0x${BigInt.asUintN(64, v).toString(16)}`)));
    for (const v of [0n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -1n])
      assert.equal(hex(v), `0x${BigInt.asUintN(64, v).toString(16)}`);
  });
});

describe('export file lines', () => {
  it('lineBatches gives back the lines whatever the chunk cuts (inside UTF-8 too), CRLF or LF', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (lines, crlf, trailing, cuts) => {
          // A last empty line would be indistinguishable from a trailing newline.
          if (lines[lines.length - 1] === '') lines[lines.length - 1] = 'x';
          const text = lines.join(crlf ? '\r\n' : '\n') + (trailing ? (crlf ? '\r\n' : '\n') : '');
          const bytes = Buffer.from(text, 'utf8');
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let from = 0;
          for (const c of [...at, bytes.length]) {
            if (c > from) chunks.push(bytes.subarray(from, c));
            from = Math.max(from, c);
          }
          const got: string[] = [];
          for await (const b of lineBatches(
            (async function* () {
              yield* chunks;
            })(),
          ))
            got.push(...b);
          assert.deepEqual(got, lines);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sequential names', () => {
  it('endsInSequence is "the last name ends in 10 digits"', () => {
    const part = fc.string({ unit: fc.constantFrom('0', '1', '9', 'a', '-', '/'), maxLength: 24 });
    fc.assert(
      fc.property(part, (tail) => {
        const p = `/r/${tail}`;
        assert.equal(endsInSequence(p), /\d{10}$/.test(p.slice(p.lastIndexOf('/') + 1)), p);
      }),
      { numRuns: 2000 },
    );
  });
});
