// Long on purpose (~600 lines of code): the pipelined walk is one algorithm (request window, preorder
// speculation, batching, per-node errors, leaves taken unlisted, counted or guessed) tuned as a whole, its state
// shared by closures; see bench/RESULTS.md.
import { Code, isSessionError, TooLargeError, ZkError } from '../zk/errors.js';
import { joinPath, validatePath } from '../zk/path.js';
import { boundHeapGrowth } from './heap-growth.js';
import { depthOf } from './leaf-guess.js';
import type { MultiReadOptions, MultiResult, ReadOp, WatchArg } from '../zk/client.js';
import type { Listings } from '../zk/multi.js';
import type { Stat } from '../zk/jute/records.js';

/** A node's data and stat, read with its listing (WalkOptions.data). */
export interface NodeData {
  data: Buffer | null;
  stat: Stat;
}

/** What the walk needs from a client; multiRead (ZooKeeper 3.6+) lets it list many nodes per request. */
export interface ChildLister {
  getChildren(path: string, watch?: WatchArg): Promise<string[]>;
  /** Used with WalkOptions.data. */
  getData?(path: string): Promise<NodeData>;
  /** `pathsChecked`: the walk checked its root, and builds every other path from listed names. */
  multiRead?(ops: readonly ReadOp[], opts?: MultiReadOptions): Promise<MultiResult[]>;
  /**
   * multiRead of listings only, without a result object per node (the client's; walks without data use it). With
   * the reply's zxid, the walk can tell that the tree has not changed while it listed (see WIDE_SHARE).
   */
  listChildren?(paths: readonly string[], opts?: MultiReadOptions): Promise<Listings & { zxid?: bigint }>;
  /** With serverNodeCount and zxids: lets the walk take nodes for leaves without listing them (see WIDE_SHARE). */
  countBelow?(path: string): Promise<{ count: number; zxid: bigint }>;
  serverNodeCount?(): Promise<number>;
  /** The server's path of a client path: the server counts below its own root without a scan. */
  toServerPath?(path: string): string;
  /** getChildren with its reply's zxid (for WalkOptions.rootZxid). */
  childrenAt?(path: string): Promise<{ children: string[]; zxid: bigint }>;
}

/**
 * Most paths listed per multiRead request. Per-request overhead dominates the cost on both sides: the server
 * lists ~450k leaves/s in batches of 50 and ~1M/s in batches of 500 (bench/RESULTS.md).
 */
export const LIST_BATCH = 500;
/** Path characters per multiRead request (a lone longer path goes alone), so a batch stays far below jute.maxbuffer. */
export const LIST_REQUEST_BUDGET = 128 * 1024;
/**
 * Reply bytes aimed at per multiRead. Listings of wide nodes with long names (a Curator discovery
 * service: 500 × 45-byte names ≈ 25 KB) shrink the batch, so one reply stays small whatever the shape.
 */
export const LIST_REPLY_BUDGET = 256 * 1024;
/** Reply bytes aimed at in flight at once: big listings or big data shrink the window, so memory stays bounded. */
export const WINDOW_BYTES = 32 * 1024 * 1024;

/** Bytes a getChildren result takes in a multiRead reply (header, vector length, length-prefixed names). */
function listingBytes(children: readonly string[]): number {
  let n = 12 + 4;
  for (const c of children) n += 4 + c.length;
  return n;
}

/**
 * Leaves need no listing when the server's count of nodes below (getAllChildrenNumber) says there is nothing more
 * to find, and the tree did not change meanwhile (the count's reply and the listings' carry the same zxid, the
 * last transaction the server had applied; a server, follower or not, never reads while it applies a write, so
 * that zxid names the state each reply was read from). Two ways:
 * - the walk's root, once the nodes known but not listed yet are 1/WIDE_SHARE of the server's nodes (or at once
 *   when the root is the server's): when every node below it is known, none left unlisted has children;
 * - a node with WIDE_MIN children or more, and 1/WIDE_SHARE of the server's nodes: when the nodes below it are
 *   just its children, none of them is listed (a queue of 60,000 items costs two requests, not 60,000).
 * The server counts by scanning its whole node table (~100 ns a node on the tests' server) except below its root,
 * so it is asked only where the listings it may save (~3 µs a leaf, client and server) cost much more. A write
 * anywhere during the walk (a new zxid) turns the root's count off; a write between a wide node's listing and
 * its count, that node's.
 */
export const WIDE_MIN = 1000;
export const WIDE_SHARE = 8;

/** Bytes a getData result takes in a reply (header, data, stat). */
const dataBytes = (data: Buffer | null): number => 84 + (data?.length ?? 0);

export interface WalkOptions {
  /** Most getChildren requests in flight or answered-but-unvisited (default DEFAULT_WINDOW). */
  window?: number;
  /** Set a child watch on every visited node (ls -R -w). */
  watch?: WatchArg;
  signal?: AbortSignal;
  /** Read each node's data and stat in the same request as its listing (VisitedNode.node). */
  data?: boolean;
  /** Children left out with their subtrees: never listed or visited (still named in their parent's children). */
  skip?: (path: string) => boolean;
  /** Reply bytes aimed at in flight (default WINDOW_BYTES). */
  windowBytes?: number;
  /**
   * Learns the tree's shape from each listed node (`saw`, before its children are pushed) and names children
   * to take for leaves (`guess`): not listed, not visited, named in their parent's VisitedNode.guessed
   * (deleteall, whose delete of a node that has children fails and says so; see leaf-guess.ts).
   */
  leafGuesser?: LeafGuessing;
  /**
   * The root's children, when the caller has just listed it (ls -R does, to fail before printing anything):
   * the walk starts from them instead of listing the root again (a root with 60,000 children is ~1 MB).
   * Ignored with `watch` (the walk's own listing sets the watch) and with `data`.
   */
  rootChildren?: readonly string[];
  /** The zxid of the reply that listed rootChildren (without it the walk cannot tell the tree is unchanged). */
  rootZxid?: bigint;
}

export interface LeafGuessing {
  saw(path: string, children: number): void;
  guess(path: string): boolean;
}

export interface VisitedNode {
  path: string;
  /** Sorted by UTF-16 code units, as zkCli prints them. */
  children: string[];
  /** The children's full paths, in the same order (joined once by the walk, for callers that print them). */
  childPaths?: string[];
  /** Set when the node's children could not be read (it is then treated as a leaf). */
  error?: ZkError;
  /** With WalkOptions.data, unless `error` is set. */
  node?: NodeData;
  /** Full paths of the children WalkOptions.leafGuesser took for leaves, in visit order. */
  guessed?: string[];
}

export const DEFAULT_WINDOW = 5000;
const EMPTY: string[] = [];
const CHECKED: MultiReadOptions = { pathsChecked: true };
export const GUESSING_WINDOW = 1000;
/** With data: nodes read at a depth before the walk stops listing the ones it expects to be leaves there. */
export const LEAF_EVIDENCE = 8;
// The ops a slot's request carries (see send).
const LIST = 1;
const DATA = 2;

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

// Where a node is in the walk (Slot.state).
/** Known (a child of a listed node, or the root), not requested yet. */
const KNOWN = 0;
/** Sent; no reply yet. */
const REQUESTED = 1;
/** Its listing arrived; not visited yet. */
const ANSWERED = 2;
/** Visited, or dropped (taken for a leaf): a late reply is ignored. */
const DONE = 3;

/**
 * A node the walk knows of. Its listing is filled in place when the reply arrives, and the walk finds it
 * through the DFS stack or its parent's `kids`: no promise and no map lookup per node (the walk is per-node
 * hot; hashing every new path cost ~10% of `ls -R`).
 */
interface Slot {
  readonly path: string;
  state: number;
  /** The children, sorted once when the reply arrives; or the node's error. */
  res: string[] | ZkError | null;
  node: NodeData | undefined;
  /** Requested ahead of the DFS stack (a child of a listing that arrived before its visit). */
  spec: boolean;
  /** Slots of the first children, made when they were queued ahead: the visit reuses them. */
  kids: Slot[] | null;
  /** Wide nodes: COUNTING while the nodes below are counted, LEAVES when its children are all leaves. */
  wide: number;
}

const slotOf = (path: string): Slot => ({
  path,
  state: KNOWN,
  res: null,
  node: undefined,
  spec: false,
  kids: null,
  wide: 0,
});
// Slot.wide.
const COUNTING = 1;
const LEAVES = 2;

/** "/a" → "/a/", "/" → "/": a parent's part of its children's paths, made once per listing rather than once per child. */
const childPrefix = (path: string): string => (path === '/' ? '/' : `${path}/`);

/** Index of the first slot of `sorted` (in preorder, from `lo`) whose path is not before `p`. */
function preorderIndex(sorted: readonly Slot[], p: string, lo = 0): number {
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comparePreorder(sorted[mid]!.path, p) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Visits a subtree in ZKUtil.visitSubTreeDFS order (a node, then recursively each child in sorted
 * order) with up to `window` getChildren requests in flight or answered-but-unvisited. The nodes next
 * on the DFS stack are requested first; spare room goes to children of listings that already arrived,
 * so a level of the tree is requested before the walk reaches it. Memory holds the DFS stack, the
 * window and a bounded queue of known-but-unrequested nodes, never the whole tree. A node deleted
 * during the walk is skipped; the start node missing is an error.
 *
 * Yields the visited nodes in batches: every node whose listing has already arrived is visited without
 * waiting, so the per-node cost is a few field updates, not an await.
 */
export async function* walkBatches(
  zk: ChildLister,
  root: string,
  opts: WalkOptions = {},
): AsyncGenerator<VisitedNode[]> {
  boundHeapGrowth();
  // The root is checked once here; every other path is built from names the server listed (see CHECKED).
  validatePath(root);
  // A guessing walk keeps the smaller window: requests made before the guesser learned a depth are wasted.
  const window = Math.max(1, opts.window ?? (opts.leafGuesser ? GUESSING_WINDOW : DEFAULT_WINDOW));
  // Requested or answered, not visited yet: what the window bounds.
  let live = 0;
  // Children of listings that arrived before the walk reached them, kept in preorder (the order the
  // walk will need them) and capped at about the window: the earliest are requested ahead of time.
  let ahead: Slot[] = [];
  // Entries of `ahead` before this were taken (a cursor: slicing the queue on every take was O(window)).
  let aheadAt = 0;
  // Listed, unvisited nodes whose children did not all fit in `ahead`, in preorder: when `ahead` runs dry
  // the nearest are queued, so a level listed long before the walk reaches it is still asked for early.
  let unqueued: Slot[] = [];
  // Ahead-of-time requests not yet visited: capped at half the window, so a far part of the tree
  // listed early never starves the nodes the walk needs next.
  let speculative = 0;
  let failure: unknown = null;
  const stack: Slot[] = [slotOf(root)];
  // Every stack entry at index >= lowReq has been requested: fill() scans each entry about once instead
  // of re-checking the whole window on every reply (that was quadratic on wide nodes).
  let lowReq = 1;
  // The slot the walk is waiting for, and how to wake it (also on a fatal error).
  let waitingFor: Slot | null = null;
  let wake: (() => void) | null = null;
  const withData = opts.data === true;
  // With data, per depth: nodes read and how many had children. A depth of mostly leaves is read without
  // listings (the stat tells a leaf), which halves what the server does for the typical wide tree.
  const readAt: number[] = [];
  const parentsAt: number[] = [];
  const tally = (path: string, children: number): void => {
    const d = depthOf(path);
    readAt[d] = (readAt[d] ?? 0) + 1;
    if (children > 0) parentsAt[d] = (parentsAt[d] ?? 0) + 1;
  };
  const leafLikely = (path: string): boolean => {
    const d = depthOf(path);
    const read = readAt[d] ?? 0;
    return read >= LEAF_EVIDENCE && (parentsAt[d] ?? 0) * 2 < read;
  };
  const skip = opts.skip;
  const guesser = opts.leafGuesser;
  // Requests allowed in flight: the window, lowered when replies are big (see WINDOW_BYTES).
  // With data, sizes are unknown until replies come: start with a few nodes and at most double per reply (slow
  // start), or a tree of 1 MB nodes would have a whole window of them on the wire before the first reply.
  let limit = withData ? Math.min(window, 8) : window;
  const windowBytes = opts.windowBytes ?? WINDOW_BYTES;

  // Wide nodes are counted below (see WIDE_SHARE) unless each node must be listed (a watch on each), each is read
  // anyway (data), or deleteall guesses leaves its own way. A server without the count stops it (see countBelow).
  let counting =
    !withData &&
    !opts.watch &&
    !guesser &&
    typeof zk.listChildren === 'function' &&
    typeof zk.countBelow === 'function' &&
    typeof zk.serverNodeCount === 'function';
  // The server's node count (what a count below costs it; see the start of the walk).
  let serverNodes = Infinity;
  let counts = Promise.resolve();
  // Every listing so far carried this zxid (null: none yet); `stable` falls for good at the first that did not.
  let firstZxid: bigint | null = opts.rootChildren ? (opts.rootZxid ?? null) : null;
  let stable = counting && (!opts.rootChildren || opts.rootZxid !== undefined);
  const sameTree = (zxid: bigint | undefined): void => {
    if (zxid === undefined) stable = false;
    else if (firstZxid === null) firstZxid = zxid;
    else if (zxid !== firstZxid) stable = false;
  };
  // The root and every child listed so far, and the nodes listed (or failed) so far: known - listed are the
  // nodes that may still need a listing.
  const stopCounting = (): void => {
    counting = false;
    stable = false;
  };
  let known = 1;
  let listed = 0;
  // The server's count of nodes below the root (-1: not asked), and whether it said every node is known.
  let rootCount = -1;
  let rootAsked = false;
  let allKnown = false;
  // multiRead cannot set watches, and a pre-3.6 server does not know it: then list one by one.
  let batching =
    !opts.watch && (typeof zk.multiRead === 'function' || (!withData && typeof zk.listChildren === 'function'));
  let batch: Slot[] = [];
  let batchChars = 0;
  // Paths sent and not answered yet. A short batch waits while many are (see flushIfLow).
  let inFlight = 0;
  // Paths per batch, adapted to the listing sizes seen so far (see LIST_REPLY_BUDGET).
  let batchSize = LIST_BATCH;
  let bytesPerListing = 0;
  const wakeWalk = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const fail = (e: unknown): void => {
    failure ??= e;
    wakeWalk();
  };
  const settle = (slot: Slot, r: string[] | ZkError, node?: NodeData, zxid?: bigint): void => {
    // Dropped meanwhile (its node was taken for a leaf): nothing under it will be visited. Once every node is
    // known, a reply still in flight is not needed either: its node is a leaf (and one it may not read is no error).
    if (slot.state !== REQUESTED || allKnown) return;
    if (counting && slot.wide === 0 && Array.isArray(r) && r.length >= WIDE_MIN && slot.path !== root) {
      countWide(slot, r, zxid);
      return;
    }
    listed++;
    if (Array.isArray(r)) known += r.length;
    // The reply's array is the walk's own: sorted in place, once.
    if (Array.isArray(r) && r.length > 1) r.sort();
    slot.res = r;
    slot.node = node;
    slot.state = ANSWERED;
    // Queue the children for speculative requests while the queue is short (bounded memory).
    if (Array.isArray(r) && r.length > 0 && slot.wide !== LEAVES) {
      if (ahead.length - aheadAt < window) queueChildren(slot);
      if (queued(slot) < r.length) {
        if (unqueued.length >= 2 * window) unqueued = unqueued.filter((s) => s.state === ANSWERED);
        unqueued.splice(preorderIndex(unqueued, slot.path), 0, slot);
      }
    }
    if (counting) checkKnown();
    if (slot === waitingFor) wakeWalk();
  };
  // Asks for the root's count once enough known nodes wait for a listing; notes when it says all are known.
  const checkKnown = (): void => {
    if (!stable) return;
    if (rootCount >= 0) {
      if (known === rootCount + 1) {
        allKnown = true;
        batch = [];
        batchChars = 0;
        // The node the walk waits for is a leaf now, whose reply (if any) is not needed: no settle will wake it.
        wakeWalk();
      }
    } else askRoot(known - listed);
  };
  // Asks for the root's count once `waiting` nodes known but not listed are enough to pay for its scan.
  const askRoot = (waiting: number): void => {
    if (!rootAsked && stable && waiting * WIDE_SHARE >= serverNodes) {
      rootAsked = true;
      countRoot();
    }
  };
  const countRoot = (): void => {
    zk.countBelow!(root).then(
      ({ count, zxid }) => {
        // Counting stopped meanwhile (a server without multiRead): later listings were not checked.
        if (!counting) return;
        sameTree(zxid);
        rootCount = count;
        checkKnown();
      },
      (e: unknown) => {
        const own = perNode(e);
        if (!own) fail(e);
        else stopCounting();
      },
    );
  };
  // A wide node's listing is held (the slot stays REQUESTED) until the server says how many nodes are below it.
  // One count at a time: each scans the server's node table, and a server that refuses one is not asked again.
  const countWide = (slot: Slot, r: string[], listedAt: bigint | undefined): void => {
    slot.wide = COUNTING;
    counts = counts.then(async () => {
      try {
        if (counting && listedAt !== undefined && r.length * WIDE_SHARE >= serverNodes) {
          const { count, zxid } = await zk.countBelow!(slot.path);
          if (count === r.length && zxid === listedAt) slot.wide = LEAVES;
        }
      } catch (e) {
        const own = perNode(e);
        if (!own) return fail(e);
        // A server without the count (before 3.6): list as usual from now on.
        if (own.code === Code.UNIMPLEMENTED) stopCounting();
      }
      settle(slot, r);
      fill();
    });
    // A bug in there must end the walk, not leave the next wide node waiting on a rejected chain.
    counts = counts.catch(fail);
  };
  const queued = (slot: Slot): number => slot.kids?.length ?? 0;
  // Puts the next of a listed node's children in `ahead`: a node's children are contiguous in preorder among
  // the known nodes, so they go in as one block (up to the window).
  const queueChildren = (slot: Slot): void => {
    const r = slot.res as string[];
    const kids = (slot.kids ??= []);
    const from = kids.length;
    const prefix = childPrefix(slot.path);
    const first = prefix + r[from]!;
    const at = preorderIndex(ahead, first, aheadAt);
    const n = Math.min(r.length - from, window - (at - aheadAt));
    if (n <= 0) return;
    const block: Slot[] = [];
    for (let i = from; i < from + n; i++) {
      const kid = slotOf(i === from ? first : prefix + r[i]!);
      kids.push(kid);
      if (!skip?.(kid.path) && !guesser?.guess(kid.path)) block.push(kid);
    }
    ahead.splice(at, 0, ...block);
  };
  const learn = (res: readonly MultiResult[], paths: number): void => {
    let bytes = 0;
    for (const r of res)
      bytes += r.type === 'getChildren' ? listingBytes(r.children) : r.type === 'getData' ? dataBytes(r.data) : 16;
    observe(bytes, paths);
  };
  // Reply bytes per path seen so far set the batch size and the window (single replies count too).
  const observe = (bytes: number, paths: number): void => {
    const per = bytes / Math.max(1, paths);
    // A bigger reply counts at once (memory), smaller ones only lower the estimate slowly.
    bytesPerListing = per >= bytesPerListing ? per : bytesPerListing * 0.7 + per * 0.3;
    const size = Math.max(1, bytesPerListing);
    batchSize = Math.max(1, Math.min(LIST_BATCH, Math.floor(LIST_REPLY_BUDGET / size)));
    const fits = Math.min(window, Math.floor(windowBytes / size));
    limit = Math.max(1, withData ? Math.min(fits, limit * 2) : fits);
  };
  // A per-node error (no permission, a listing over the reply limit) is that node's result; only
  // errors of the connection or session end the walk.
  const perNode = (e: unknown): ZkError | null => (e instanceof ZkError && !isSessionError(e) ? e : null);
  const listOne = (path: string): Promise<[string[], NodeData | undefined]> =>
    withData
      ? Promise.all([zk.getChildren(path, opts.watch), zk.getData!(path)])
      : zk.getChildren(path, opts.watch).then((c) => [c, undefined]);
  const sendOne = (slot: Slot): void => {
    inFlight++;
    listOne(slot.path).then(
      ([r, node]) => {
        inFlight--;
        // No zxid with a lone getChildren: the counts cannot be checked against it.
        if (counting) sameTree(undefined);
        observe(listingBytes(r) + (node ? dataBytes(node.data) : 0), 1);
        settle(slot, r, node);
        fill();
      },
      (e: unknown) => {
        inFlight--;
        const own = perNode(e);
        if (own) {
          settle(slot, own);
          fill();
        } else fail(e);
      },
    );
  };
  const send = (slots: Slot[]): void => {
    // Listings only go as multiRead even one at a time: its reply's zxid is what the counts are checked against.
    const lists = batching && !withData && typeof zk.listChildren === 'function';
    if ((slots.length === 1 && !lists) || !batching) {
      for (const s of slots) sendOne(s);
      return;
    }
    inFlight += slots.length;
    if (lists) {
      // Listings only: the client hands back names or error codes, no op or result object per node.
      const paths = new Array<string>(slots.length);
      for (let i = 0; i < slots.length; i++) paths[i] = slots[i]!.path;
      zk.listChildren!(paths, CHECKED).then(({ lists, bytes, zxid }) => {
        inFlight -= slots.length;
        observe(bytes, slots.length);
        if (counting) {
          sameTree(zxid);
          // Ask for the root's count before sorting these listings (a Curator service level is 30,000 names).
          let more = 0;
          for (const r of lists) if (Array.isArray(r)) more += r.length;
          if (rootCount < 0) askRoot(known + more - listed - slots.length);
        }
        for (let i = 0; i < slots.length; i++) {
          const slot = slots[i]!;
          const r = lists[i];
          settle(slot, Array.isArray(r) ? r : new ZkError(r ?? Code.MARSHALLINGERROR, slot.path), undefined, zxid);
        }
        fill();
      }, refused(slots));
      return;
    }
    // Which ops each slot gets (LIST, DATA): with data, a node whose data is already in is only listed, and a
    // node at a depth of leaves is only read (its stat says whether it has children to list after all).
    const asks = new Uint8Array(slots.length);
    const ops: ReadOp[] = [];
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const ask = !withData ? LIST : s.node !== undefined ? LIST : leafLikely(s.path) ? DATA : LIST | DATA;
      asks[i] = ask;
      if (ask & LIST) ops.push({ type: 'getChildren', path: s.path });
      if (ask & DATA) ops.push({ type: 'getData', path: s.path });
    }
    zk.multiRead!(ops, CHECKED).then((res) => {
      inFlight -= slots.length;
      learn(res, slots.length);
      let j = 0;
      let again = false;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const ask = asks[i]!;
        let out: string[] | ZkError | null = null;
        let node = slot.node;
        if (ask & LIST) {
          const r = res[j++];
          out =
            r?.type === 'getChildren'
              ? r.children
              : new ZkError(r?.type === 'error' ? r.err : Code.MARSHALLINGERROR, slot.path);
        }
        if (ask & DATA) {
          const d = res[j++];
          if (out instanceof ZkError) {
            // The listing's error is the node's.
          } else if (d?.type === 'getData') {
            node = { data: d.data, stat: d.stat };
            tally(slot.path, d.stat.numChildren);
          } else out = new ZkError(d?.type === 'error' ? d.err : Code.MARSHALLINGERROR, slot.path);
        }
        if (out === null) {
          // Read without a listing: a leaf has nothing to list; a node with children is listed next.
          if (node!.stat.numChildren === 0) out = EMPTY;
          else if (slot.state !== REQUESTED) continue;
          else {
            slot.node = node;
            enqueue(slot);
            again = true;
            continue;
          }
        }
        settle(slot, out, node);
      }
      if (again && waitingFor && batch.includes(waitingFor)) flush();
      fill();
    }, refused(slots));
  };
  // A batch that failed as a whole: too large (asked again in smaller batches), multiRead unknown to the server
  // (one by one from now on), or the connection or session (the walk ends).
  const refused =
    (slots: Slot[]) =>
    (e: unknown): void => {
      inFlight -= slots.length;
      if (e instanceof TooLargeError && slots.length === 1 && slots[0]!.state === REQUESTED) {
        // One listing over the client's limit: that node's error, as a lone getChildren's would be.
        observe(Math.max(e.size, 1024 * 1024), 1);
        settle(slots[0]!, e);
        fill();
      } else if (e instanceof TooLargeError) {
        // The reply was skipped unread; its size says what these nodes weigh (at least the client's limit).
        observe(Math.max(e.size, 1024 * 1024), slots.length);
        batchSize = Math.max(1, Math.min(batchSize, slots.length >> 1));
        // Ask again within the window that size allows, not all at once (a burst of big replies is what
        // the window is there to stop): forget these requests and let fill() make them again, in smaller
        // batches. The node the walk waits for is asked again at once, on its own.
        for (const slot of slots) {
          if (slot === waitingFor) send([slot]);
          else if (slot.state === REQUESTED) forget(slot);
        }
        lowReq = stack.length;
        fill();
      } else if (e instanceof ZkError && e.code === Code.UNIMPLEMENTED) {
        batching = false;
        stopCounting();
        send(slots);
      } else fail(e);
    };
  // A requested node that no longer counts against the window: asked again later (KNOWN), or dropped (DONE).
  const forget = (slot: Slot, state = KNOWN): void => {
    live--;
    if (slot.spec) speculative--;
    slot.spec = false;
    slot.state = state;
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    batchChars = 0;
    send(b);
  };
  const request = (slot: Slot, spec = false): void => {
    if (allKnown) return;
    slot.state = REQUESTED;
    slot.spec = spec;
    if (spec) speculative++;
    live++;
    enqueue(slot);
  };
  // Puts a requested slot in the next batch (or sends it alone).
  const enqueue = (slot: Slot): void => {
    if (batching) {
      // With data each path is sent twice (getChildren and getData). A path that would take the batch over
      // the budget starts the next one: a batch may hold one long path, never long paths added to a full one.
      const chars = withData ? 2 * slot.path.length : slot.path.length;
      if (batch.length > 0 && batchChars + chars > LIST_REQUEST_BUDGET) flush();
      batch.push(slot);
      batchChars += chars;
      if (batch.length >= batchSize || batchChars >= LIST_REQUEST_BUDGET) flush();
    } else sendOne(slot);
  };
  const fill = (): void => {
    // Every node is known: the ones not listed yet are leaves, and nothing more is asked. Nor after the walk ended
    // (a count's reply can come after Ctrl-C).
    if (allKnown || failure || opts.signal?.aborted) return;
    if (lowReq > stack.length) lowReq = stack.length;
    for (let i = lowReq - 1; i >= 0 && live < limit && stack.length - i <= window; i--) {
      const s = stack[i]!;
      if (s.state === KNOWN) request(s);
      lowReq = i;
    }
    for (;;) {
      while (live < limit && speculative < limit >> 1 && aheadAt < ahead.length) {
        const s = ahead[aheadAt++]!;
        if (s.state === KNOWN) request(s, true);
      }
      if (aheadAt < ahead.length || unqueued.length === 0 || live >= limit || speculative >= limit >> 1) break;
      // `ahead` ran dry with room to spare: queue the children of the nearest listed node that has more.
      ahead = [];
      aheadAt = 0;
      const s = unqueued.shift()!;
      if (s.state === ANSWERED && Array.isArray(s.res) && queued(s) < s.res.length) {
        queueChildren(s);
        if (queued(s) < s.res.length) unqueued.unshift(s);
      }
    }
    if (aheadAt === ahead.length) {
      ahead = [];
      aheadAt = 0;
    } else if (aheadAt > 1024 && aheadAt * 2 > ahead.length) {
      ahead = ahead.slice(aheadAt);
      aheadAt = 0;
    }
    flushIfLow();
  };
  // A short batch is sent only when few paths are in flight: else it grows as visits free room, and the
  // server answers fewer, fuller requests (replies handled one at a time would keep batches as small as
  // the first ones). The walk never waits on a path still in the batch (see the loop).
  const flushIfLow = (): void => {
    if (inFlight < 2 * batchSize) flush();
  };

  if (counting) {
    // Asked first and alone (one round trip; the server answers it without a scan): a server before 3.6 answers an
    // op it does not know by closing the connection, which would fail every request sent behind it.
    try {
      serverNodes = await zk.serverNodeCount!();
    } catch (e) {
      const own = perNode(e);
      if (!own) throw e;
      // No count (before 3.6: no multiRead either), or a root this session may not read: every node is listed.
      stopCounting();
      if (own.code === Code.UNIMPLEMENTED) batching = false;
    }
  }
  // Below the server's root the count costs no scan: ask at once.
  if (counting && zk.toServerPath?.(root) === '/') {
    rootAsked = true;
    countRoot();
  }

  if (opts.rootChildren && !opts.watch && !withData) {
    const first = stack[0]!;
    first.state = REQUESTED;
    live++;
    settle(first, [...opts.rootChildren]);
  }

  let out: VisitedNode[] = [];
  // Names held by `out` (its nodes and their children): a batch of wide nodes is handed over sooner.
  let outNames = 0;
  while (stack.length > 0) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    if (failure) throw failure as Error;
    const slot = stack.pop()!;
    if (lowReq > stack.length) lowReq = stack.length;
    if (slot.state === KNOWN) request(slot);
    if (slot.state === REQUESTED && !allKnown) {
      // Waited for from here, not from the await: a batch refused while `ready` is handed over must still
      // ask again for this node (see send), or the walk would wait for a request no one makes.
      waitingFor = slot;
      fill();
      if (batch.length > 0 && batch.includes(slot)) flush();
      // Hand over what is ready before waiting, so output flows while replies are in flight.
      if (out.length > 0) {
        const ready = out;
        out = [];
        outNames = 0;
        yield ready;
      }
      if (slot.state === REQUESTED && !failure && !allKnown) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      waitingFor = null;
      if (failure) throw failure as Error;
    }
    // Not listed, and every node is known: a leaf.
    const res = slot.state === ANSWERED ? slot.res! : EMPTY;
    const kids = slot.kids;
    if (slot.state === KNOWN) slot.state = DONE;
    else forget(slot, DONE);
    slot.res = null;
    slot.kids = null;
    const node = slot.path;
    if (res instanceof ZkError) {
      if (res.code === Code.NONODE && node !== root) continue;
      if (node === root) throw res;
      out.push({ path: node, children: [], error: res });
      continue;
    }
    const children = res;
    const visit: VisitedNode = { path: node, children };
    if (slot.node) visit.node = slot.node;
    slot.node = undefined;
    out.push(visit);
    const base = stack.length;
    guesser?.saw(node, children.length);
    let guessed: string[] | null = null;
    let prefix: string | null = null;
    // Most visited nodes are leaves: no array for them.
    const childPaths = children.length > 0 ? new Array<string>(children.length) : EMPTY;
    if (children.length > 0) visit.childPaths = childPaths;
    if (slot.wide === LEAVES) {
      // All leaves (counted): visited here, in order, with nothing to list.
      prefix = childPrefix(node);
      for (let i = 0; i < children.length; i++) {
        const p = (childPaths[i] = prefix + children[i]!);
        if (!skip?.(p)) out.push({ path: p, children: EMPTY });
      }
    } else
      for (let i = children.length - 1; i >= 0; i--) {
        const kid =
          (kids !== null && i < kids.length ? kids[i] : undefined) ??
          slotOf((prefix ??= childPrefix(node)) + children[i]!);
        const p = kid.path;
        childPaths[i] = p;
        if (skip?.(p)) continue;
        if (guesser?.guess(p)) {
          (guessed ??= []).push(p);
          // Asked for ahead of time before the guess: drop the request (its reply is then ignored).
          if (kid.state === REQUESTED || kid.state === ANSWERED) forget(kid, DONE);
          else kid.state = DONE;
        } else stack.push(kid);
      }
    if (guessed) visit.guessed = guessed.reverse();
    // The new entries sit above the requested run: request them nearest-first, and keep the run only
    // if all of them got a slot (else entries below them are rescanned once, later).
    for (let i = stack.length - 1; i >= base; i--) {
      const s = stack[i]!;
      if (s.state === KNOWN) {
        if (live >= limit) {
          lowReq = i + 1;
          break;
        }
        request(s);
      }
    }
    outNames += 1 + children.length;
    if (out.length >= 1024 || outNames >= 16384) {
      flushIfLow();
      const ready = out;
      out = [];
      outNames = 0;
      yield ready;
    }
  }
  if (out.length > 0) yield out;
}

/** walkBatches one node at a time. */
export async function* walkTree(zk: ChildLister, root: string, opts: WalkOptions = {}): AsyncGenerator<VisitedNode> {
  for await (const b of walkBatches(zk, root, opts)) yield* b;
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
  for await (const b of subtreePathBatches(zk, root, opts)) yield* b;
}

/** subtreePaths in batches (what ls -R writes as one chunk). */
export async function* subtreePathBatches(
  zk: ChildLister,
  root: string,
  opts: WalkOptions = {},
): AsyncGenerator<(string | { path: string; error: ZkError })[]> {
  yield [root];
  for await (const batch of walkBatches(zk, root, opts)) {
    let out: (string | { path: string; error: ZkError })[] = [];
    for (const v of batch) {
      if (v.error) out.push({ path: v.path, error: v.error });
      const paths = v.childPaths;
      if (paths && paths.length >= 256) {
        // A wide node's paths go as they are (the walk never touches them again): no copy of 60,000 paths.
        if (out.length > 0) yield out;
        out = [];
        yield paths;
      } else if (paths) for (const p of paths) out.push(p);
      else for (const c of v.children) out.push(joinPath(v.path, c));
    }
    if (out.length > 0) yield out;
  }
}
