// Building bench trees fast: pipelined multi creates, parents before children.
import type { MultiOp, ZooKeeperClient } from '../../src/zk/client.js';

/** Ops per multi: ~1,000 creates of short paths stay far below jute.maxbuffer. */
const MULTI_OPS = 1000;
const IN_FLIGHT = 8;

/** Runs multis over `ops` in order, batch by batch with IN_FLIGHT batches at a time (each level at once). */
export async function multiAll(zk: ZooKeeperClient, ops: readonly MultiOp[], size = MULTI_OPS): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ops.length) {
      const b = ops.slice(next, next + size);
      next += size;
      const res = await zk.multi(b);
      const bad = res.find((r) => r.type === 'error');
      if (bad)
        throw new Error(`bench tree multi failed at ${b[0]!.path}: error ${bad.type === 'error' ? bad.err : ''}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const create = (path: string, data: string): MultiOp => ({ type: 'create', path, data: Buffer.from(data) });

/**
 * root / fan1 dirs / fan2 leaves each (1 + fan1 + fan1 × fan2 nodes), `name(i)` naming each level.
 * Creates one level at a time, so a parent always exists before its children's multi is sent.
 */
export async function buildTree(
  zk: ZooKeeperClient,
  root: string,
  fan1: number,
  fan2: number,
  names: { dir: (i: number) => string; leaf: (j: number) => string } = {
    dir: (i) => `d${String(i).padStart(4, '0')}`,
    leaf: (j) => `n${String(j).padStart(5, '0')}`,
  },
): Promise<number> {
  await zk.create(root, null);
  const dirs = Array.from({ length: fan1 }, (_, i) => `${root}/${names.dir(i)}`);
  await multiAll(
    zk,
    dirs.map((p) => create(p, 'x')),
  );
  // Leaves in chunks so a million paths never sit in memory at once.
  const perChunk = Math.max(1, Math.floor(200_000 / Math.max(1, fan2)));
  for (let i = 0; i < dirs.length; i += perChunk) {
    const ops: MultiOp[] = [];
    for (const d of dirs.slice(i, i + perChunk))
      for (let j = 0; j < fan2; j++) ops.push(create(`${d}/${names.leaf(j)}`, 'leaf'));
    await multiAll(zk, ops);
  }
  return 1 + fan1 + fan1 * fan2;
}

/** A Curator service-discovery layout: 60 services × 500 instances with 36-character UUID names. */
export const curatorNames = {
  dir: (i: number) => `service-${String(i).padStart(2, '0')}-payments-gateway`,
  leaf: (j: number) => {
    const h = (j * 2654435761) >>> 0;
    const x = h.toString(16).padStart(8, '0');
    return `${x}-${x.slice(0, 4)}-4${x.slice(1, 4)}-a${x.slice(2, 5)}-${x}${x.slice(0, 4)}`;
  },
};
