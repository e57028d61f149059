import type { ZooKeeperClient } from '../zk/client.js';
import { Code, ZkError } from '../zk/errors.js';
import { AddWatchMode, EventType } from '../zk/protocol.js';
import type { WatchedEvent, Watcher } from '../zk/watches.js';
import { OneShotWatch } from './one-shot-watch.js';

/** What `watch` reports about a node. Recursive watches report no `children` (the nodes themselves come). */
export type ChangeKind = 'created' | 'deleted' | 'changed' | 'children';

export interface Change {
  readonly kind: ChangeKind;
  readonly path: string;
  /** The transaction's zxid where the server sends it (3.9+), else -1. */
  readonly zxid: bigint;
}

/** How the watch is kept: persistent watches (3.6+) or one-shot watches set again after each event. */
export type WatchMode = 'persistent' | 'persistent-recursive' | 'one-shot' | 'one-shot-recursive';

export interface ArmedWatch {
  readonly mode: WatchMode;
  /** Stops delivering and takes this watcher off the paths it was on (others' watches stay). */
  stop(): Promise<void>;
}

export const KIND_OF_EVENT: Readonly<Record<number, ChangeKind>> = {
  [EventType.NodeCreated]: 'created',
  [EventType.NodeDeleted]: 'deleted',
  [EventType.NodeDataChanged]: 'changed',
  [EventType.NodeChildrenChanged]: 'children',
};

/**
 * Sets a watch on `path` that reports every change to `emit`: a persistent (recursive) watch when the
 * server has addWatch, else one-shot watches re-armed after each event (`oneShot` forces those).
 */
export async function armWatch(
  zk: ZooKeeperClient,
  path: string,
  o: { recursive: boolean; oneShot: boolean },
  emit: (c: Change) => void,
): Promise<ArmedWatch> {
  if (!o.oneShot) {
    let stopped = false;
    const w: Watcher = (e: WatchedEvent) => {
      const kind = KIND_OF_EVENT[e.type];
      if (stopped || e.path === null || !kind) return;
      emit({ kind, path: e.path, zxid: e.zxid });
    };
    try {
      await zk.addWatch(path, o.recursive ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT, w);
      return {
        mode: o.recursive ? 'persistent-recursive' : 'persistent',
        stop: async () => {
          stopped = true;
          await zk.removeWatcher(path, w);
        },
      };
    } catch (e) {
      // Servers before 3.6 do not know addWatch: fall back to one-shot watches.
      if (!(e instanceof ZkError) || e.code !== Code.UNIMPLEMENTED) throw e;
    }
  }
  const one = new OneShotWatch(zk, path, o.recursive, emit);
  await one.start();
  return { mode: o.recursive ? 'one-shot-recursive' : 'one-shot', stop: () => one.stop() };
}
