// The server's ceiling: what the project's own client gets at full pipelining, no shell in between.
// Every zk-shell figure in the bench is reported as a share of the ceiling that applies to it.
import type { MultiOp, ReadOp, ZooKeeperClient } from '../../src/zk/client.js';

/** Runs `jobs` with up to `inFlight` at once; returns items per second (items = sum of job sizes). */
async function rate(jobs: (() => Promise<unknown>)[], items: number, inFlight: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return items / ((performance.now() - t) / 1000);
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

export interface ReadCeilings {
  getChildren: number;
  getChildrenMulti: number;
  /** The same in batches of 500 (what the walk sends): the server lists about twice as fast. */
  getChildrenMulti500: number;
  getData: number;
  getDataMulti: number;
  exists: number;
}

/**
 * Read ceilings over known paths: single requests (1,000 in flight) and multiRead batches of 50 (the issue's
 * definition of the listing ceiling), 5,000 paths in flight; listings also in batches of 500.
 */
export async function readCeilings(zk: ZooKeeperClient, paths: readonly string[]): Promise<ReadCeilings> {
  const single = (f: (p: string) => Promise<unknown>): Promise<number> =>
    rate(
      paths.map((p) => () => f(p)),
      paths.length,
      1000,
    );
  const multi = (type: ReadOp['type'], size = 50): Promise<number> =>
    rate(
      chunks(paths, size).map((b) => () => zk.multiRead(b.map((path) => ({ type, path })))),
      paths.length,
      Math.max(1, Math.floor(5000 / size)),
    );
  // Best of two: the first pass also warms the server's JIT.
  const best = async (f: () => Promise<number>): Promise<number> => Math.max(await f(), await f());
  return {
    getChildren: await best(() => single((p) => zk.getChildren(p))),
    getChildrenMulti: await best(() => multi('getChildren')),
    getChildrenMulti500: await best(() => multi('getChildren', 500)),
    getData: await best(() => single((p) => zk.getData(p))),
    getDataMulti: await best(() => multi('getData')),
    exists: await best(() => single((p) => zk.exists(p))),
  };
}

export interface WriteCeilings {
  create: number;
  setData: number;
  delete: number;
  createMulti: number;
  setDataMulti: number;
  deleteMulti: number;
  /** Ops per multi that gave the multi figures. */
  multiSize: number;
}

/** Write ceilings on `n` fresh nodes under `root`: single requests (1,000 in flight), then multis. */
export async function writeCeilings(zk: ZooKeeperClient, root: string, n: number): Promise<WriteCeilings> {
  await zk.create(root, null);
  const paths = Array.from({ length: n }, (_, i) => `${root}/w${String(i).padStart(7, '0')}`);
  const data = Buffer.from('value-0123456789');
  const single = (f: (p: string) => Promise<unknown>): Promise<number> =>
    rate(
      paths.map((p) => () => f(p)),
      n,
      1000,
    );
  const create = await single((p) => zk.create(p, data));
  const setData = await single((p) => zk.setData(p, data));
  const del = await single((p) => zk.delete(p));
  // Multis of 1,000 and of 5,000 ops (~300 KB, a third of jute.maxbuffer), 8 in flight; the best counts.
  let best = { createMulti: 0, setDataMulti: 0, deleteMulti: 0, multiSize: 0 };
  for (const size of [1000, 5000]) {
    const multi = (op: (p: string) => MultiOp): Promise<number> =>
      rate(
        chunks(paths, size).map((b) => () => zk.multi(b.map(op))),
        n,
        8,
      );
    const c = await multi((path) => ({ type: 'create', path, data }));
    const s = await multi((path) => ({ type: 'setData', path, data }));
    const d = await multi((path) => ({ type: 'delete', path }));
    if (c + d > best.createMulti + best.deleteMulti)
      best = { createMulti: c, setDataMulti: s, deleteMulti: d, multiSize: size };
  }
  await zk.delete(root);
  return { create, setData, delete: del, ...best };
}
