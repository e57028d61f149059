import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MultiOp, MultiResult, ReadOp } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { deleteTree, type TreeDeleter } from '../../src/tree/delete-tree.js';

interface Fake {
  zk: TreeDeleter;
  nodes: Map<string, string[]>;
  log: string[];
  /** Paths listed, each time one was. */
  listings: string[];
}

/** An in-memory tree that serves listings and deletes, recording the order of calls. */
function fakeTree(fan1: number, fan2: number): Fake {
  const nodes = new Map<string, string[]>([['/r', []]]);
  for (let i = 0; i < fan1; i++) {
    const d = `/r/d${i}`;
    nodes.get('/r')!.push(`d${i}`);
    nodes.set(d, []);
    for (let j = 0; j < fan2; j++) {
      nodes.get(d)!.push(`n${j}`);
      nodes.set(`${d}/n${j}`, []);
    }
  }
  const log: string[] = [];
  const listings: string[] = [];
  const del = (p: string): void => {
    const kids = nodes.get(p);
    if (!kids) throw new ZkError(Code.NONODE, p);
    if (kids.length > 0) throw new ZkError(Code.NOTEMPTY, p);
    nodes.delete(p);
    const parent = p.slice(0, p.lastIndexOf('/')) || '/';
    const siblings = nodes.get(parent);
    if (siblings) siblings.splice(siblings.indexOf(p.slice(p.lastIndexOf('/') + 1)), 1);
  };
  const later = <T>(f: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(f());
        } catch (e) {
          reject(e);
        }
      }),
    );
  const zk: TreeDeleter = {
    getChildren: (p) =>
      later(() => {
        log.push('list');
        listings.push(p);
        const kids = nodes.get(p);
        if (!kids) throw new ZkError(Code.NONODE, p);
        return [...kids];
      }),
    multiRead: (ops: readonly ReadOp[]) =>
      later(() => {
        log.push('list');
        return ops.map((o): MultiResult => {
          listings.push(o.path);
          const kids = nodes.get(o.path);
          return kids ? { type: 'getChildren', children: [...kids] } : { type: 'error', err: Code.NONODE };
        });
      }),
    multi: (ops: readonly MultiOp[]) =>
      later(() => {
        log.push('delete');
        // Atomic, and each op sees the ones before it (as the server applies a multi).
        const gone = new Set<string>();
        ops.forEach((o, i) => {
          const kids = nodes.get(o.path);
          const code =
            !kids || gone.has(o.path) ? Code.NONODE : kids.some((k) => !gone.has(`${o.path}/${k}`)) ? Code.NOTEMPTY : 0;
          if (code) {
            // The failed op names its error, those before it 0, those after it RUNTIMEINCONSISTENCY.
            const e = new ZkError(code, o.path);
            e.results = ops.map((_, j) => ({ err: j < i ? 0 : j === i ? code : Code.RUNTIMEINCONSISTENCY }));
            throw e;
          }
          gone.add(o.path);
        });
        for (const o of ops) del(o.path);
        return ops.map((): MultiResult => ({ type: 'delete' }));
      }),
    delete: (p) =>
      later(() => {
        log.push('delete');
        del(p);
      }),
  };
  return { zk, nodes, log, listings };
}

/** Adds `n` children to `parent` in a fake tree. */
function addChildren(f: Fake, parent: string, n: number): void {
  for (let i = 0; i < n; i++) {
    f.nodes.get(parent)!.push(`c${i}`);
    f.nodes.set(`${parent}/c${i}`, []);
  }
}

/** Makes deleting `path` fail with NOAUTH, alone or in a multi (as a parent without DELETE permission does). */
function refuse(f: Fake, path: string): void {
  const multi = f.zk.multi.bind(f.zk);
  f.zk.multi = (ops) => {
    const i = ops.findIndex((o) => o.path === path);
    if (i < 0) return multi(ops);
    const e = new ZkError(Code.NOAUTH, path);
    e.results = ops.map((_, j) => ({ err: j < i ? 0 : j === i ? Code.NOAUTH : Code.RUNTIMEINCONSISTENCY }));
    return Promise.reject(e);
  };
  const del = f.zk.delete.bind(f.zk);
  f.zk.delete = (p, v) => (p === path ? Promise.reject(new ZkError(Code.NOAUTH, p)) : del(p, v));
}

describe('deleteTree', () => {
  it('streams: deletes start while the walk is still listing, and every node goes', async () => {
    const { zk, nodes, log } = fakeTree(40, 200);
    // Every node listed, so that the listing is long enough to overlap.
    const res = await deleteTree(zk, '/r', { batchSize: 100, guessLeaves: false });
    assert.equal(res.listed, 1 + 40 + 8000);
    assert.equal(res.deleted, res.listed, JSON.stringify({ ...res, failed: res.failed.slice(0, 3) }));
    assert.deepEqual(res.failed, []);
    assert.equal(nodes.size, 0);
    const firstDelete = log.indexOf('delete');
    const lastList = log.lastIndexOf('list');
    assert.ok(firstDelete >= 0 && firstDelete < lastList, 'deletes overlap the listing (bounded memory)');
  });

  it('takes the rest of a depth for leaves once many of it were: most leaves go unlisted', async () => {
    const f = fakeTree(40, 200);
    const res = await deleteTree(f.zk, '/r', { batchSize: 100 });
    assert.deepEqual([res.listed, res.deleted, res.failed, f.nodes.size], [8041, 8041, [], 0]);
    assert.ok(f.listings.length < 1000, `${f.listings.length} listings for 8041 nodes`);
  });

  for (const batchSize of [100, 0])
    it(`a wrong guess costs only time: the node goes with its subtree, and so do its parents (-b ${batchSize})`, async () => {
      const f = fakeTree(20, 300);
      // Leaves at depth 3 under /r/d0 … /r/d9, then nodes of that depth with children (and grandchildren).
      for (const d of [10, 15, 19]) for (const n of [0, 150, 299]) addChildren(f, `/r/d${d}/n${n}`, 3);
      addChildren(f, '/r/d15/n150/c1', 2);
      const total = f.nodes.size;
      const res = await deleteTree(f.zk, '/r', { batchSize });
      assert.deepEqual([res.failed, f.nodes.size], [[], 0]);
      assert.deepEqual([res.deleted, res.listed], [total, total]);
      assert.ok(f.listings.length < total / 2, `guessed: ${f.listings.length} listings for ${total} nodes`);
    });

  it('a guessed node that cannot be deleted is reported like any other', async () => {
    const f = fakeTree(4, 100);
    const refused = '/r/d3/n7';
    refuse(f, refused);
    const res = await deleteTree(f.zk, '/r', { batchSize: 50 });
    assert.deepEqual(
      res.failed.map((x) => [x.path, x.error.code]),
      [
        [refused, Code.NOAUTH],
        ['/r/d3', Code.NOTEMPTY],
        ['/r', Code.NOTEMPTY],
      ],
    );
    assert.deepEqual([...f.nodes.keys()].sort(), ['/r', '/r/d3', refused]);
  });

  it('a refused node and a wrong guess: each node counted once, failures as without guessing', async () => {
    const f = fakeTree(6, 100);
    const refused = '/r/d2/n7';
    refuse(f, refused);
    addChildren(f, '/r/d4/n50', 3);
    const total = f.nodes.size;
    const res = await deleteTree(f.zk, '/r', { batchSize: 50 });
    // Which parent's refusal comes back first depends on the batches' timing.
    assert.deepEqual(res.failed.map((x) => [x.path, x.error.code]).sort(), [
      ['/r', Code.NOTEMPTY],
      ['/r/d2', Code.NOTEMPTY],
      [refused, Code.NOAUTH],
    ]);
    assert.deepEqual([res.listed, res.deleted], [total, total - 3]);
    assert.deepEqual([...f.nodes.keys()].sort(), ['/r', '/r/d2', refused]);
  });

  it('a parent refused while a split batch still held its child is deleted once the child goes', async () => {
    // Post-order: d0/n0 (refused), d0, d1/n0 | d1, r. The first multi fails for d0/n0's sake; the second,
    // already in flight, finds d1/n0 still there; the first one's halves delete d1/n0 only after that.
    const f = fakeTree(2, 1);
    refuse(f, '/r/d0/n0');
    const res = await deleteTree(f.zk, '/r', { batchSize: 3, guessLeaves: false });
    assert.deepEqual(
      res.failed.map((x) => [x.path, x.error.code]),
      [
        ['/r/d0/n0', Code.NOAUTH],
        ['/r/d0', Code.NOTEMPTY],
        ['/r', Code.NOTEMPTY],
      ],
    );
    assert.deepEqual([...f.nodes.keys()].sort(), ['/r', '/r/d0', '/r/d0/n0']);
    assert.equal(res.deleted, 2);
  });

  it('a node with children that cannot be listed is reported with why (NoAuth), listed or guessed', async () => {
    const f = fakeTree(4, 100);
    const hidden = ['/r/d0/n5', '/r/d3/n5']; // d0's children are listed, d3's guessed
    for (const h of hidden) addChildren(f, h, 1);
    const lister = f.zk.multiRead!.bind(f.zk);
    f.zk.multiRead = async (ops) =>
      (await lister(ops)).map((r, i) => (hidden.includes(ops[i]!.path) ? { type: 'error', err: Code.NOAUTH } : r));
    const list = f.zk.getChildren.bind(f.zk);
    f.zk.getChildren = (p, w) => (hidden.includes(p) ? Promise.reject(new ZkError(Code.NOAUTH, p)) : list(p, w));
    const res = await deleteTree(f.zk, '/r', { batchSize: 50 });
    const codes = new Map(res.failed.map((x) => [x.path, x.error.code]));
    // "Node not empty" hid the cause: the node's children could not be read.
    assert.deepEqual(
      hidden.map((h) => codes.get(h)),
      [Code.NOAUTH, Code.NOAUTH],
    );
    assert.equal(res.failed.length, 2 + 2 + 1);
  });

  for (const after of [3, 4, 5, 6, 7, 8])
    it(`a lost connection: unknown counts only the requests lost with it, never a node counted deleted (${after})`, async () => {
      const f = fakeTree(1, 9); // post-order n0..n8, d0, r; -b 4: [n0 n1 n2 n3] [n4 .. n7] [n8 d0 r]
      refuse(f, '/r/d0/n1');
      // The connection goes after `after` requests, while the refused batch is being split: later ones are lost.
      let calls = 0;
      const lost = new Set<string>();
      const multi = f.zk.multi.bind(f.zk);
      const del = f.zk.delete.bind(f.zk);
      const gone = (paths: string[]): Promise<never> => {
        for (const p of paths) lost.add(p);
        return Promise.reject(new ZkError(Code.CONNECTIONLOSS, paths[0]));
      };
      f.zk.multi = (ops) => (++calls > after ? gone(ops.map((o) => o.path)) : multi(ops));
      f.zk.delete = (p, v) => (++calls > after ? gone([p]) : del(p, v));
      const res = await deleteTree(f.zk, '/r', { batchSize: 4, guessLeaves: false });
      assert.ok(res.fatal);
      assert.equal(res.deleted, 11 - f.nodes.size, 'deleted: what the server deleted');
      assert.equal(res.unknown, lost.size, `unknown: ${[...lost].join(' ')}`);
    });

  it('with a confirmation, counts everything before deleting anything', async () => {
    const { zk, nodes, log } = fakeTree(5, 20);
    let asked = -1;
    const res = await deleteTree(zk, '/r', {
      confirm: (n) => {
        asked = n;
        assert.ok(!log.includes('delete'));
        return Promise.resolve(true);
      },
    });
    assert.equal(asked, 106);
    assert.equal(res.deleted, 106);
    assert.equal(nodes.size, 0);
  });
  it('a subtree with 140,000 refused deletes reports every one (their list was spread into a call)', async () => {
    // A node taken for a leaf has 140,000 children whose deletes are all refused: its own walk's failures
    // were appended with push(...list), which V8 refuses beyond ~120,000 arguments (RangeError).
    const f = fakeTree(20, 300);
    const big = '/r/d19/n299';
    addChildren(f, big, 140_000);
    const multi = f.zk.multi.bind(f.zk);
    const refused = (p: string): boolean => p.startsWith(`${big}/`);
    f.zk.multi = (ops) => {
      const i = ops.findIndex((o) => refused(o.path));
      if (i < 0) return multi(ops);
      const e = new ZkError(Code.NOAUTH, ops[i]!.path);
      e.results = ops.map((_, j) => ({ err: j < i ? 0 : j === i ? Code.NOAUTH : Code.RUNTIMEINCONSISTENCY }));
      return Promise.reject(e);
    };
    const del = f.zk.delete.bind(f.zk);
    f.zk.delete = (p, v) => (refused(p) ? Promise.reject(new ZkError(Code.NOAUTH, p)) : del(p, v));
    const res = await deleteTree(f.zk, '/r', { batchSize: 1000 });
    const byCode = new Map<number, number>();
    for (const x of res.failed) byCode.set(x.error.code, (byCode.get(x.error.code) ?? 0) + 1);
    // The children (NoAuth), then their parent and its parents up to /r (not empty).
    assert.deepEqual([...byCode].sort(), [
      [Code.NOAUTH, 140_000],
      [Code.NOTEMPTY, 3],
    ]);
    assert.equal(f.nodes.size, 140_000 + 3);
  });
});
