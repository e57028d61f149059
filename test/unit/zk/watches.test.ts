import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType } from '../../../src/zk/protocol.js';
import { setWatchesBatches, WatchRegistry, type Watcher } from '../../../src/zk/watches.js';

const w = (): Watcher => () => undefined;

describe('WatchRegistry', () => {
  it('registers exists watches in the exist table on NoNode and data table on success', () => {
    const r = new WatchRegistry();
    const a = w();
    r.register({ kind: 'exists', path: '/x', watcher: a }, -101);
    r.register({ kind: 'exists', path: '/y', watcher: a }, 0);
    r.register({ kind: 'data', path: '/z', watcher: a }, -101);
    assert.ok(r.has('exist', '/x'));
    assert.ok(r.has('data', '/y'));
    assert.ok(!r.has('data', '/z'));
  });

  it('takes one-shot watches once and keeps persistent ones', () => {
    const r = new WatchRegistry();
    const a = w(),
      p = w(),
      rec = w();
    r.register({ kind: 'data', path: '/a/b', watcher: a }, 0);
    r.register({ kind: 'persistent', path: '/a/b', watcher: p }, 0);
    r.register({ kind: 'persistentRecursive', path: '/a', watcher: rec }, 0);
    assert.deepEqual([...r.materialize(EventType.NodeDataChanged, '/a/b')], [a, p, rec]);
    assert.deepEqual([...r.materialize(EventType.NodeDataChanged, '/a/b')], [p, rec]);
  });

  it('never gives child events to recursive watchers', () => {
    const r = new WatchRegistry();
    const c = w(),
      rec = w();
    r.register({ kind: 'child', path: '/a', watcher: c }, 0);
    r.register({ kind: 'persistentRecursive', path: '/a', watcher: rec }, 0);
    assert.deepEqual([...r.materialize(EventType.NodeChildrenChanged, '/a')], [c]);
  });

  it('collapses one watcher registered twice', () => {
    const r = new WatchRegistry();
    const a = w();
    r.register({ kind: 'data', path: '/a', watcher: a }, 0);
    r.register({ kind: 'child', path: '/a', watcher: a }, 0);
    assert.equal(r.materialize(EventType.NodeDeleted, '/a').size, 1);
    assert.equal(r.size, 0);
  });
});

describe('setWatchesBatches', () => {
  it('splits at 128 KiB of path characters, in table order', () => {
    const r = new WatchRegistry();
    const a = w();
    const long = '/' + 'x'.repeat(50000);
    for (let i = 0; i < 5; i++) r.register({ kind: 'data', path: `${long}${i}`, watcher: a }, 0);
    r.register({ kind: 'persistent', path: '/p', watcher: a }, 0);
    const batches = setWatchesBatches(r);
    assert.deepEqual(
      batches.map((b) => b.data.length),
      [3, 2],
    );
    assert.deepEqual(batches[1]!.persistent, ['/p']);
    assert.deepEqual(setWatchesBatches(new WatchRegistry()), []);
  });
});
