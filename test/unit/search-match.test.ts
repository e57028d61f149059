import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import count from '../../src/commands/count.js';
import { UsageError, type CommandContext } from '../../src/commands/spec.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { basicToJs, compileGrep } from '../../src/search/grep-match.js';
import { compileFind, parseDuration } from '../../src/search/match.js';
import { humanBytes } from '../../src/output/search.js';
import { depthBelow } from '../../src/tree/depth-limit.js';
import { elapsedText, startProgress } from '../../src/output/progress.js';

describe('search matching', () => {
  it('grep without -E is a basic regular expression: + ? | ( ) { } literal unless escaped', () => {
    assert.equal(basicToJs('a+b'), 'a\\+b');
    assert.equal(basicToJs('a\\+b'), 'a+b');
    assert.equal(basicToJs('\\(x\\|y\\)'), '(x|y)');
    assert.equal(basicToJs('[(+]x'), '[(+]x');
    assert.equal(basicToJs('[]a]'), '[]a]');
    assert.equal(basicToJs('h.*9092$'), 'h.*9092$');
  });

  it('a basic expression without special characters matches itself as a literal, in any data', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', minLength: 1 }).filter((s) => !/[\\.*[\]^$]/.test(s)),
        (lit) => {
          const m = compileGrep(lit, { ignoreCase: false, extended: false });
          assert.deepEqual(m.lines(Buffer.from(`x${lit}y`)).hits, [{ n: 1, line: `x${lit}y` }]);
        },
      ),
    );
  });

  it('binary data is matched byte for byte and shown escaped', () => {
    const m = compileGrep('é=', { ignoreCase: false, extended: false });
    const data = Buffer.concat([Buffer.from([0xff, 0x01]), Buffer.from('é=1\nno')]);
    assert.deepEqual(m.lines(data), { binary: true, hits: [{ n: 1, line: '\\xff\\x01\\xc3\\xa9=1' }] });
  });

  it('find tests: globs on names and paths, whole-path regex, and which tests need the stat', () => {
    const t = compileFind({ name: '*.json' });
    assert.equal(t.byPath('/a/b.json'), true);
    assert.equal(t.byPath('/a.json/b'), false);
    assert.equal(t.byStat, null);
    assert.equal(compileFind({ name: '*' }).byPath('/a/.hidden'), true);
    const p = compileFind({ path: '/a/**/c' });
    assert.equal(p.byPath('/a/x/y/c'), true);
    assert.equal(compileFind({ path: '/a/*' }).byPath('/a/x/y'), false);
    const r = compileFind({ regex: '/a/[0-9]+' });
    assert.equal(r.byPath('/a/12'), true);
    assert.equal(r.byPath('/a/12/x'), false, 'the whole path must match');
    assert.equal(compileFind({ type: 's' }).byStat, null, 'sequential is by name');
    assert.notEqual(compileFind({ type: 'e' }).byStat, null);
    assert.throws(() => compileFind({ name: '{a' }).byPath('/a'), UsageError);
    assert.throws(() => compileFind({ type: 'p,q' }), /unknown type q/);
  });

  it('-regex is checked as typed: it can neither break out of the whole-path anchor nor show the wrapper', () => {
    // Wrapped as ^(?:…)$, this would be valid and match any path starting with /a.
    assert.throws(() => compileFind({ regex: '/a)|(.*' }), { name: 'UsageError', message: /Unmatched '\)'/ });
    assert.throws(
      () => compileFind({ regex: '((' }),
      (e: Error) => e instanceof UsageError && !e.message.includes('?:'),
    );
    assert.equal(compileFind({ regex: '/a|/b' }).byPath('/a/x'), false, 'an alternation still matches whole paths');
  });

  it('durations, depths, sizes', () => {
    assert.equal(parseDuration('90s', 'x'), 90000);
    assert.equal(parseDuration('2h', 'x'), 7200000);
    assert.equal(parseDuration('1w', 'x'), 604800000);
    assert.equal(parseDuration('15', 'x'), 15000);
    assert.throws(() => parseDuration('-1s', '-newer-than'), /-newer-than: not a duration/);
    assert.equal(depthBelow('/', '/'), 0);
    assert.equal(depthBelow('/', '/a/b'), 2);
    assert.equal(depthBelow('/a', '/a/b/c'), 2);
    assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024 * 1024].map(humanBytes), ['0', '1023', '1.0K', '1.5K', '10M']);
    assert.equal(elapsedText(61500), '1m01s');
  });

  it('no progress line when stderr is not a terminal or ZK_SHELL_PROGRESS=0', async () => {
    let written = '';
    const fake = { isTTY: true, write: (s: string) => (written += s) } as unknown as NodeJS.WriteStream;
    startProgress('x', () => 1, { ...fake, isTTY: false } as NodeJS.WriteStream, {
      ZK_SHELL_PROGRESS_DELAY_MS: '0',
    }).stop();
    const off = startProgress('x', () => 1, fake, { ZK_SHELL_PROGRESS: '0', ZK_SHELL_PROGRESS_DELAY_MS: '0' });
    await new Promise((r) => setTimeout(r, 50));
    off.stop();
    assert.equal(written, '');
  });
});

describe('count without getAllChildrenNumber (a pre-3.6 server)', () => {
  const tree: Record<string, string[]> = { '/a': ['b', 'c'], '/a/b': ['d'], '/a/c': [], '/a/b/d': [] };
  const ctx = (locked = ''): CommandContext =>
    ({
      zk: {
        getAllChildrenNumber: () => Promise.reject(new ZkError(Code.UNIMPLEMENTED, '/a')),
        getChildren: (p: string) =>
          p === locked ? Promise.reject(new ZkError(Code.NOAUTH, p)) : Promise.resolve(tree[p] ?? []),
      },
      signal: new AbortController().signal,
    }) as unknown as CommandContext;

  it('walks the subtree instead, and refuses a number it could not complete', async () => {
    assert.deepEqual(await count.run(ctx(), { options: {}, args: ['/a'] }), { type: 'number', path: '/a', value: 3 });
    await assert.rejects(count.run(ctx('/a/b'), { options: {}, args: ['/a'] }), /Insufficient permission : \/a\/b/);
  });
});
