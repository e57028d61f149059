import { Code, isSessionError, ZkError } from '../zk/errors.js';
import { InFlight } from './in-flight.js';
import { walkTree, type ChildLister, type WalkOptions } from './walk.js';

export interface NodeFailure {
  path: string;
  error: ZkError;
}

/**
 * Runs `op` on every node of a subtree (in walk order), keeping up to `window` ops in flight.
 * Per-node ZooKeeper errors are collected, not thrown; a lost connection or session ends the run.
 */
export async function forEachNode(
  zk: ChildLister,
  root: string,
  op: (path: string) => Promise<unknown>,
  opts: WalkOptions = {},
  /** Updated as ops complete, so a caller can say how far a run got when it throws. */
  progress: { done: number; inFlight: number; unknown: number } = { done: 0, inFlight: 0, unknown: 0 },
): Promise<{ visited: number; failed: NodeFailure[] }> {
  const window = Math.max(1, opts.window ?? 1000);
  const failed: NodeFailure[] = [];
  const running = new InFlight(window);
  let visited = 0;
  const record = (path: string, e: unknown): void => {
    if (e instanceof ZkError && !isSessionError(e)) {
      if (e.code !== Code.NONODE) failed.push({ path, error: e });
      return;
    }
    throw e;
  };
  let fatal: unknown = null;
  try {
    for await (const v of walkTree(zk, root, opts)) {
      if (fatal) break;
      if (v.error) record(v.path, v.error);
      visited++;
      progress.inFlight++;
      const p: Promise<void> = op(v.path)
        .then(
          () => {
            progress.done++;
          },
          (e: unknown) => {
            try {
              record(v.path, e);
            } catch (err) {
              // Lost with the connection: it may or may not have been applied.
              fatal ??= err;
              progress.unknown++;
            }
          },
        )
        .finally(() => {
          progress.inFlight--;
        });
      running.add(p);
      if (running.size >= window) await running.room();
    }
  } finally {
    // Ops already sent finish first (they never reject), so progress is final when this throws.
    await running.idle();
  }
  if (fatal) throw fatal as Error;
  return { visited, failed };
}
