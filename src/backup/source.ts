// Reads a subtree as NodeRecords in walk order (parents first, children sorted), many reads in flight.
// Written against the few reads any ZkAdapter has, so an offline tree (a data dir) can be a source too.
import type { ZkAdapter } from '../commands/spec.js';
import type { MultiResult, ReadOp } from '../zk/client.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import { walkBatches, type VisitedNode } from '../tree/walk.js';
import { looksSequential, relativePath, type NodeRecord } from './format.js';
import { globMatcher } from './glob.js';

/** The reads a source needs; multiRead (3.6+) lets listings and data travel in batches. */
export type TreeReader = Pick<ZkAdapter, 'getChildren' | 'getData' | 'getACL'> & {
  multiRead?(ops: readonly ReadOp[]): Promise<MultiResult[]>;
};

export interface ReadOptions {
  acl: boolean;
  /** Globs: a match on the absolute path (or the name, for a glob without '/') leaves out the node and its subtree. */
  exclude?: readonly string[];
  signal?: AbortSignal;
  /** Nodes read ahead of the consumer (default 2000). */
  window?: number;
}

/** A node that could not be read: it (and what is below it) is missing from the stream. */
export interface ReadFailure {
  path: string;
  error: ZkError;
}

type Pending = Promise<NodeRecord | ReadFailure | null>;
const DONE: Pending = Promise.resolve(null);

/**
 * The subtree under `root` as records relative to it, in walk order, in batches (a yield per node
 * costs more than the node). Unreadable nodes come as ReadFailure in their place; a lost connection
 * or session ends the stream with that error.
 */
export async function* readTreeBatches(
  zk: TreeReader,
  root: string,
  opts: ReadOptions,
): AsyncGenerator<(NodeRecord | ReadFailure)[]> {
  const excluded = globMatcher(opts.exclude ?? []);
  // The system subtree is not user data: exports of "/" leave it out.
  const system = root === '/' ? '/zookeeper' : null;
  // Data travels with each listing (one multiRead carries both): the walk reads every node once.
  const walk = walkBatches(zk, root, {
    data: true,
    skip: (p) => p === system || excluded(p),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const record = (v: VisitedNode): NodeRecord | ReadFailure => {
    if (v.error || !v.node) return { path: v.path, error: v.error ?? new ZkError(Code.MARSHALLINGERROR, v.path) };
    const rel = relativePath(root, v.path);
    const rec: NodeRecord = {
      path: rel,
      data: v.node.data,
      kind: v.node.stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent',
      stat: v.node.stat,
    };
    if (rel !== '' && looksSequential(v.path.slice(v.path.lastIndexOf('/') + 1))) rec.sequential = true;
    return rec;
  };
  if (!opts.acl) {
    for await (const batch of walk) yield batch.map(record);
    return;
  }
  // getACL has no multiRead form: one request per node, up to `window` in flight, yielded in walk order.
  const window = opts.window ?? 2000;
  let queue: Pending[] = [];
  let head = 0;
  const withAcl = (r: NodeRecord | ReadFailure, path: string): Pending => {
    if (isFailure(r)) return Promise.resolve(r);
    const p = zk.getACL(path).then(
      ({ acl }) => {
        r.acl = acl;
        return r;
      },
      (e: unknown) => {
        // A node deleted between its listing and its ACL is simply not there.
        if (e instanceof ZkError && e.code === Code.NONODE) return null;
        if (e instanceof ZkError && !isSessionError(e)) return { path, error: e };
        throw e;
      },
    );
    p.catch(() => undefined);
    return p;
  };
  for await (const batch of walk) {
    const out: (NodeRecord | ReadFailure)[] = [];
    for (const v of batch) {
      queue.push(withAcl(record(v), v.path));
      while (queue.length - head >= window) {
        const r = await queue[head]!;
        queue[head++] = DONE;
        if (r) out.push(r);
      }
    }
    if (out.length > 0) yield out;
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }
  const rest: (NodeRecord | ReadFailure)[] = [];
  while (head < queue.length) {
    const r = await queue[head]!;
    queue[head++] = DONE;
    if (r) rest.push(r);
  }
  if (rest.length > 0) yield rest;
}

export const isFailure = (r: NodeRecord | ReadFailure): r is ReadFailure => 'error' in r;
