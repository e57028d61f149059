import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findCommand } from '../../src/commands/index.js';
import { parseCommand } from '../../src/shell/parse.js';
import { resolvePath } from '../../src/shell/resolve-paths.js';
import { validatePath } from '../../src/zk/path.js';

describe('relative znode paths', () => {
  it('resolves against the current path, as a file system does', () => {
    const cases: [string, string, string][] = [
      ['/', 'a', '/a'],
      ['/app', 'cfg', '/app/cfg'],
      ['/app/cfg', '..', '/app'],
      ['/app/cfg', '../other/x', '/app/other/x'],
      ['/app', '.', '/app'],
      ['/app', './tmp', '/app/tmp'],
      ['/app', '../..', '/'],
      ['/', '..', '/'],
      ['/app', 'cfg/', '/app/cfg'],
      ['/app', '../', '/'],
      // Absolute paths stay as typed (zkCli's messages for these are kept), less one trailing slash.
      ['/app', '/x', '/x'],
      ['/app', '/x/', '/x'],
      ['/app', '/', '/'],
      ['/app', '/a/../b', '/a/../b'],
      ['/app', '//x', '//x'],
      ['/app', '/x//', '/x/'],
      // An empty name stays, so the client names it; an empty path stays empty.
      ['/app', 'a//b', '/app/a//b'],
      ['/app', '', ''],
    ];
    for (const [cwd, typed, want] of cases) assert.equal(resolvePath(cwd, typed), want, `${cwd} + ${typed}`);
  });

  it('keeps a trailing slash where it means something (create -s /q/)', () => {
    assert.equal(resolvePath('/app', 'q/', true), '/app/q/');
    assert.equal(resolvePath('/app', '/q/', true), '/q/');
    assert.equal(resolvePath('/app', '../', true), '/');
  });

  it('a relative path of plain names always resolves to a valid path', () => {
    const name = fc.stringMatching(/^[a-z0-9_-]{1,5}$/);
    const word = fc.oneof(name, fc.constant('.'), fc.constant('..'));
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 4 }),
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (cwd, rel, slash) => {
          const r = resolvePath(`/${cwd.join('/')}`, rel.join('/') + (slash ? '/' : ''));
          validatePath(r);
          assert.ok(!r.split('/').includes('..') && !r.split('/').includes('.'));
        },
      ),
    );
  });

  it('parseCommand resolves only znode positionals, and leaves cd - alone', () => {
    assert.deepEqual(parseCommand(['set', 'x', 'data'], '/app').parsed.args, ['/app/x', 'data']);
    assert.deepEqual(parseCommand(['create', '-s', 'q/', 'd'], '/app').parsed.args, ['/app/q/', 'd']);
    assert.deepEqual(parseCommand(['setAcl', '..', 'world:anyone:r'], '/app/x').parsed.args, [
      '/app',
      'world:anyone:r',
    ]);
    assert.deepEqual(parseCommand(['cd', '-'], '/app').parsed.args, ['-']);
    assert.deepEqual(parseCommand(['cd', './-'], '/app').parsed.args, ['/app/-']);
    // Raw commands parse their own words.
    assert.equal(findCommand('addauth')?.raw, true);
    assert.deepEqual(parseCommand(['addauth', 'digest', 'u:p'], '/app').parsed.args, ['digest', 'u:p']);
  });
});
