// Property tests for the ACL text parser (create / setAcl) and the path validator: any string gives a
// value or an InvalidArgumentError, and both agree with independent statements of their rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseAcl, parsePerms, permsToString } from '../../src/zk/acl.js';
import { InvalidArgumentError } from '../../src/zk/errors.js';
import { Chroot, joinPath, parentPath, validatePath } from '../../src/zk/path.js';
import { typedOutcome } from '../helpers/typed-outcome.js';

const aclChars = fc.constantFrom(
  ':',
  ',',
  'c',
  'd',
  'r',
  'w',
  'a',
  'x',
  'C',
  ' ',
  '=',
  '/',
  '\u0000',
  'é',
  '\u{1f600}',
);
const aclText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(aclChars, { maxLength: 30 }).map((a) => a.join('')),
);
const perms = fc.integer({ min: 0, max: 31 });

describe('ACL text (properties)', () => {
  it('any text gives ACL entries or an InvalidArgumentError', () => {
    fc.assert(
      fc.property(aclText, (text) => {
        const r = typedOutcome(() => parseAcl(text), [InvalidArgumentError]);
        if (r instanceof Error) return;
        assert.ok(r.length > 0);
        for (const e of r) {
          assert.ok(!e.id.scheme.includes(':') && !e.id.scheme.includes(','), 'scheme ends at the first colon');
          assert.ok(Number.isInteger(e.perms) && e.perms >= 0 && e.perms <= 31);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('scheme:id:perms lists round-trip (the id may hold colons)', () => {
    const entry = fc.record({
      scheme: fc.string({ maxLength: 8 }).filter((s) => !/[:,]/.test(s)),
      id: fc.string({ maxLength: 16 }).filter((s) => !s.includes(',')),
      perms,
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
        const text = entries.map((e) => `${e.scheme}:${e.id}:${permsToString(e.perms)}`).join(',');
        assert.deepEqual(
          parseAcl(text),
          entries.map((e) => ({ id: { scheme: e.scheme, id: e.id }, perms: e.perms })),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('perms: letters ↔ bits, any order and repeats; anything else is refused', () => {
    fc.assert(
      fc.property(perms, (p) => assert.equal(parsePerms(permsToString(p)), p)),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('c', 'd', 'r', 'w', 'a'), { maxLength: 10 }), (letters) => {
        assert.equal(
          permsToString(parsePerms(letters.join(''))),
          [...new Set(letters)].sort((x, y) => 'cdrwa'.indexOf(x) - 'cdrwa'.indexOf(y)).join(''),
        );
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }).filter((s) => /[^cdrwa]/.test(s)),
        (s) => {
          assert.throws(() => parsePerms(s), InvalidArgumentError);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** ZooKeeper's path rules stated independently of PathUtils' character loop. */
function validByRules(path: string): boolean {
  if (path.length === 0 || path[0] !== '/') return false;
  if (path === '/') return true;
  if (path.endsWith('/')) return false;
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0 || c <= 0x1f || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) return false;
  }
  return path
    .slice(1)
    .split('/')
    .every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const pathChars = fc.constantFrom(
  '/',
  '/',
  '.',
  '.',
  'a',
  'z',
  '0',
  '-',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u009f',
  '\u00a0',
  '\ud800',
  '\udfff',
  '\ue000',
  '\uf8ff',
  '\uf900',
  '\uffef',
  '\ufff0',
  '\uffff',
  'é',
  '\u{1f600}',
);
const pathLike = fc.oneof(
  fc.array(pathChars, { maxLength: 14 }).map((a) => a.join('')),
  fc.array(pathChars, { maxLength: 14 }).map((a) => `/${a.join('')}`),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => `/${s}`),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
/** Valid names: no '/', not "." or "..", no forbidden characters (surrogates, so no emoji, are forbidden). */
const segment = fc
  .string({ unit: fc.constantFrom('a', 'b', '.', '-', '_', 'é', '\u00a0', '\uf900'), minLength: 1, maxLength: 8 })
  .filter((s) => s !== '.' && s !== '..');
const validPath = fc.array(segment, { maxLength: 6 }).map((segs) => (segs.length === 0 ? '/' : `/${segs.join('/')}`));

describe('path validation (properties)', () => {
  it("accepts exactly the paths ZooKeeper's rules allow; refusals are InvalidArgumentError", () => {
    fc.assert(
      fc.property(pathLike, (p) => {
        const r = typedOutcome(() => validatePath(p), [InvalidArgumentError]);
        assert.equal(!(r instanceof Error), validByRules(p), JSON.stringify(p));
        if (r instanceof Error)
          assert.match(
            r.message,
            /^(Path length must be > 0|Path must start with \/ character|Path must not end with \/ character|Invalid path string ".*" caused by .* @\d+)$/s,
          );
      }),
      { numRuns: 5000 },
    );
  });

  it('sequential creates validate path + "1", so a trailing slash is fine', () => {
    fc.assert(
      fc.property(pathLike, (p) => {
        const ok = (f: () => void): boolean => !(typedOutcome(f, [InvalidArgumentError]) instanceof Error);
        assert.equal(
          ok(() => validatePath(p, true)),
          validByRules(`${p}1`),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('joinPath / parentPath / Chroot keep valid paths valid and undo each other', () => {
    fc.assert(
      fc.property(
        validPath,
        segment,
        validPath.filter((r) => r !== '/'),
        (p, name, root) => {
          const child = joinPath(p, name);
          validatePath(child);
          assert.equal(parentPath(child), p);
          const c = new Chroot(root);
          validatePath(c.toServer(p));
          assert.equal(c.toClient(c.toServer(p)), p);
          assert.equal(new Chroot(null).toServer(p), p);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a path of a million characters is checked in linear time', () => {
    const long = `/${'a/'.repeat(500_000)}b`;
    const t0 = performance.now();
    validatePath(long);
    assert.throws(() => validatePath(`${long}\u0001`), InvalidArgumentError);
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });
});
