import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MultiOp, MultiResult, ReadOp } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { deleteTree, type TreeDeleter } from '../../src/tree/delete-tree.js';

/** An in-memory tree that serves listings and deletes, recording the order of calls. */
function fakeTree(fan1: number, fan2: number): { zk: TreeDeleter; nodes: Map<string, string[]>; log: string[] } {
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
        const kids = nodes.get(p);
        if (!kids) throw new ZkError(Code.NONODE, p);
        return [...kids];
      }),
    multiRead: (ops: readonly ReadOp[]) =>
      later(() => {
        log.push('list');
        return ops.map((o): MultiResult => {
          const kids = nodes.get(o.path);
          return kids ? { type: 'getChildren', children: [...kids] } : { type: 'error', err: Code.NONODE };
        });
      }),
    multi: (ops: readonly MultiOp[]) =>
      later(() => {
        log.push('delete');
        // Atomic, and each op sees the ones before it (as the server applies a multi).
        const gone = new Set<string>();
        for (const o of ops) {
          const kids = nodes.get(o.path);
          if (!kids || gone.has(o.path)) throw new ZkError(Code.NONODE, o.path);
          if (kids.some((k) => !gone.has(`${o.path}/${k}`))) throw new ZkError(Code.NOTEMPTY, o.path);
          gone.add(o.path);
        }
        for (const o of ops) del(o.path);
        return ops.map((): MultiResult => ({ type: 'delete' }));
      }),
    delete: (p) =>
      later(() => {
        log.push('delete');
        del(p);
      }),
  };
  return { zk, nodes, log };
}

describe('deleteTree', () => {
  it('streams: deletes start while the walk is still listing, and every node goes', async () => {
    const { zk, nodes, log } = fakeTree(40, 200);
    const res = await deleteTree(zk, '/r', { batchSize: 100 });
    assert.equal(res.listed, 1 + 40 + 8000);
    assert.equal(res.deleted, res.listed, JSON.stringify({ ...res, failed: res.failed.slice(0, 3) }));
    assert.deepEqual(res.failed, []);
    assert.equal(nodes.size, 0);
    const firstDelete = log.indexOf('delete');
    const lastList = log.lastIndexOf('list');
    assert.ok(firstDelete >= 0 && firstDelete < lastList, 'deletes overlap the listing (bounded memory)');
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
});
