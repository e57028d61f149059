import { after, before } from 'node:test';
import { startCluster, type ClusterOptions, type ZkCluster } from '../../src/server/zookeeper-server.js';
import { ZooKeeperClient, type WatchedEvent } from '../../src/zk/client.js';
import type { SessionOptions } from '../../src/zk/session.js';

/**
 * Starts a real ZooKeeper for the enclosing test file and stops it after. There is no skip: if the
 * server cannot be installed or started, `before` throws and every test fails with the reason.
 */
export function useCluster(count = 1, opts: ClusterOptions = {}): { readonly cluster: ZkCluster } {
  const holder: { cluster: ZkCluster | null } = { cluster: null };
  before(
    async () => {
      holder.cluster = await startCluster(count, { log: (l) => process.stderr.write(`${l}\n`), ...opts });
    },
    { timeout: 180000 },
  );
  after(async () => {
    await holder.cluster?.stop();
  });
  return {
    get cluster(): ZkCluster {
      if (!holder.cluster) throw new Error('ZooKeeper did not start');
      return holder.cluster;
    },
  };
}

/** A client plus the events its default watcher received. */
export async function connectClient(
  connectString: string,
  opts: Partial<SessionOptions> = {},
): Promise<{ zk: ZooKeeperClient; events: WatchedEvent[] }> {
  const events: WatchedEvent[] = [];
  const zk = await ZooKeeperClient.connect(
    { connectString, watcher: (e) => events.push(e), retryDelay: () => 50, ...opts },
    15000,
  );
  return { zk, events };
}

/** Resolves when `pred` holds, polling; fails with `what` after `ms`. */
export async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

let counter = 0;
/** A unique node name per test, so tests never see each other's data. */
export const uniquePath = (name: string): string => `/${name}-${process.pid}-${++counter}`;
