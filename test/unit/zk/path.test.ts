import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chroot, joinPath, parentPath, validatePath } from '../../../src/zk/path.js';

const msg = (p: string, seq = false): string | null => {
  try {
    validatePath(p, seq);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('validatePath (PathUtils wording)', () => {
  const cases: [string, string | null][] = [
    ['/', null],
    ['/a', null],
    ['/a/b.c/...', null],
    ['/.a', null],
    ['/a..b', null],
    ['/ü', null],
    ['', 'Path length must be > 0'],
    ['a', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['/a//b', 'Invalid path string "/a//b" caused by empty node name specified @3'],
    ['//x', 'Invalid path string "//x" caused by empty node name specified @1'],
    ['/.', 'Invalid path string "/." caused by relative paths not allowed @1'],
    ['/..', 'Invalid path string "/.." caused by relative paths not allowed @2'],
    ['/a/./b', 'Invalid path string "/a/./b" caused by relative paths not allowed @3'],
    ['/a/../b', 'Invalid path string "/a/../b" caused by relative paths not allowed @4'],
    ['/a\u0000b', 'Invalid path string "/a\u0000b" caused by null character not allowed @2'],
    ['/a\u0085b', 'Invalid path string "/a\u0085b" caused by invalid character @2'],
    ['/\u{1F600}', 'Invalid path string "/\u{1F600}" caused by invalid character @1'],
    ['/a\ufff5', 'Invalid path string "/a\ufff5" caused by invalid character @2'],
  ];
  for (const [p, expected] of cases) {
    it(`${JSON.stringify(p)} → ${expected ?? 'valid'}`, () => assert.equal(msg(p), expected));
  }

  it('validates sequential paths with a trailing 1, so /dir/ is allowed', () => {
    assert.equal(msg('/dir/', true), null);
    assert.equal(msg('/dir/'), 'Path must not end with / character');
  });
});

describe('path helpers and chroot', () => {
  it('joins and takes parents', () => {
    assert.equal(joinPath('/', 'a'), '/a');
    assert.equal(joinPath('/a', 'b'), '/a/b');
    assert.equal(parentPath('/a/b'), '/a');
    assert.equal(parentPath('/a'), '/');
  });

  it('applies and strips a chroot only at component boundaries', () => {
    const c = new Chroot('/app');
    assert.equal(c.toServer('/'), '/app');
    assert.equal(c.toServer('/x'), '/app/x');
    assert.equal(c.toClient('/app'), '/');
    assert.equal(c.toClient('/app/x'), '/x');
    assert.equal(c.toClient('/apple'), '/apple');
    assert.equal(new Chroot(null).toServer('/x'), '/x');
  });
});
