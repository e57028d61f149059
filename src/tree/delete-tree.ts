import type { MultiOp, MultiResult } from '../zk/client.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import { walkTree, type ChildLister } from './walk.js';

export interface TreeDeleter extends ChildLister {
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  delete(path: string, version?: number): Promise<void>;
}

export interface DeleteTreeOptions {
  /** Most deletes in one multi (zkCli -b; default 1000). ≤ 0: one delete per request. */
  batchSize?: number;
  /** Most request bytes in one multi: jute.maxbuffer (0xfffff) less a margin. */
  maxBatchBytes?: number;
  /** Multis in flight at once (default 10). */
  inFlight?: number;
  /** Paths to leave alone with their subtrees (e.g. /zookeeper when deleting /). */
  exclude?: (path: string) => boolean;
  signal?: AbortSignal;
  /** Called once the subtree is listed, before anything is deleted; return false to cancel. */
  confirm?: (count: number) => Promise<boolean>;
  /** Updated as it goes (nodes listed, then deleted), for a progress line. */
  progress?: { listed: number; deleted: number };
}

export interface DeleteTreeResult {
  listed: number;
  deleted: number;
  /** Nodes that are still there, with why. */
  failed: { path: string; error: ZkError }[];
  /** The confirmation was refused: nothing was deleted. */
  cancelled: boolean;
  /** The signal fired while deleting: batches already sent were finished, no more were started. */
  interrupted: boolean;
  /**
   * The connection or session failed while deleting: no more batches were started. `deleted` counts
   * only confirmed deletes; `unknown` nodes were in requests whose outcome was lost with the error.
   */
  fatal?: unknown;
  unknown: number;
}

// Bytes of one delete sub-op besides its path: MultiHeader (9) + string length (4) + version (4).
const DELETE_OP_OVERHEAD = 17;
const MULTI_OVERHEAD = 4 + 8 + 9;

/**
 * Deletes a subtree: lists it with the pipelined walk, then deletes leaves first in multi batches
 * that fit the server's packet limit, several batches in flight. A refused batch is split in halves
 * until the nodes that cannot be deleted are found, so the result names each of them exactly.
 */
export async function deleteTree(
  zk: TreeDeleter,
  root: string,
  opts: DeleteTreeOptions = {},
): Promise<DeleteTreeResult> {
  const exclude = opts.exclude ?? (() => false);
  const paths: string[] = [];
  const failed: DeleteTreeResult['failed'] = [];
  for await (const v of walkTree(zk, root, opts.signal ? { signal: opts.signal } : {})) {
    if (exclude(v.path)) continue;
    paths.push(v.path);
    if (opts.progress) opts.progress.listed++;
  }
  const listed = paths.length;
  if (opts.confirm && !(await opts.confirm(listed)))
    return { listed, deleted: 0, failed, cancelled: true, interrupted: false, unknown: 0 };
  paths.reverse();

  const batchSize = opts.batchSize ?? 1000;
  const maxBytes = opts.maxBatchBytes ?? 0xfffff - 64 * 1024;
  const batches: string[][] = [];
  let cur: string[] = [];
  let bytes = MULTI_OVERHEAD;
  for (const p of paths) {
    const size = DELETE_OP_OVERHEAD + Buffer.byteLength(p);
    if (cur.length > 0 && (cur.length >= Math.max(1, batchSize) || bytes + size > maxBytes)) {
      batches.push(cur);
      cur = [];
      bytes = MULTI_OVERHEAD;
    }
    cur.push(p);
    bytes += size;
  }
  if (cur.length) batches.push(cur);

  let deleted = 0;
  let unknown = 0;
  let fatal: unknown = null;
  const runBatch = async (batch: string[]): Promise<void> => {
    if (fatal) return;
    if (batchSize <= 0 || batch.length === 1) {
      for (const p of batch) {
        try {
          await zk.delete(p, -1);
          deleted++;
          if (opts.progress) opts.progress.deleted = deleted;
        } catch (e) {
          if (e instanceof ZkError && e.code === Code.NONODE) continue; // already gone: the goal holds
          if (e instanceof ZkError && !isSessionError(e)) failed.push({ path: p, error: e });
          else throw e;
        }
      }
      return;
    }
    try {
      await zk.multi(batch.map((path) => ({ type: 'delete' as const, path, version: -1 })));
      deleted += batch.length;
      if (opts.progress) opts.progress.deleted = deleted;
    } catch (e) {
      if (!(e instanceof ZkError) || isSessionError(e)) throw e;
      // Nothing in a failed multi was applied: split and retry, leaves-first order kept.
      const mid = Math.ceil(batch.length / 2);
      await runBatch(batch.slice(0, mid));
      await runBatch(batch.slice(mid));
    }
  };

  // Keep up to inFlight batches outstanding; the server applies one session's requests in order, so
  // children in an earlier batch are gone before their parents in a later one.
  const inFlight = Math.max(1, opts.inFlight ?? 10);
  const running = new Set<Promise<void>>();
  for (const b of batches) {
    if (opts.signal?.aborted || fatal) break;
    const p: Promise<void> = runBatch(b)
      .catch((e: unknown) => {
        // A lost connection or session: this batch's outcome is unknown; start no more.
        fatal ??= e;
        unknown += b.length;
      })
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= inFlight) await Promise.race(running);
  }
  await Promise.all(running);
  return {
    listed,
    deleted,
    failed,
    cancelled: false,
    interrupted: !!opts.signal?.aborted,
    unknown,
    ...(fatal ? { fatal } : {}),
  };
}
