import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZkError } from '../../src/zk/errors.js';
import { AddWatchMode, EventType, WatcherType } from '../../src/zk/protocol.js';
import type { WatchedEvent } from '../../src/zk/watches.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);
const nodeEvents = (events: WatchedEvent[]): string[] =>
  events.filter((e) => e.type !== -1).map((e) => `${e.type}:${e.path}`);

describe('watches against a real server', () => {
  it('one-shot data, exist and child watches fire once', async () => {
    const { zk, events } = await connectClient(env.cluster.connectString);
    const { zk: other } = await connectClient(env.cluster.connectString);
    const p = uniquePath('w1');
    assert.equal(await zk.exists(p, true), null);
    await other.create(p, null);
    await until(() => nodeEvents(events).length === 1, 'NodeCreated');
    await zk.getData(p, true);
    await zk.getChildren(p, true);
    await other.setData(p, Buffer.from('x'));
    await other.setData(p, Buffer.from('y'));
    await other.create(`${p}/c`, null);
    await other.create(`${p}/d`, null);
    await until(() => nodeEvents(events).length === 3, 'data + child events');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(nodeEvents(events), [
      `${EventType.NodeCreated}:${p}`,
      `${EventType.NodeDataChanged}:${p}`,
      `${EventType.NodeChildrenChanged}:${p}`,
    ]);
    await zk.close();
    await other.close();
  });

  it('a watch function given to one call receives only its own events', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('w2');
    await zk.create(p, null);
    const mine: WatchedEvent[] = [];
    await zk.getData(p, (e) => mine.push(e));
    await zk.delete(p);
    await until(() => mine.length === 1, 'NodeDeleted');
    assert.equal(mine[0]?.type, EventType.NodeDeleted);
    await zk.close();
  });

  it('persistent and persistent-recursive watches keep firing', async () => {
    // Two sessions: the server keeps one watch mode per path per connection.
    const { zk } = await connectClient(env.cluster.connectString);
    const { zk: zr } = await connectClient(env.cluster.connectString);
    const p = uniquePath('w3');
    const pers: WatchedEvent[] = [];
    const rec: WatchedEvent[] = [];
    await zk.addWatch(p, AddWatchMode.PERSISTENT, (e) => pers.push(e));
    await zr.addWatch(p, AddWatchMode.PERSISTENT_RECURSIVE, (e) => rec.push(e));
    await zk.create(p, null);
    await zk.create(`${p}/a`, null);
    await zk.create(`${p}/a/b`, null);
    await zk.setData(`${p}/a/b`, Buffer.from('1'));
    await zk.setData(p, Buffer.from('1'));
    await until(
      () => rec.length === 5 && pers.length === 3,
      `events (persistent ${pers.length}, recursive ${rec.length})`,
    );
    assert.deepEqual(
      pers.map((e) => e.type),
      [EventType.NodeCreated, EventType.NodeChildrenChanged, EventType.NodeDataChanged],
    );
    assert.deepEqual(
      rec.map((e) => `${e.type}:${e.path}`),
      [`1:${p}`, `1:${p}/a`, `1:${p}/a/b`, `3:${p}/a/b`, `3:${p}`],
    );
    await zk.removeWatches(p, WatcherType.Any);
    await zr.removeWatches(p, WatcherType.Any);
    await until(
      () =>
        pers.at(-1)?.type === EventType.PersistentWatchRemoved && rec.at(-1)?.type === EventType.PersistentWatchRemoved,
      'removal events',
    );
    await zk.setData(p, Buffer.from('2'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pers.length, 4);
    assert.equal(rec.length, 6);
    await zk.close();
    await zr.close();
  });

  it('removeWatches, checkWatches and local removal', async () => {
    const { zk, events } = await connectClient(env.cluster.connectString);
    const p = uniquePath('w4');
    await zk.create(p, null);
    await assert.rejects(
      zk.removeWatches(p, WatcherType.Data),
      (e: unknown) => (e as ZkError).message === `KeeperErrorCode = No such watcher for ${p}`,
    );
    await zk.getData(p, true);
    await zk.checkWatches(p, WatcherType.Data);
    await zk.removeWatches(p, WatcherType.Data);
    assert.deepEqual(nodeEvents(events), [`${EventType.DataWatchRemoved}:${p}`]);
    await assert.rejects(zk.checkWatches(p, WatcherType.Data), (e: unknown) => (e as ZkError).code === -121);
    await zk.getChildren(p, true);
    await zk.removeWatches(p, WatcherType.Children, true);
    assert.deepEqual(nodeEvents(events).at(-1), `${EventType.ChildWatchRemoved}:${p}`);
    await zk.close();
  });
});
