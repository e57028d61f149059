import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MultiResult, ReadOp } from '../../src/zk/client.js';
import { ZkError } from '../../src/zk/errors.js';
import { joinPath } from '../../src/zk/path.js';
import type { Stat } from '../../src/zk/jute/records.js';
import { fakeStat } from '../helpers/stat.js';
import {
  LIST_BATCH,
  comparePreorder,
  subtreePaths,
  walkBatches,
  walkTree,
  type ChildLister,
  type NodeData,
} from '../../src/tree/walk.js';

/** A random tree as a map path → children, with names chosen to stress sorting (digits, case, dots). */
function randomTree(seed: number, nodes: number): Map<string, string[]> {
  let s = seed;
  const rnd = (n: number): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const names = ['a', 'B', '0', 'a.b', 'ab', 'A', 'z', '10', '9', 'é'];
  const tree = new Map<string, string[]>([['/r', []]]);
  const all = ['/r'];
  for (let i = 0; i < nodes; i++) {
    const parent = all[rnd(all.length)]!;
    const name = `${names[rnd(names.length)]}${rnd(3) === 0 ? i : ''}`;
    const kids = tree.get(parent)!;
    if (kids.includes(name)) continue;
    kids.push(name);
    const p = joinPath(parent, name);
    tree.set(p, []);
    all.push(p);
  }
  return tree;
}

/** zkCli's order, computed the naive recursive way. */
function zkcliOrder(tree: Map<string, string[]>, root: string): string[] {
  const out = [root];
  const visit = (p: string): void => {
    const kids = [...tree.get(p)!].sort();
    for (const k of kids) out.push(joinPath(p, k));
    for (const k of kids) visit(joinPath(p, k));
  };
  visit(root);
  return out;
}

/** A node's stat as a server gives it: numChildren is what a walk with data goes by. */
const statOf = (tree: Map<string, string[]>, p: string): Stat => fakeStat({ numChildren: tree.get(p)?.length ?? 0 });

function lister(
  tree: Map<string, string[]>,
  mode: 'multi' | 'single' | 'unimplemented',
  stats = { inFlight: 0, max: 0, calls: 0 },
): ChildLister {
  const one = async (p: string): Promise<string[]> => {
    stats.inFlight++;
    stats.max = Math.max(stats.max, stats.inFlight);
    stats.calls++;
    await new Promise((r) => setImmediate(r));
    stats.inFlight--;
    const kids = tree.get(p);
    if (!kids) throw new ZkError(-101, p);
    return [...kids].reverse();
  };
  const data = async (p: string): Promise<NodeData> => {
    await new Promise((r) => setImmediate(r));
    if (!tree.has(p)) throw new ZkError(-101, p);
    return { data: Buffer.from(p), stat: statOf(tree, p) };
  };
  const l: ChildLister = { getChildren: one, getData: data };
  if (mode !== 'single') {
    l.multiRead = async (ops: readonly ReadOp[]): Promise<MultiResult[]> => {
      if (mode === 'unimplemented') throw new ZkError(-6);
      stats.inFlight += ops.length;
      stats.max = Math.max(stats.max, stats.inFlight);
      await new Promise((r) => setImmediate(r));
      stats.inFlight -= ops.length;
      return ops.map((o): MultiResult => {
        const kids = tree.get(o.path);
        if (!kids) return { type: 'error', err: -101 };
        return o.type === 'getData'
          ? { type: 'getData', data: Buffer.from(o.path), stat: statOf(tree, o.path) }
          : { type: 'getChildren', children: [...kids].reverse() };
      });
    };
  }
  return l;
}

const collect = async <T>(g: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of g) out.push(x);
  return out;
};

describe('walkTree', () => {
  for (const mode of ['multi', 'single', 'unimplemented'] as const) {
    it(`visits random trees in exactly zkCli's order (${mode})`, async () => {
      for (const seed of [1, 2, 3, 42]) {
        const tree = randomTree(seed, 400);
        assert.deepEqual(
          await collect(subtreePaths(lister(tree, mode), '/r', { window: 16 })),
          zkcliOrder(tree, '/r'),
          `seed ${seed}`,
        );
      }
    });
  }

  it("starts from the caller's listing of the root without asking for it again (ls -R)", async () => {
    for (const seed of [1, 7]) {
      const tree = randomTree(seed, 400);
      const asked: string[] = [];
      const l = lister(tree, 'multi');
      const { multiRead, getChildren } = l;
      l.multiRead = (ops) => {
        asked.push(...ops.map((o) => o.path));
        return multiRead!(ops);
      };
      l.getChildren = (p) => {
        asked.push(p);
        return getChildren(p);
      };
      const rootChildren = [...tree.get('/r')!];
      assert.deepEqual(
        await collect(subtreePaths(l, '/r', { window: 16, rootChildren })),
        zkcliOrder(tree, '/r'),
        `seed ${seed}`,
      );
      assert.ok(!asked.includes('/r'), 'the root was listed again');
      assert.equal(asked.length, tree.size - 1, 'every other node listed once');
      assert.deepEqual(rootChildren, tree.get('/r'), "the caller's array is left as it was");
    }
  });

  it('reads data with each listing and leaves skipped subtrees unlisted (export reads this way)', async () => {
    const tree = randomTree(5, 400);
    const named = (p: string, n: string): boolean => p.split('/').slice(2).includes(n);
    const want = [...tree.keys()].filter((p) => !named(p, 'a')).sort(comparePreorder);
    for (const mode of ['multi', 'single', 'unimplemented'] as const) {
      const stats = { inFlight: 0, max: 0, calls: 0 };
      const skip = (p: string): boolean => p.endsWith('/a');
      const seen = await collect(walkTree(lister(tree, mode, stats), '/r', { window: 16, data: true, skip }));
      assert.deepEqual(
        seen.map((v) => v.path),
        want,
        mode,
      );
      for (const v of seen) assert.equal(v.node?.data?.toString(), v.path, `${mode}: data of ${v.path}`);
      if (mode === 'single') assert.equal(stats.calls, want.length, 'one listing per visited node, none skipped');
    }
  });

  it('with data, reads most leaves without listing them; a node the stat shows has children is listed', async () => {
    // 40 × 200 leaves, and at the leaves' depth a few nodes that do have children (taken for leaves first).
    const tree = new Map<string, string[]>();
    const top = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    tree.set('/r', top);
    for (const d of top) {
      const kids = Array.from({ length: 200 }, (_, j) => `i${String(j).padStart(3, '0')}`);
      tree.set(`/r/${d}`, kids);
      for (const k of kids) tree.set(`/r/${d}/${k}`, []);
    }
    for (const p of ['/r/s07/i150', '/r/s39/i199']) {
      tree.set(p, ['x', 'y']);
      tree.set(`${p}/x`, []);
      tree.set(`${p}/y`, ['z']);
      tree.set(`${p}/y/z`, []);
    }
    const l = lister(tree, 'multi');
    const inner = l.multiRead!;
    let listings = 0;
    l.multiRead = (ops) => {
      listings += ops.filter((o) => o.type === 'getChildren').length;
      return inner(ops);
    };
    const seen = await collect(walkTree(l, '/r', { data: true }));
    assert.deepEqual(
      seen.map((v) => v.path),
      [...tree.keys()].sort(comparePreorder),
    );
    for (const v of seen) {
      assert.deepEqual(v.children, [...tree.get(v.path)!].sort(), `children of ${v.path}`);
      assert.equal(v.node?.data?.toString(), v.path, `data of ${v.path}`);
    }
    assert.ok(listings < tree.size / 4, `${listings} listings for ${tree.size} nodes`);
  });

  it('keeps no more than the window (plus one batch) outstanding', async () => {
    const tree = randomTree(7, 3000);
    for (const mode of ['multi', 'single'] as const) {
      const stats = { inFlight: 0, max: 0, calls: 0 };
      await collect(walkTree(lister(tree, mode, stats), '/r', { window: 100 }));
      assert.ok(stats.max <= 150, `${mode}: max in flight ${stats.max}`);
      assert.ok(stats.max >= 20, `${mode}: actually pipelined (${stats.max})`);
    }
  });

  it('skips nodes deleted during the walk; a missing start node is an error', async () => {
    const tree = new Map([
      ['/r', ['a', 'gone']],
      ['/r/a', []],
    ]);
    assert.deepEqual(await collect(subtreePaths(lister(tree, 'multi'), '/r')), ['/r', '/r/a', '/r/gone']);
    await assert.rejects(
      collect(walkTree(lister(tree, 'single'), '/nope')),
      (e: unknown) => (e as ZkError).code === -101,
    );
  });

  it('hands over batches of wide nodes before their names pile up (leaves taken unlisted, as deleteall does)', async () => {
    // 300 nodes of 1,000 children each, the children taken for leaves: every visit is a wide node. Batches
    // were cut at 1,024 visits only, so one held 300,000 names (a million-node deleteall peaked at ~245 MB).
    const tree = new Map<string, string[]>();
    const top = Array.from({ length: 300 }, (_, i) => `d${i}`);
    tree.set('/w', top);
    for (const d of top)
      tree.set(
        `/w/${d}`,
        Array.from({ length: 1000 }, (_, j) => `n${j}`),
      );
    const guesser = { saw: () => undefined, guess: (p: string) => p.split('/').length > 3 };
    let most = 0;
    let visits = 0;
    for await (const batch of walkBatches(lister(tree, 'multi'), '/w', { leafGuesser: guesser })) {
      visits += batch.length;
      most = Math.max(
        most,
        batch.reduce((n, v) => n + 1 + v.children.length, 0),
      );
    }
    assert.equal(visits, 301);
    assert.ok(most <= 16384 + 1001, `a batch held ${most} names`);
  });

  it('comparePreorder is the DFS order', () => {
    const sorted = ['/a', '/a/b', '/a/b/c', '/a/c', '/a.b', '/a0', '/ab', '/b'];
    const shuffled = [...sorted].reverse();
    assert.deepEqual(shuffled.sort(comparePreorder), sorted);
  });
});

describe("errors that end bulk work (the error table's session column)", () => {
  it('isSessionError: connection, session and auth failures end bulk work; per-node errors do not', async () => {
    const { isSessionError, Code, errorFor } = await import('../../src/zk/errors.js');
    for (const c of [
      Code.CONNECTIONLOSS,
      Code.SESSIONEXPIRED,
      Code.AUTHFAILED,
      Code.REQUESTTIMEOUT,
      Code.SESSIONMOVED,
      -124,
    ])
      assert.equal(isSessionError(errorFor(c)), true, String(c));
    for (const c of [Code.NONODE, Code.NOAUTH, Code.NOTEMPTY, Code.BADVERSION, Code.QUOTAEXCEEDED])
      assert.equal(isSessionError(errorFor(c)), false, String(c));
  });

  it('deleteTree stops on AuthFailed instead of splitting batches down to single deletes', async () => {
    const { deleteTree } = await import('../../src/tree/delete-tree.js');
    const { AuthFailedError } = await import('../../src/zk/errors.js');
    const tree = new Map<string, string[]>([['/r', Array.from({ length: 50 }, (_, i) => `n${i}`)]]);
    for (let i = 0; i < 50; i++) tree.set(`/r/n${i}`, []);
    let multis = 0;
    let singles = 0;
    const zk = {
      getChildren: async (p: string) => tree.get(p) ?? [],
      multi: async () => {
        multis++;
        throw new AuthFailedError();
      },
      delete: async () => {
        singles++;
      },
    };
    const res = await deleteTree(zk, '/r', { batchSize: 10, inFlight: 1 });
    assert.ok(res.fatal instanceof AuthFailedError);
    assert.equal(multis, 1, 'no more batches after the session failed');
    assert.equal(singles, 0, 'no split into single deletes');
    assert.equal(res.deleted, 0);
    assert.equal(res.unknown, 10);
  });
});

describe('walk pipelining on wide trees', () => {
  it('keeps multiRead batches full on a 100 × 1,000 tree (far listings never starve the next nodes)', async () => {
    // Regression: children of a far node listed early were requested at once and held the window
    // until the walk reached them, so batches shrank to a handful of paths and the walk crawled.
    const tree = new Map<string, string[]>();
    const top = Array.from({ length: 100 }, (_, i) => `d${String(i).padStart(4, '0')}`);
    tree.set('/w', top);
    for (const d of top) {
      const kids = Array.from({ length: 1000 }, (_, j) => `n${String(j).padStart(5, '0')}`);
      tree.set(`/w/${d}`, kids);
      for (const k of kids) tree.set(`/w/${d}/${k}`, []);
    }
    const sizes: number[] = [];
    let inFlight = 0;
    let inFlightSum = 0;
    const lister: ChildLister = {
      getChildren: (p) => Promise.resolve([...(tree.get(p) ?? [])]),
      multiRead: (ops: readonly ReadOp[]) => {
        sizes.push(ops.length);
        inFlightSum += ++inFlight;
        // Replies come back later and in order, like a server's.
        return new Promise<MultiResult[]>((resolve) =>
          setImmediate(() => {
            inFlight--;
            resolve(ops.map((o) => ({ type: 'getChildren', children: [...(tree.get(o.path) ?? [])] })));
          }),
        );
      },
    };
    let n = 0;
    for await (const p of subtreePaths(lister, '/w')) if (typeof p === 'string') n++;
    assert.equal(n, 1 + 100 + 100_000);
    const listed = sizes.reduce((a, b) => a + b, 0);
    assert.ok(listed <= 100_101 * 1.05, `each node listed about once (${listed})`);
    const avg = listed / sizes.length;
    assert.ok(avg >= LIST_BATCH * 0.6, `average multiRead batch ${avg.toFixed(1)} paths (want ≥ 60% of ${LIST_BATCH})`);
    assert.ok(
      inFlightSum / sizes.length >= 5,
      `requests overlap (${(inFlightSum / sizes.length).toFixed(1)} in flight)`,
    );
  });
});
