import type { MultiOp, ZooKeeperClient } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { CreateMode } from '../../src/zk/protocol.js';

/** One node to create; parents must come before their children in a list. */
export interface NodeSpec {
  readonly path: string;
  readonly data?: Buffer | null;
  /** A CreateMode value (default PERSISTENT). */
  readonly mode?: number;
}

export interface BulkOptions {
  /** Ops per multi (default 500). */
  readonly batchOps?: number;
  /** Estimated request bytes per multi (default 512 KiB: well under the server's 1 MB jute.maxbuffer). */
  readonly batchBytes?: number;
  /** Multis in flight at once (default 8). The server applies one session's requests in order. */
  readonly inFlight?: number;
}

/** Bytes one create costs inside a multi: multi header, path, data, the open ACL and flags. */
export const createOpBytes = (n: NodeSpec): number =>
  12 + 4 + Buffer.byteLength(n.path) + 4 + (n.data?.length ?? 0) + 4 + 27 + 4;

/**
 * Creates nodes in order as pipelined multi batches and returns the paths the server gave them (which
 * differ from the requested ones for sequential modes). The first failing batch rejects, naming its first path.
 */
export async function createNodes(
  zk: ZooKeeperClient,
  nodes: readonly NodeSpec[],
  opts: BulkOptions = {},
): Promise<string[]> {
  const maxOps = opts.batchOps ?? 500;
  const maxBytes = opts.batchBytes ?? 512 * 1024;
  const window = opts.inFlight ?? 8;
  const batches: NodeSpec[][] = [];
  let cur: NodeSpec[] = [];
  let bytes = 0;
  for (const n of nodes) {
    const b = createOpBytes(n);
    if (cur.length > 0 && (cur.length >= maxOps || bytes + b > maxBytes)) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(n);
    bytes += b;
  }
  if (cur.length > 0) batches.push(cur);

  const out: string[][] = new Array<string[]>(batches.length);
  const running = new Set<Promise<void>>();
  let failure = null as Error | null;
  for (let i = 0; i < batches.length && !failure; i++) {
    const batch = batches[i]!;
    const ops: MultiOp[] = batch.map((n) => ({
      type: 'create',
      path: n.path,
      data: n.data ?? null,
      mode: n.mode ?? CreateMode.PERSISTENT,
    }));
    const p: Promise<void> = zk
      .multi(ops)
      .then(
        (res) => {
          out[i] = res.map((r, k) => (r.type === 'create' ? r.path : batch[k]!.path));
        },
        (e: Error) => {
          failure ??= new Error(`creating ${batch[0]!.path} (batch of ${batch.length}): ${e.message}`);
        },
      )
      .finally(() => running.delete(p));
    running.add(p);
    if (running.size >= window) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure;
  return out.flat();
}

/** Creates every missing ancestor of `path` (not `path` itself). */
export async function ensureParents(zk: ZooKeeperClient, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    try {
      await zk.create(`/${parts.slice(0, i).join('/')}`, null);
    } catch (e) {
      if (!(e instanceof ZkError && e.code === Code.NODEEXISTS)) throw e;
    }
  }
}

/**
 * The paths in zkCli's `ls -R` order: the root, then for each node in depth-first order its sorted
 * children (ZKUtil.visitSubTreeDFS prints a node's children as it visits the node). Names compare
 * by UTF-16 code units, as Java's String.compareTo.
 */
export function lsROrder(paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  const kids = new Map<string, string[]>();
  const set = new Set(paths);
  let root = paths[0]!;
  for (const p of paths) {
    const parent = p === '/' ? null : p.slice(0, p.lastIndexOf('/')) || '/';
    if (parent !== null && set.has(parent)) {
      const list = kids.get(parent) ?? [];
      list.push(p);
      kids.set(parent, list);
    } else root = p;
  }
  const out = [root];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const children = (kids.get(node) ?? []).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    out.push(...children);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** A small seeded generator (mulberry32), so a layout is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID drawn from `rand`. */
export function uuidFrom(rand: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(3)}-${hex(12)}`;
}

export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
export const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
