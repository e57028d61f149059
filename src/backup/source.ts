// Reads a subtree as NodeRecords in walk order (parents first, children sorted), many reads in flight.
// Written against the few reads any ZkAdapter has, so an offline tree (a data dir) can be a source too.
import type { ZkAdapter } from '../commands/spec.js';
import type { MultiResult, ReadOp } from '../zk/client.js';
import type { Stat } from '../zk/jute/records.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import { walkBatches, type VisitedNode } from '../tree/walk.js';
import { endsInSequence } from '../zk/path.js';
import { relativePath, type NodeKind, type NodeRecord } from './format.js';
import { globMatcher } from './glob.js';

/** The reads a source needs; multiRead (3.6+) lets listings and data travel in batches. */
export type TreeReader = Pick<ZkAdapter, 'getChildren' | 'getData' | 'getACL'> & {
  multiRead?(ops: readonly ReadOp[]): Promise<MultiResult[]>;
  /** A data dir knows containers and TTL nodes, which a live server reports as persistent. */
  kindOf?(path: string): { kind: NodeKind; ttl?: number } | undefined;
};

/** A node's kind: what the data dir knows, else what a client can see (ephemeral or not). */
export function nodeKind(zk: TreeReader, path: string, stat: Stat): { kind: NodeKind; ttl?: number } {
  return zk.kindOf?.(path) ?? { kind: stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent' };
}

/**
 * Data bytes a tree read holds by default (the walk's WINDOW_BYTES is for listings). Every reply buffer is
 * freed only by a later GC, so what a read of 1 MB nodes takes is several times what it holds: 16 MB held
 * keeps an export of 1 MB nodes under ~190 MB RSS, with no loss of speed.
 */
export const READ_BYTES = 16 * 1024 * 1024;

export interface ReadOptions {
  acl: boolean;
  /** Globs: a match on the absolute path (or the name, for a glob without '/') leaves out the node and its subtree. */
  exclude?: readonly string[];
  signal?: AbortSignal;
  /** Nodes read ahead of the consumer (default 2000). */
  window?: number;
  /** Data bytes read ahead of the consumer, walk and ACL queue together (default READ_BYTES). */
  windowBytes?: number;
}

/** A node that could not be read: it (and what is below it) is missing from the stream. */
export interface ReadFailure {
  path: string;
  error: ZkError;
}

/** A record waiting for its ACL; `value` is set once it is known, so settled heads leave without an await. */
interface Pending {
  done: Promise<void>;
  value: NodeRecord | ReadFailure | null | undefined;
  bytes: number;
}

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
  // Data bytes held at once: with ACLs, half in the walk's requests and half in records waiting for theirs.
  const budget = (opts.windowBytes ?? READ_BYTES) / (opts.acl ? 2 : 1);
  // Data travels with each listing (one multiRead carries both): the walk reads every node once.
  const walk = walkBatches(zk, root, {
    data: true,
    skip: (p) => p === system || excluded(p),
    ...(opts.signal ? { signal: opts.signal } : {}),
    windowBytes: budget,
  });
  const record = (v: VisitedNode): NodeRecord | ReadFailure => {
    if (v.error || !v.node) return { path: v.path, error: v.error ?? new ZkError(Code.MARSHALLINGERROR, v.path) };
    const rel = relativePath(root, v.path);
    const stat = v.node.stat;
    // Built field by field (a spread of nodeKind's object cost more than the rest of the record).
    const known = zk.kindOf?.(v.path);
    const rec: NodeRecord = {
      path: rel,
      data: v.node.data,
      kind: known ? known.kind : stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent',
    };
    if (known?.ttl !== undefined) rec.ttl = known.ttl;
    rec.stat = stat;
    if (rel !== '' && endsInSequence(v.path)) rec.sequential = true;
    return rec;
  };
  if (!opts.acl) {
    for await (const batch of walk) yield batch.map(record);
    return;
  }
  // getACL has no multiRead form: one request per node, up to `window` in flight, yielded in walk order.
  // Records leave as soon as their ACL is in, and the data they hold is capped too (big nodes, slow ACLs).
  const window = opts.window ?? 2000;
  const maxBytes = budget;
  const queue: Pending[] = [];
  let head = 0;
  let held = 0;
  const withAcl = (r: NodeRecord | ReadFailure, path: string): Pending => {
    const bytes = isFailure(r) ? 0 : (r.data?.length ?? 0);
    if (isFailure(r)) return { done: Promise.resolve(), value: r, bytes };
    const entry: Pending = { done: Promise.resolve(), value: undefined, bytes };
    entry.done = zk.getACL(path).then(
      ({ acl }) => {
        r.acl = acl;
        entry.value = r;
      },
      (e: unknown) => {
        // A node deleted between its listing and its ACL is simply not there.
        if (e instanceof ZkError && e.code === Code.NONODE) entry.value = null;
        else if (e instanceof ZkError && !isSessionError(e)) entry.value = { path, error: e };
        else throw e;
      },
    );
    entry.done.catch(() => undefined);
    return entry;
  };
  // Moves settled heads to `out`; waits for the head only while the queue is over its count or bytes.
  const drain = async (out: (NodeRecord | ReadFailure)[], all: boolean): Promise<void> => {
    while (head < queue.length) {
      const e = queue[head]!;
      if (e.value === undefined) {
        if (!all && queue.length - head < window && held <= maxBytes) return;
        await e.done;
      }
      // The record is the consumer's now: the queue keeps no reference to it (nor to its data).
      queue[head++] = DRAINED;
      held -= e.bytes;
      if (e.value) out.push(e.value);
    }
  };
  for await (const batch of walk) {
    const out: (NodeRecord | ReadFailure)[] = [];
    for (const v of batch) {
      const entry = withAcl(record(v), v.path);
      queue.push(entry);
      held += entry.bytes;
      // Only a settled head or a full queue needs the drain (a per-node await would cost more than the node).
      if (queue[head]!.value !== undefined || queue.length - head >= window || held > maxBytes) await drain(out, false);
    }
    if (out.length > 0) yield out;
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  }
  const rest: (NodeRecord | ReadFailure)[] = [];
  await drain(rest, true);
  if (rest.length > 0) yield rest;
}

const DRAINED: Pending = { done: Promise.resolve(), value: null, bytes: 0 };

export const isFailure = (r: NodeRecord | ReadFailure): r is ReadFailure => 'error' in r;
