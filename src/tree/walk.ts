import { Code, ZkError } from '../zk/errors.js';
import { joinPath } from '../zk/path.js';
import type { WatchArg } from '../zk/client.js';

/** What the walk needs from a client. */
export interface ChildLister {
  getChildren(path: string, watch?: WatchArg): Promise<string[]>;
}

export interface WalkOptions {
  /** Most getChildren requests in flight or answered-but-unvisited (default 1000). */
  window?: number;
  /** Set a child watch on every visited node (ls -R -w). */
  watch?: WatchArg;
  signal?: AbortSignal;
}

export interface VisitedNode {
  path: string;
  /** Sorted by UTF-16 code units, as zkCli prints them. */
  children: string[];
  /** Set when the node's children could not be read (it is then treated as a leaf). */
  error?: ZkError;
}

export const DEFAULT_WINDOW = 1000;

/**
 * Visits a subtree in ZKUtil.visitSubTreeDFS order (a node, then recursively each child in sorted
 * order) while keeping up to `window` getChildren requests ahead of the visit. Memory holds the DFS
 * stack and at most `window` fetched results, never the whole tree. A node deleted during the walk is
 * skipped; the start node missing is an error.
 */
export async function* walkTree(zk: ChildLister, root: string, opts: WalkOptions = {}): AsyncGenerator<VisitedNode> {
  const window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
  const fetched = new Map<string, Promise<string[] | ZkError>>();
  const fetch = (p: string): Promise<string[] | ZkError> =>
    zk.getChildren(p, opts.watch).catch((e: unknown) => {
      if (e instanceof ZkError && e.code !== Code.CONNECTIONLOSS && e.code !== Code.SESSIONEXPIRED) return e;
      throw e;
    });
  const stack: string[] = [root];
  try {
    while (stack.length > 0) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const node = stack.pop()!;
      // Keep the window full with the nodes nearest the top of the stack: they are visited next.
      for (let i = stack.length - 1; i >= 0 && fetched.size < window; i--) {
        const p = stack[i]!;
        if (!fetched.has(p)) fetched.set(p, fetch(p));
      }
      const res = await (fetched.get(node) ?? fetch(node));
      fetched.delete(node);
      if (res instanceof ZkError) {
        if (res.code === Code.NONODE && node !== root) continue;
        if (node === root) throw res;
        yield { path: node, children: [], error: res };
        continue;
      }
      const children = res.sort();
      yield { path: node, children };
      for (let i = children.length - 1; i >= 0; i--) stack.push(joinPath(node, children[i]!));
    }
  } finally {
    // Results already requested are dropped; their promises settle on their own.
    for (const p of fetched.values()) p.catch(() => undefined);
  }
}

/** Every path of a subtree, the start node first, in zkCli's `ls -R` order. */
export async function* subtreePaths(zk: ChildLister, root: string, opts: WalkOptions = {}): AsyncGenerator<string> {
  yield root;
  for await (const v of walkTree(zk, root, opts)) {
    for (const c of v.children) yield joinPath(v.path, c);
  }
}
