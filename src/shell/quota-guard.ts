import type { ZooKeeperClient } from '../zk/client.js';
import { subtreePaths } from '../tree/walk.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';

const QUOTA_ROOT = '/zookeeper/quota';
const LIMITS = '/zookeeper_limits';

/**
 * Knows which subtrees have a quota. The server checks quotas per request against the tree as it
 * stands, so a multi of 100 creates under a 100-node hard quota all succeed where the same lines
 * one by one fail at the 100th: such writes must not be batched. Quota nodes are read lazily, once
 * per stretch of batchable lines (any other line may change them).
 */
export class QuotaGuard {
  private quotaed: string[] | null = null;

  invalidate(): void {
    this.quotaed = null;
  }

  /**
   * Reads the quota nodes if they are not known (once per stretch of batchable lines). Throws the error when
   * the connection or session fails meanwhile.
   */
  async load(zk: ZooKeeperClient): Promise<void> {
    this.quotaed ??= await this.read(zk);
  }

  /** True if a write at this client path may be limited by a quota (or quotas cannot be known); after load. */
  limits(zk: ZooKeeperClient, clientPath: string): boolean {
    const quotaed = this.quotaed ?? ['*'];
    if (quotaed.length === 0) return false;
    // Under a chroot the client cannot see /zookeeper/quota, so nothing is batched (see read).
    const p = zk.toServerPath(clientPath);
    return quotaed.some((q) => q === '*' || p === q || p.startsWith(q === '/' ? '/' : `${q}/`));
  }

  private async read(zk: ZooKeeperClient): Promise<string[]> {
    // A chrooted client's /zookeeper/quota is another node: quotas are unknown, so assume some.
    if (zk.toServerPath('/') !== '/') return ['*'];
    const out: string[] = [];
    try {
      // With data the walk lists from its first request (no node count first, no exists before it): one
      // round trip for the usual quota tree, empty, before a script's first batch can go.
      for await (const p of subtreePaths(zk, QUOTA_ROOT, { data: true })) {
        if (typeof p !== 'string') return ['*']; // an unreadable quota node: assume the worst
        if (p.endsWith(LIMITS)) out.push(p.slice(QUOTA_ROOT.length, -LIMITS.length) || '/');
      }
    } catch (e) {
      // A lost connection says nothing about quotas: let the caller wait and ask again.
      if (isSessionError(e)) throw e;
      // The walk throws only for its root: no quota root, no quotas.
      if (e instanceof ZkError && e.code === Code.NONODE) return [];
      return ['*'];
    }
    return out;
  }
}
