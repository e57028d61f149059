import type { ACL } from '../zk/jute/records.js';
import { Code, ZkError } from '../zk/errors.js';
import { parentPath } from '../zk/path.js';
import { CreateMode } from '../zk/protocol.js';
import type { ZkAdapter } from '../commands/spec.js';

/** The ancestors of a path, top first: "/a/b/c" → ["/a", "/a/b"] ("/a/b/" → ["/a", "/a/b"] too). */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let p = parentPath(path); p !== '/'; p = parentPath(p)) out.unshift(p);
  return out;
}

/**
 * mkdir -p for znodes: creates the missing ancestors of `path` as persistent nodes with empty data and
 * `acl` (the default ACL when undefined). Which ones exist is asked first, all at once: a blind create of
 * an existing node under a parent the user cannot write fails NoAuth, not NodeExists. The missing ones
 * are then created in order, pipelined; one that appeared meanwhile (another client) is fine.
 */
export async function createParents(zk: ZkAdapter, path: string, acl: ACL[] | undefined): Promise<void> {
  const all = ancestors(path);
  const stats = await Promise.all(all.map((p) => zk.exists(p)));
  let deepest = stats.length - 1;
  while (deepest >= 0 && stats[deepest] === null) deepest--;
  const missing = all.slice(deepest + 1);
  const empty = Buffer.alloc(0);
  const created = missing.map((p) =>
    zk.create(p, empty, { mode: CreateMode.PERSISTENT, ...(acl ? { acl } : {}) }).catch((e: unknown) => {
      if (e instanceof ZkError && e.code === Code.NODEEXISTS) return p;
      throw e;
    }),
  );
  // Wait for all of them, so no request is left in flight; the first failure is the one reported.
  const results = await Promise.allSettled(created);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
