import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { subtreePaths, walkTree, WIDE_MIN, WIDE_SHARE, type ChildLister } from '../../src/tree/walk.js';
import { lsROrder } from '../helpers/bulk-create.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { wideNode } from '../helpers/shapes.js';

// A wide node whose children are all leaves is counted (getAllChildrenNumber), not listed child by child.
const env = useCluster(1);
let zk: ZooKeeperClient;

/** The real client, recording every path it lists and every count it is asked for. */
function recording(over: Partial<ChildLister> = {}): { lister: ChildLister; listed: string[]; counted: string[] } {
  const listed: string[] = [];
  const counted: string[] = [];
  const lister: ChildLister = {
    getChildren: (p, w) => (listed.push(p), zk.getChildren(p, w)),
    listChildren: (paths, o) => (listed.push(...paths), zk.listChildren(paths, o)),
    getAllChildrenNumber: (p) => (counted.push(p), zk.getAllChildrenNumber(p)),
    serverNodeCount: () => zk.serverNodeCount(),
    ...over,
  };
  return { lister, listed, counted };
}

async function collect(lister: ChildLister, root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const p of subtreePaths(lister, root)) out.push(typeof p === 'string' ? p : `error ${p.path}`);
  return out;
}

describe('the walk on a wide node of leaves', () => {
  let root = '';
  let paths: string[] = [];
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
    root = uniquePath('wide');
    paths = await wideNode(zk, root, { children: 2 * WIDE_MIN, nameLength: 40 });
    // The test server holds little else: this node is far more than 1/WIDE_SHARE of it.
    assert.ok(paths.length * WIDE_SHARE >= (await zk.serverNodeCount()));
  });
  after(async () => {
    await zk.close();
  });

  it('counts the nodes below instead of listing each child, and still visits every child in order', async () => {
    const { lister, listed, counted } = recording();
    assert.deepEqual(await collect(lister, root), paths);
    assert.deepEqual(listed, [root], 'only the wide node itself is listed');
    assert.deepEqual(counted, [root]);
    const visited: string[] = [];
    for await (const v of walkTree(recording().lister, root)) {
      visited.push(v.path);
      if (v.path !== root) assert.deepEqual(v.children, []);
    }
    assert.deepEqual(visited, paths, 'tree, du and setAcl -R still see each leaf');
  });

  it("serverNodeCount is the server's whole tree, also under a chroot", async () => {
    const all = await zk.serverNodeCount();
    assert.equal(all, await zk.getAllChildrenNumber('/'));
    const chrooted = (await connectClient(`${env.cluster.connectString}${root}`)).zk;
    try {
      assert.equal(await chrooted.getAllChildrenNumber('/'), paths.length - 1);
      assert.equal(await chrooted.serverNodeCount(), all);
    } finally {
      await chrooted.close();
    }
  });

  it('lists the children when one of them has children of its own', async () => {
    const kid = paths[1000]!;
    await zk.create(`${kid}/grandchild`, null);
    try {
      const { lister, listed } = recording();
      const got = await collect(lister, root);
      assert.deepEqual(got, lsROrder([...paths, `${kid}/grandchild`]));
      assert.equal(listed.length, paths.length + 1, 'every node listed once');
    } finally {
      await zk.delete(`${kid}/grandchild`);
    }
  });

  it('does not ask for the count where the server holds too many other nodes (the count scans them all)', async () => {
    const { lister, listed, counted } = recording({ serverNodeCount: async () => paths.length * WIDE_SHARE + 1 });
    assert.deepEqual(await collect(lister, root), paths);
    assert.deepEqual(counted, []);
    assert.equal(listed.length, paths.length);
  });

  it('lists as before, and stops counting, on a server without getAllChildrenNumber (before 3.6)', async () => {
    // Two wide nodes under one parent: after the first count is refused, the second is not asked.
    const parent = uniquePath('both');
    await zk.create(parent, null);
    const a = await wideNode(zk, `${parent}/a`, { children: WIDE_MIN });
    const b = await wideNode(zk, `${parent}/b`, { children: WIDE_MIN });
    const counted: string[] = [];
    const { lister, listed } = recording({
      getAllChildrenNumber: async (p) => {
        counted.push(p);
        throw new ZkError(Code.UNIMPLEMENTED, p);
      },
    });
    assert.deepEqual(await collect(lister, parent), lsROrder([parent, ...a, ...b]));
    assert.equal(counted.length, 1);
    assert.equal(listed.length, 1 + a.length + b.length);
  });
});
