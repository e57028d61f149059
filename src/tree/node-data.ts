// Data and stat of the nodes a walk yields, fetched pipelined beside the walk (getData in multiRead
// batches where the client has it) and handed back in walk order. grep, du, tree -s and find's stat
// tests use it; the walk itself is unchanged.
import type { MultiResult, ReadOp } from '../zk/client.js';
import { Code, isSessionError, TooLargeError, ZkError } from '../zk/errors.js';
import type { Stat } from '../zk/jute/records.js';

export interface DataReader {
  getData(path: string): Promise<{ data: Buffer | null; stat: Stat }>;
  exists(path: string): Promise<Stat | null>;
  multiRead?(ops: readonly ReadOp[]): Promise<MultiResult[]>;
}

export type NodeData = { data: Buffer | null; stat: Stat } | { stat: Stat; data?: undefined } | ZkError;

/** Paths per multiRead; shrinks when replies are large (data near the 1 MB limit). */
const BATCH = 50;
const REPLY_BUDGET = 512 * 1024;

/**
 * Fetches nodes' data in batches. `need: 'stat'` still reads with getData (one multiRead is far cheaper
 * than one exists per node) but falls back to exists for a node it may not read, since exists needs no
 * permission. Per-node errors are values; errors of the connection or session reject.
 */
export function dataFetcher(
  zk: DataReader,
  need: 'data' | 'stat',
): { get(path: string): Promise<NodeData>; flush(): void } {
  let batching = typeof zk.multiRead === 'function';
  let size = BATCH;
  let avg = 0;
  type Pending = { path: string; resolve: (r: NodeData) => void; reject: (e: unknown) => void };
  let batch: Pending[] = [];
  const perNodeError = (path: string, e: unknown): NodeData => {
    if (e instanceof ZkError && !isSessionError(e))
      return e instanceof TooLargeError ? new TooLargeError(path, e.size, e.limit, e.request) : e;
    throw e;
  };
  const statOnly = async (path: string, err: ZkError): Promise<NodeData> => {
    if (need !== 'stat' || err.code === Code.NONODE) return err;
    let stat: Stat | null;
    try {
      stat = await zk.exists(path);
    } catch (e) {
      return perNodeError(path, e);
    }
    return stat === null ? new ZkError(Code.NONODE, path) : { stat };
  };
  const single = (x: Pending): void => {
    zk.getData(x.path)
      .catch((e: unknown) => perNodeError(x.path, e))
      .then((r) => (r instanceof ZkError ? statOnly(x.path, r) : r))
      .then(x.resolve, x.reject);
  };
  const send = (b: Pending[]): void => {
    if (!batching || b.length === 1) return b.forEach(single);
    zk.multiRead!(b.map((x) => ({ type: 'getData' as const, path: x.path }))).then(
      (res) => {
        let bytes = 0;
        b.forEach((x, i) => {
          const r = res[i];
          if (r?.type === 'getData') {
            bytes += 16 + 80 + (r.data?.length ?? 0);
            x.resolve(r);
          } else {
            const err = new ZkError(r?.type === 'error' ? r.err : Code.MARSHALLINGERROR, x.path);
            statOnly(x.path, err).then(x.resolve, x.reject);
          }
        });
        const per = bytes / Math.max(1, b.length);
        avg = avg === 0 ? per : avg * 0.7 + per * 0.3;
        size = Math.max(1, Math.min(BATCH, Math.floor(REPLY_BUDGET / Math.max(1, avg))));
      },
      (e: unknown) => {
        if (e instanceof TooLargeError) {
          size = Math.max(1, Math.floor(b.length / 2));
          send(b.slice(0, b.length >> 1));
          send(b.slice(b.length >> 1));
        } else if (e instanceof ZkError && e.code === Code.UNIMPLEMENTED) {
          batching = false;
          send(b);
        } else b.forEach((x) => x.reject(e));
      },
    );
  };
  const flush = (): void => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    send(b);
  };
  return {
    get: (path) =>
      new Promise<NodeData>((resolve, reject) => {
        batch.push({ path, resolve, reject });
        // A partial batch goes out once the walk pauses (after the current burst of items).
        if (batch.length === 1) setImmediate(flush);
        if (batch.length >= size) flush();
      }),
    flush,
  };
}

/**
 * Pairs each item of `items` with its node's data, in order, with up to `window` fetches in flight.
 * `pathOf` returns null for items that need no fetch (errors of the walk), which pass through as they are.
 */
export async function* withNodeData<T>(
  zk: DataReader,
  items: AsyncIterable<T>,
  pathOf: (item: T) => string | null,
  need: 'data' | 'stat',
  window = 1000,
): AsyncGenerator<{ item: T; node: NodeData | null }> {
  const f = dataFetcher(zk, need);
  const queue: { item: T; node: Promise<NodeData> | null; ready: boolean }[] = [];
  let head = 0;
  const drainOne = async (): Promise<{ item: T; node: NodeData | null }> => {
    const q = queue[head]!;
    queue[head++] = undefined as never;
    if (head > 4096) {
      queue.splice(0, head);
      head = 0;
    }
    f.flush();
    return { item: q.item, node: q.node ? await q.node : null };
  };
  for await (const item of items) {
    const path = pathOf(item);
    const node = path === null ? null : f.get(path);
    const q = { item, node, ready: node === null };
    node?.then(
      () => (q.ready = true),
      () => (q.ready = true),
    );
    queue.push(q);
    // Hand back what has already arrived without waiting for more of the walk.
    while (queue.length - head > 0 && (queue.length - head >= window || queue[head]!.ready)) yield await drainOne();
  }
  while (queue.length - head > 0) yield await drainOne();
}
