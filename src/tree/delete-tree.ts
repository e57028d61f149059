import type { MultiOp, MultiResult } from '../zk/client.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import { depthOf, LeafGuesser } from './leaf-guess.js';
import { walkBatches, walkTree, type ChildLister } from './walk.js';

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
  /** Without a confirmation, delete some nodes unlisted where the tree looks all leaves (leaf-guess.ts; default true). */
  guessLeaves?: boolean;
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
 * Deletes a subtree with the pipelined walk, children before parents, in multi batches that fit the
 * server's packet limit, several batches in flight. Without a confirmation the deletes stream behind the
 * walk (a node goes as soon as its whole subtree has been visited), so memory stays at the tree's depth
 * plus the batches in flight, whatever the subtree's size. With one, the subtree is listed and counted
 * first. A refused batch is split in halves until the nodes that cannot be deleted are found, so the
 * result names each of them exactly.
 */
export async function deleteTree(
  zk: TreeDeleter,
  root: string,
  opts: DeleteTreeOptions = {},
): Promise<DeleteTreeResult> {
  const exclude = opts.exclude ?? (() => false);
  const failed: DeleteTreeResult['failed'] = [];
  const batchSize = opts.batchSize ?? 1000;
  const maxBytes = opts.maxBatchBytes ?? 0xfffff - 64 * 1024;
  const inFlight = Math.max(1, opts.inFlight ?? 10);
  let listed = 0;
  let deleted = 0;
  let unknown = 0;
  let fatal: unknown = null;
  const guesser = !opts.confirm && opts.guessLeaves !== false ? new LeafGuesser(exclude) : null;
  // Nodes queued for deletion unlisted (taken for leaves), until their delete succeeds.
  const guessed = new Set<string>();
  // Nodes whose children could not be listed, with why: their delete, refused as NOTEMPTY, is reported with
  // this error instead (the cause, which "Node not empty" hid: no permission to read the node, say).
  const unlisted = new Map<string, ZkError>();
  const cause = (p: string, e: ZkError): ZkError => (e.code === Code.NOTEMPTY ? (unlisted.get(p) ?? e) : e);
  const countDeleted = (): void => {
    if (opts.progress) opts.progress.deleted = deleted;
  };
  const countListed = (): void => {
    listed++;
    if (opts.progress) opts.progress.listed++;
  };

  /** A subtree the walk did not list (a wrong guess, whose delete was refused): deleted by a walk of its own. */
  const deleteSubtree = async (p: string): Promise<void> => {
    let r: DeleteTreeResult;
    try {
      r = await deleteTree(zk, p, {
        batchSize,
        maxBatchBytes: maxBytes,
        inFlight,
        exclude,
        guessLeaves: false,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      if (e instanceof ZkError && e.code === Code.NONODE) return;
      // Its children cannot be read: p stays, reported with why, as it would have been had the walk listed it.
      if (e instanceof ZkError && !isSessionError(e)) failed.push({ path: p, error: e });
      else throw e;
      return;
    }
    listed += r.listed - 1; // p itself was counted already
    deleted += r.deleted;
    unknown += r.unknown;
    // A loop, not push(...r.failed): a spread of ~120,000+ arguments throws RangeError.
    for (const f of r.failed) failed.push(f);
    countDeleted();
    if (r.fatal) throw r.fatal as Error;
  };
  /** A delete refused because a node taken for a leaf has children: true once that subtree is dealt with. */
  const wrongGuess = async (p: string, e: unknown): Promise<boolean> => {
    if (!(e instanceof ZkError && e.code === Code.NOTEMPTY && guessed.delete(p))) return false;
    guesser?.wrongAt(p);
    await deleteSubtree(p);
    return true;
  };

  const runBatch = async (batch: string[]): Promise<void> => {
    if (fatal) return;
    if (batchSize <= 0 || batch.length === 1) {
      for (const p of batch) {
        try {
          await zk.delete(p, -1);
          deleted++;
          guessed.delete(p);
          countDeleted();
        } catch (e) {
          if (e instanceof ZkError && e.code === Code.NONODE) continue; // already gone: the goal holds
          if (await wrongGuess(p, e)) continue;
          if (e instanceof ZkError && !isSessionError(e)) failed.push({ path: p, error: cause(p, e) });
          else {
            unknown++; // lost with the connection: it may have been deleted
            throw e;
          }
        }
      }
      return;
    }
    try {
      await zk.multi(batch.map((path) => ({ type: 'delete' as const, path, version: -1 })));
      deleted += batch.length;
      if (guessed.size > 0) for (const p of batch) guessed.delete(p);
      countDeleted();
    } catch (e) {
      if (!(e instanceof ZkError) || isSessionError(e)) {
        unknown += batch.length;
        throw e;
      }
      // The op that failed says which node; the others of the multi report only that it was undone.
      const i = e.results?.findIndex((r) => r.err !== 0 && r.err !== Code.RUNTIMEINCONSISTENCY) ?? -1;
      const code = e.results?.[i]?.err;
      if (i >= 0 && (await wrongGuess(batch[i]!, new ZkError(code ?? e.code, batch[i])))) {
        await runBatch(batch.filter((_, j) => j !== i));
        return;
      }
      // Nothing in a failed multi was applied: split and retry, leaves-first order kept.
      const mid = Math.ceil(batch.length / 2);
      await runBatch(batch.slice(0, mid));
      await runBatch(batch.slice(mid));
    }
  };

  // Up to inFlight batches outstanding; the server applies one session's requests in order, so
  // children in an earlier batch are gone before their parents in a later one.
  const running = new Set<Promise<void>>();
  const dispatch = async (b: string[]): Promise<void> => {
    const p: Promise<void> = runBatch(b)
      .catch((e: unknown) => {
        // A lost connection or session: start no more. Only the request it was lost with is unknown (counted
        // where it failed): halves of a split batch that went before it were confirmed, those after never sent.
        fatal ??= e;
      })
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= inFlight) await Promise.race(running);
  };
  let cur: string[] = [];
  let bytes = MULTI_OVERHEAD;
  const stopped = (): boolean => !!opts.signal?.aborted || !!fatal;
  /** Queues one path, in an order where every node comes after its descendants. */
  const add = async (p: string): Promise<void> => {
    const size = DELETE_OP_OVERHEAD + Buffer.byteLength(p);
    if (cur.length > 0 && (cur.length >= Math.max(1, batchSize) || bytes + size > maxBytes)) {
      const b = cur;
      cur = [];
      bytes = MULTI_OVERHEAD;
      await dispatch(b);
    }
    cur.push(p);
    bytes += size;
  };
  /**
   * A parent is refused (NOTEMPTY) when a child that goes in the end is still there as its delete arrives:
   * a wrong guess, deleted out of order with its own walk, or a child in an earlier multi that failed for
   * another node's sake and was resent, halved, after later batches had already gone. Once every batch is
   * done, such parents are tried again with one delete each, deepest first; one that still has a child
   * (a node that cannot be deleted, or one created meanwhile) stays reported as it was.
   */
  const retryRefusedParents = async (): Promise<void> => {
    const refused = failed.filter((f) => f.error.code === Code.NOTEMPTY);
    if (refused.length === 0) return;
    const gone = new Set<string>();
    const byDepth = [...refused].sort((a, b) => depthOf(b.path) - depthOf(a.path));
    for (let i = 0; i < byDepth.length && !stopped();) {
      const d = depthOf(byDepth[i]!.path);
      let j = i;
      while (j < byDepth.length && j - i < 1000 && depthOf(byDepth[j]!.path) === d) j++;
      await Promise.all(
        byDepth.slice(i, j).map(async (f) => {
          try {
            await zk.delete(f.path, -1);
            deleted++;
            gone.add(f.path);
          } catch (e) {
            if (e instanceof ZkError && e.code === Code.NONODE) gone.add(f.path);
            else if (e instanceof ZkError && !isSessionError(e)) f.error = e;
            else {
              fatal ??= e;
              unknown++;
            }
          }
        }),
      );
      countDeleted();
      i = j;
    }
    if (gone.size === 0) return;
    // Kept in place (no push(...rest): a spread of ~120,000+ arguments throws RangeError).
    let kept = 0;
    for (const f of failed) if (!gone.has(f.path)) failed[kept++] = f;
    failed.length = kept;
  };
  const finish = async (): Promise<DeleteTreeResult> => {
    if (cur.length > 0 && !stopped()) await dispatch(cur);
    await Promise.all(running);
    if (!stopped()) await retryRefusedParents();
    return {
      listed,
      deleted,
      failed,
      cancelled: false,
      interrupted: !!opts.signal?.aborted,
      unknown,
      ...(fatal ? { fatal } : {}),
    };
  };

  if (opts.confirm) {
    // Asking first means counting first: list the whole subtree, then delete it in reverse preorder.
    const paths: string[] = [];
    for await (const v of walkTree(zk, root, opts.signal ? { signal: opts.signal } : {})) {
      if (exclude(v.path)) continue;
      if (v.error) unlisted.set(v.path, v.error);
      paths.push(v.path);
      if (opts.progress) opts.progress.listed++;
    }
    listed = paths.length;
    if (!(await opts.confirm(listed)))
      return { listed, deleted: 0, failed, cancelled: true, interrupted: false, unknown: 0 };
    for (let i = paths.length - 1; i >= 0 && !stopped(); i--) await add(paths[i]!);
    return finish();
  }

  // Post-order from the walk's preorder: a node is queued once the walk has left its subtree.
  const open: string[] = [];
  const inside = (ancestor: string, p: string): boolean =>
    p.startsWith(ancestor === '/' ? '/' : `${ancestor}/`) && p !== ancestor;
  let walkError: unknown = null;
  const walkOpts = guesser ? { leafGuesser: guesser } : {};
  try {
    walk: for await (const batch of walkBatches(zk, root, walkOpts)) {
      for (const v of batch) {
        if (stopped()) break walk;
        if (exclude(v.path)) continue;
        while (open.length > 0 && !inside(open[open.length - 1]!, v.path)) await add(open.pop()!);
        open.push(v.path);
        if (v.error) unlisted.set(v.path, v.error);
        countListed();
        // Taken for leaves: they go before their parent like any child.
        for (const g of v.guessed ?? []) {
          if (stopped()) break walk;
          guessed.add(g);
          countListed();
          await add(g);
        }
      }
    }
  } catch (e) {
    walkError = e;
  }
  if (walkError !== null && listed === 0) throw walkError as Error; // nothing was touched: fail as before
  if (walkError !== null) fatal ??= walkError;
  // The walk stopped early: only complete subtrees may go, and those were queued already.
  if (!stopped()) while (open.length > 0) await add(open.pop()!);
  return finish();
}
