import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Completer, type ChildSource } from '../../src/repl/completer.js';

// A tree in memory: the completer only lists children and asks how many each has.
const TREE: Record<string, string[]> = {
  '/': ['app', 'zookeeper'],
  '/app': ['cfg', 'cache', 'leaf', '.hidden'],
  '/app/cfg': ['a'],
  '/app/cfg/a': [],
  '/app/cache': [],
  '/app/leaf': [],
  '/app/.hidden': [],
  '/zookeeper': [],
};
const source: ChildSource = {
  getChildren: (p) => (TREE[p] ? Promise.resolve(TREE[p]) : Promise.reject(new Error('NoNode'))),
  exists: (p) => Promise.resolve(TREE[p] ? { numChildren: TREE[p].length } : null),
};

describe('completion of relative paths', () => {
  const at = (cwd: string): Completer =>
    new Completer(
      () => source,
      () => cwd,
    );

  it('completes names relative to the current path, with / after nodes that have children', async () => {
    assert.deepEqual(await at('/app').complete('get c'), [['cache', 'cfg/'], 'c']);
    assert.deepEqual(await at('/app').complete('ls cf'), [['cfg/'], 'cf']);
    assert.deepEqual(await at('/app').complete('ls cfg/'), [['cfg/a'], 'cfg/']);
    assert.deepEqual(await at('/app').complete('ls '), [['.hidden', 'cache', 'cfg/', 'leaf'], '']);
  });

  it('completes .. and ./ and goes on from them', async () => {
    assert.deepEqual(await at('/app').complete('cd ..'), [['../'], '..']);
    assert.deepEqual(await at('/app').complete('cd .'), [['./', '../', '.hidden'], '.']);
    assert.deepEqual(await at('/app/cfg').complete('get ../ca'), [['../cache'], '../ca']);
    assert.deepEqual(await at('/app/cfg').complete('ls ../../z'), [['../../zookeeper'], '../../z']);
  });

  it('keeps absolute completion as it was, and at / an empty word completes absolute paths', async () => {
    assert.deepEqual(await at('/app').complete('ls /a'), [['/app/'], '/a']);
    assert.deepEqual(await at('/').complete('ls '), [['/app/', '/zookeeper'], '']);
    assert.deepEqual(await at('/').complete('ls ap'), [['app/'], 'ap']);
  });

  it('cp and diff complete both sides as znodes, but not a zk:// URL, data: dir or export file', async () => {
    assert.deepEqual(await at('/').complete('cp -R /app/c'), [['/app/cache', '/app/cfg/'], '/app/c']);
    assert.deepEqual(await at('/app').complete('diff cfg /app/l'), [['/app/leaf'], '/app/l']);
    assert.deepEqual(await at('/app').complete('diff l'), [['leaf'], 'l']);
    for (const w of ['zk://127.0.0.1:2181/a', 'data:/var/zk', 'file:/tmp/a', 'x.jsonl'])
      assert.deepEqual(await at('/').complete(`cp /app ${w}`), [[], w]);
  });

  it('offers nothing (and never throws) under a missing node', async () => {
    assert.deepEqual(await at('/app').complete('ls nope/x'), [[], 'nope/x']);
  });
});

describe('completion of names with spaces and quotes', () => {
  const SPACED: Record<string, string[]> = { '/': ['svc'], '/svc': ['my node', "it's", 'plain'], '/svc/my node': [] };
  const src: ChildSource = {
    getChildren: (p) => (SPACED[p] ? Promise.resolve(SPACED[p]) : Promise.reject(new Error('NoNode'))),
    exists: (p) => Promise.resolve(SPACED[p] ? { numChildren: SPACED[p].length } : null),
  };
  const c = new Completer(
    () => src,
    () => '/svc',
  );

  it('escapes what the shell would split on, so the completed line names the node', async () => {
    assert.deepEqual(await c.complete('get my'), [['my\\ node'], 'my']);
    assert.deepEqual(await c.complete('get /svc/my'), [['/svc/my\\ node'], '/svc/my']);
    assert.deepEqual(await c.complete('get it'), [["it\\'s"], 'it']);
  });

  it('goes on from a word that already has an escaped space', async () => {
    assert.deepEqual(await c.complete('get my\\ n'), [['my\\ node'], 'my\\ n']);
    assert.deepEqual(await c.complete('du -d 1 ../svc/my\\ '), [['../svc/my\\ node'], '../svc/my\\ ']);
  });
});
