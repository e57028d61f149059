// Reads a subtree as NodeRecords in walk order (parents first, children sorted), many reads in flight.
// Written against the few reads any ZkAdapter has, so an offline tree (a data dir) can be a source too.
import type { ZkAdapter } from '../commands/spec.js';
import type { MultiResult, ReadOp } from '../zk/client.js';
import { Code, isSessionError, TooLargeError, ZkError } from '../zk/errors.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import { walkTree } from '../tree/walk.js';
import { looksSequential, relativePath, type NodeRecord } from './format.js';
import { globMatcher } from './glob.js';

/** The reads a source needs; multiRead (3.6+) lets getData travel in batches. */
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

const DATA_BATCH = 50;

/** getData requests gathered into multiRead batches; falls back to single reads where multiRead cannot help. */
class DataBatcher {
  private batch: {
    path: string;
    resolve: (r: { data: Buffer | null; stat: Stat } | ZkError) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private batching: boolean;
  constructor(private readonly zk: TreeReader) {
    this.batching = typeof zk.multiRead === 'function';
  }
  private single(path: string): Promise<{ data: Buffer | null; stat: Stat } | ZkError> {
    return this.zk.getData(path).catch((e: unknown) => {
      if (e instanceof ZkError && !isSessionError(e)) return e;
      throw e;
    });
  }
  get(path: string): Promise<{ data: Buffer | null; stat: Stat } | ZkError> {
    if (!this.batching) return this.single(path);
    return new Promise((resolve, reject) => {
      this.batch.push({ path, resolve, reject });
      if (this.batch.length >= DATA_BATCH) this.flush();
    });
  }
  /** The read of `path` is still waiting in the unsent batch. */
  holds(path: string): boolean {
    return this.batch.some((x) => x.path === path);
  }
  flush(): void {
    const b = this.batch;
    if (b.length === 0) return;
    this.batch = [];
    if (!this.batching || b.length === 1) {
      for (const x of b) this.single(x.path).then(x.resolve, x.reject);
      return;
    }
    this.zk.multiRead!(b.map((x) => ({ type: 'getData' as const, path: x.path }))).then(
      (res) =>
        b.forEach((x, i) => {
          const r = res[i];
          if (r?.type === 'getData') x.resolve({ data: r.data, stat: r.stat });
          else x.resolve(new ZkError(r?.type === 'error' ? r.err : Code.MARSHALLINGERROR, x.path));
        }),
      (e: unknown) => {
        // A reply over the size limit (big data) or a server without multiRead: read these one by one.
        if (e instanceof TooLargeError || (e instanceof ZkError && e.code === Code.UNIMPLEMENTED)) {
          if (!(e instanceof TooLargeError)) this.batching = false;
          for (const x of b) this.single(x.path).then(x.resolve, x.reject);
        } else for (const x of b) x.reject(e);
      },
    );
  }
}

type Pending = Promise<NodeRecord | ReadFailure> & { path?: string };
const DONE: Pending = Promise.resolve({ path: '', error: new ZkError(Code.NONODE) });

/**
 * The subtree under `root` as records relative to it, in walk order. Unreadable nodes come as
 * ReadFailure in their place; a lost connection or session ends the stream with that error.
 */
export async function* readTree(
  zk: TreeReader,
  root: string,
  opts: ReadOptions,
): AsyncGenerator<NodeRecord | ReadFailure> {
  const window = opts.window ?? 2000;
  const excluded = globMatcher(opts.exclude ?? []);
  const data = new DataBatcher(zk);
  let queue: Pending[] = [];
  let head = 0;
  const read = (path: string): Pending => {
    const d = data.get(path);
    const a: Promise<{ acl: ACL[] } | ZkError | null> = opts.acl
      ? zk.getACL(path).catch((e: unknown) => {
          if (e instanceof ZkError && !isSessionError(e)) return e;
          throw e;
        })
      : Promise.resolve(null);
    const p = Promise.all([d, a]).then(([dr, ar]): NodeRecord | ReadFailure => {
      if (dr instanceof ZkError) return { path, error: dr };
      if (ar instanceof ZkError) return { path, error: ar };
      const rel = relativePath(root, path);
      const name = path.slice(path.lastIndexOf('/') + 1);
      const rec: NodeRecord = {
        path: rel,
        data: dr.data,
        kind: dr.stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent',
        stat: dr.stat,
      };
      if (ar) rec.acl = ar.acl;
      if (rel !== '' && looksSequential(name)) rec.sequential = true;
      return rec;
    });
    p.catch(() => undefined);
    return Object.assign(p, { path });
  };
  const next = async (): Promise<NodeRecord | ReadFailure | null> => {
    const r = await queue[head]!;
    queue[head++] = DONE;
    // A node deleted between listing and reading is simply not there.
    return 'error' in r && r.error.code === Code.NONODE ? null : r;
  };
  // A subtree that is left out: everything under it is skipped (the walk still lists it).
  let skipPrefix: string | null = null;
  // The system subtree is not user data: exports of "/" leave it out.
  const system = root === '/' ? '/zookeeper' : null;
  for await (const v of walkTree(zk, root, opts.signal ? { signal: opts.signal } : {})) {
    if (skipPrefix !== null && (v.path === skipPrefix || v.path.startsWith(`${skipPrefix}/`))) continue;
    skipPrefix = null;
    if (v.path !== root && (v.path === system || excluded(v.path))) {
      skipPrefix = v.path;
      continue;
    }
    if (v.error && v.error.code !== Code.NONODE) {
      queue.push(Promise.resolve({ path: v.path, error: v.error }));
    } else queue.push(read(v.path));
    while (queue.length - head >= window) {
      // Batches fill up while the head's reply is on its way; sent early only when the head itself waits in one.
      if (data.holds(queue[head]!.path ?? '')) data.flush();
      const r = await next();
      if (r) yield r;
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }
  data.flush();
  while (head < queue.length) {
    const r = await next();
    if (r) yield r;
  }
}

export const isFailure = (r: NodeRecord | ReadFailure): r is ReadFailure => 'error' in r;
