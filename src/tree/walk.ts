import { Code, isSessionError, TooLargeError, ZkError } from '../zk/errors.js';
import { joinPath } from '../zk/path.js';
import type { MultiResult, ReadOp, WatchArg } from '../zk/client.js';

/** What the walk needs from a client; multiRead (ZooKeeper 3.6+) lets it list many nodes per request. */
export interface ChildLister {
  getChildren(path: string, watch?: WatchArg): Promise<string[]>;
  multiRead?(ops: readonly ReadOp[]): Promise<MultiResult[]>;
}

/** Most paths listed per multiRead request: per-request overhead dominates the server's cost. */
export const LIST_BATCH = 50;
/**
 * Reply bytes aimed at per multiRead. Listings of wide nodes with long names (a Curator discovery
 * service: 500 × 45-byte names ≈ 25 KB) shrink the batch, so one reply stays small whatever the shape.
 */
export const LIST_REPLY_BUDGET = 256 * 1024;

/** Bytes a getChildren result takes in a multiRead reply (header, vector length, length-prefixed names). */
function listingBytes(children: readonly string[]): number {
  let n = 12 + 4;
  for (const c of children) n += 4 + c.length;
  return n;
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
 * Compares paths in visit order. DFS preorder over sorted children is the lexicographic order of the
 * paths' component lists (a node before its descendants), so "already visited" is one comparison.
 */
export function comparePreorder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // '/' ends a component: a shorter component sorts first.
    if (ca === 47) return -1;
    if (cb === 47) return 1;
    return ca - cb;
  }
  return a.length - b.length;
}

/**
 * Visits a subtree in ZKUtil.visitSubTreeDFS order (a node, then recursively each child in sorted
 * order) with up to `window` getChildren requests in flight or answered-but-unvisited. The nodes next
 * on the DFS stack are requested first; spare room goes to children of listings that already arrived,
 * so a level of the tree is requested before the walk reaches it. Memory holds the DFS stack, the
 * window and a bounded queue of known-but-unrequested paths, never the whole tree. A node deleted
 * during the walk is skipped; the start node missing is an error.
 */
export async function* walkTree(zk: ChildLister, root: string, opts: WalkOptions = {}): AsyncGenerator<VisitedNode> {
  const window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
  const results = new Map<string, Promise<string[] | ZkError>>();
  let ahead: string[] = [];
  let aheadHead = 0;
  let lastVisited: string | null = null;
  let failure: unknown = null;
  const stack: string[] = [root];

  // multiRead cannot set watches, and a pre-3.6 server does not know it: then list one by one.
  let batching = !opts.watch && typeof zk.multiRead === 'function';
  type Pending = { path: string; resolve: (r: string[] | ZkError) => void; reject: (e: unknown) => void };
  let batch: Pending[] = [];
  // Paths per batch, adapted to the listing sizes seen so far (see LIST_REPLY_BUDGET).
  let batchSize = LIST_BATCH;
  let bytesPerListing = 0;
  // A per-node error (no permission, a listing over the reply limit) is that node's result; only
  // errors of the connection or session end the walk.
  const single = (p: string): Promise<string[] | ZkError> =>
    zk.getChildren(p, opts.watch).catch((e: unknown) => {
      if (e instanceof ZkError && !isSessionError(e)) return e;
      throw e;
    });
  const learn = (res: readonly MultiResult[]): void => {
    let bytes = 0;
    for (const r of res) bytes += r.type === 'getChildren' ? listingBytes(r.children) : 16;
    const per = bytes / Math.max(1, res.length);
    bytesPerListing = bytesPerListing === 0 ? per : bytesPerListing * 0.7 + per * 0.3;
    batchSize = Math.max(1, Math.min(LIST_BATCH, Math.floor(LIST_REPLY_BUDGET / Math.max(1, bytesPerListing))));
  };
  const send = (b: Pending[]): void => {
    if (b.length === 1 || !batching) {
      for (const x of b) single(x.path).then(x.resolve, x.reject);
      return;
    }
    zk.multiRead!(b.map((x) => ({ type: 'getChildren' as const, path: x.path }))).then(
      (res) => {
        learn(res);
        b.forEach((x, i) => {
          const r = res[i];
          if (r?.type === 'getChildren') x.resolve(r.children);
          else x.resolve(new ZkError(r?.type === 'error' ? r.err : Code.MARSHALLINGERROR, x.path));
        });
      },
      (e: unknown) => {
        if (e instanceof TooLargeError) {
          // The reply was skipped unread: ask again in halves, down to single listings.
          batchSize = Math.max(1, Math.min(batchSize, Math.floor(b.length / 2)));
          send(b.slice(0, b.length >> 1));
          send(b.slice(b.length >> 1));
        } else if (e instanceof ZkError && e.code === Code.UNIMPLEMENTED) {
          batching = false;
          send(b);
        } else for (const x of b) x.reject(e);
      },
    );
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    send(b);
  };
  const request = (p: string): Promise<string[] | ZkError> => {
    const raw = batching
      ? new Promise<string[] | ZkError>((resolve, reject) => {
          batch.push({ path: p, resolve, reject });
          if (batch.length >= batchSize) flush();
        })
      : single(p);
    const pr = raw.then(
      (r) => {
        // Queue the children for speculative requests while the queue is short (bounded memory).
        if (Array.isArray(r) && ahead.length - aheadHead < window)
          for (const c of [...r].sort()) ahead.push(joinPath(p, c));
        fill();
        return r;
      },
      (e: unknown) => {
        failure = e;
        throw e;
      },
    );
    pr.catch(() => undefined);
    results.set(p, pr);
    return pr;
  };
  const visited = (p: string): boolean => lastVisited !== null && comparePreorder(p, lastVisited) <= 0;
  const fill = (): void => {
    for (let i = stack.length - 1; i >= 0 && results.size < window; i--) {
      const p = stack[i]!;
      if (!results.has(p)) void request(p);
      else if (stack.length - i > window) break;
    }
    while (results.size < window && aheadHead < ahead.length) {
      const p = ahead[aheadHead++]!;
      if (!results.has(p) && !visited(p) && (p === root || p.startsWith(root === '/' ? '/' : `${root}/`)))
        void request(p);
    }
    if (aheadHead > 4096 && aheadHead * 2 > ahead.length) {
      ahead = ahead.slice(aheadHead);
      aheadHead = 0;
    }
    flush();
  };

  while (stack.length > 0) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    if (failure) throw failure as Error;
    const node = stack.pop()!;
    fill();
    const pending = results.get(node) ?? request(node);
    flush();
    const res = await pending;
    results.delete(node);
    lastVisited = node;
    if (res instanceof ZkError) {
      if (res.code === Code.NONODE && node !== root) continue;
      if (node === root) throw res;
      yield { path: node, children: [], error: res };
      continue;
    }
    const children = [...res].sort();
    yield { path: node, children };
    for (let i = children.length - 1; i >= 0; i--) stack.push(joinPath(node, children[i]!));
  }
}

/**
 * Every path of a subtree, the start node first, in zkCli's `ls -R` order. A node whose children
 * could not be read (other than a node deleted meanwhile) is followed by its error.
 */
export async function* subtreePaths(
  zk: ChildLister,
  root: string,
  opts: WalkOptions = {},
): AsyncGenerator<string | { path: string; error: ZkError }> {
  yield root;
  for await (const v of walkTree(zk, root, opts)) {
    if (v.error) yield { path: v.path, error: v.error };
    for (const c of v.children) yield joinPath(v.path, c);
  }
}
