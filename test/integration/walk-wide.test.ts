import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import { subtreePaths, walkBatches, walkTree, WIDE_MIN, WIDE_SHARE, type ChildLister } from '../../src/tree/walk.js';
import { lsROrder } from '../helpers/bulk-create.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { wideNode } from '../helpers/shapes.js';

// Leaves the server's counts show to be leaves are visited without a listing (see WIDE_SHARE in walk.ts).
const env = useCluster(1);
let zk: ZooKeeperClient;

/** The real client, recording every path it lists and every count it is asked for. */
function recording(over: Partial<ChildLister> = {}): { lister: ChildLister; listed: string[]; counted: string[] } {
  const listed: string[] = [];
  const counted: string[] = [];
  const lister: ChildLister = {
    getChildren: (p, w) => (listed.push(p), zk.getChildren(p, w)),
    listChildren: (paths, o) => (listed.push(...paths), zk.listChildren(paths, o)),
    countBelow: (p) => (counted.push(p), zk.countBelow(p)),
    serverNodeCount: () => zk.serverNodeCount(),
    ...over,
  };
  return { lister, listed, counted };
}

/** As if the walk's root were the server's (its count is then asked first, before any listing). */
const asServerRoot = { toServerPath: (): string => '/' };

async function collect(lister: ChildLister, root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const p of subtreePaths(lister, root)) out.push(typeof p === 'string' ? p : `error ${p.path}`);
  return out;
}

describe('the walk takes counted leaves unlisted', () => {
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

  it('the root counted first: no child is listed, and each is still visited in order', async () => {
    const { lister, listed, counted } = recording(asServerRoot);
    assert.deepEqual(await collect(lister, root), paths);
    assert.deepEqual(listed, [root], 'only the root is listed');
    assert.deepEqual(counted, [root]);
    const visited: string[] = [];
    for await (const v of walkTree(recording(asServerRoot).lister, root)) {
      visited.push(v.path);
      if (v.path !== root) assert.deepEqual(v.children, []);
    }
    assert.deepEqual(visited, paths, 'tree, du and setAcl -R still see each leaf');
  });

  it('a wide node below the root: counted, its children not listed', async () => {
    const parent = uniquePath('parent');
    await zk.create(parent, null);
    const wide = await wideNode(zk, `${parent}/queue`, { children: WIDE_MIN });
    const { lister, listed, counted } = recording();
    assert.deepEqual(await collect(lister, parent), [parent, ...wide]);
    assert.deepEqual(listed, [parent, `${parent}/queue`]);
    assert.ok(counted.includes(`${parent}/queue`));
  });

  it('a child with a child of its own is found, counted first or not', async () => {
    const kid = paths[1000]!;
    await zk.create(`${kid}/grandchild`, null);
    try {
      const want = lsROrder([...paths, `${kid}/grandchild`]);
      for (const over of [{}, asServerRoot]) assert.deepEqual(await collect(recording(over).lister, root), want);
      // Counted first: the listings stop once the grandchild's parent is listed (every node is then known).
      const { lister, listed } = recording(asServerRoot);
      await collect(lister, root);
      assert.ok(listed.includes(kid));
    } finally {
      await zk.delete(`${kid}/grandchild`);
    }
  });

  it('a child deleted between the listing and the count, a grandchild elsewhere: the grandchild is found', async () => {
    // The count alone would match the listing (one node less, one more below): the zxids show the change.
    for (const below of [false, true]) {
      const top = uniquePath('churn');
      const wide = below ? `${top}/queue` : top;
      if (below) await zk.create(top, null);
      const kids = await wideNode(zk, wide, { children: WIDE_MIN });
      const grandchild = `${kids[10]!}/grandchild`;
      await zk.create(grandchild, null);
      const gone = kids[20]!;
      let deleted = false;
      // The children's listings wait until the walk has the count (else they may all be in before it, and nothing
      // is at stake).
      let sent = (): void => undefined;
      const countIn = new Promise<void>((r) => {
        sent = r;
        setTimeout(r, 5000);
      });
      const { lister, counted } = recording({
        listChildren: async (ps, o) => {
          if (!ps.includes(top) && !ps.includes(wide)) await countIn;
          return zk.listChildren(ps, o);
        },
        countBelow: async (p) => {
          if (!deleted) {
            deleted = true;
            await zk.delete(gone);
          }
          counted.push(p);
          const count = zk.countBelow(p);
          void count.finally(() => setImmediate(sent));
          return count;
        },
      });
      const got = await collect(lister, top);
      assert.ok(deleted, 'the count was asked');
      assert.ok(got.includes(grandchild), `the grandchild, there all along, is listed (${wide})`);
      const all = lsROrder([...(below ? [top] : []), ...kids, grandchild]);
      // The deleted child may still show in its parent's listing (taken before the delete), never its subtree.
      assert.deepEqual(
        got.filter((p) => p !== gone),
        all.filter((p) => p !== gone),
      );
    }
  });

  it('a connection lost while the server\'s node count is asked names no path (ls -R /a said "for /")', async () => {
    const [host, port] = env.cluster.servers[0]!.address.split(':');
    const proxy = await startFaultProxy({ host: host!, port: Number(port) });
    const via = (await connectClient(proxy.address)).zk;
    try {
      proxy.stallReplies();
      const asked = via.serverNodeCount().then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 100));
      proxy.drop();
      const e = await asked;
      assert.ok(e instanceof ZkError && e.code === Code.CONNECTIONLOSS, String(e));
      assert.equal(e.path, undefined);
    } finally {
      await via.close();
      await proxy.close();
    }
  });

  it('listings still in flight once every node is known are dropped: an unreadable leaf is no error', async () => {
    // 1,100 leaves, then 300 it may not read. All are asked for before the count comes back; while the consumer
    // handles the first 1,024 paths, the replies come in (NOAUTH for the last 300) and must not be used.
    const top = uniquePath('noread');
    await zk.create(top, null);
    const noRead = [{ perms: 31 & ~1, id: { scheme: 'world', id: 'anyone' } }];
    const open = Array.from({ length: 1100 }, (_, i) => `${top}/a${String(i).padStart(4, '0')}`);
    const closed = Array.from({ length: 300 }, (_, i) => `${top}/z${String(i).padStart(3, '0')}`);
    await zk.multi(open.map((path) => ({ type: 'create' as const, path, data: null })));
    await zk.multi(closed.map((path) => ({ type: 'create' as const, path, data: null, acl: noRead })));
    const { lister, listed } = recording({ serverNodeCount: async () => 1 }); // the count always pays
    const got: string[] = [];
    for await (const batch of walkBatches(lister, top)) {
      for (const v of batch) got.push(v.error ? `error ${v.path}` : v.path);
      await new Promise((r) => setTimeout(r, 50)); // a slow consumer: replies arrive meanwhile
    }
    assert.deepEqual(got, [top, ...open, ...closed]);
    assert.ok(listed.length > 1, 'children were asked for before the count came back');
  });

  it('a write during the walk: the count no longer holds, and every node is listed', async () => {
    let wrote = false;
    const { lister, listed } = recording({
      ...asServerRoot,
      listChildren: async (ps, o) => {
        // The count went first; a write anywhere in the tree before the listings changes their zxid.
        if (!wrote) {
          wrote = true;
          await zk.create(uniquePath('elsewhere'), null);
        }
        listed.push(...ps);
        return zk.listChildren(ps, o);
      },
    });
    assert.deepEqual(await collect(lister, root), paths);
    assert.equal(listed.length, paths.length);
  });

  it('does not ask for a count where the server holds too many other nodes (the count scans them all)', async () => {
    const { lister, listed, counted } = recording({ serverNodeCount: async () => paths.length * WIDE_SHARE + 1 });
    assert.deepEqual(await collect(lister, root), paths);
    assert.deepEqual(counted, []);
    assert.equal(listed.length, paths.length);
  });

  it('a server before 3.6 (it closes the connection on an op it does not know): asked once, alone', async () => {
    let asked = 0;
    const { lister, listed, counted } = recording({
      serverNodeCount: async () => {
        asked++;
        throw new ZkError(Code.UNIMPLEMENTED, '/');
      },
      // No multiRead on such a server either: the walk lists one node at a time.
      listChildren: () => assert.fail('multiRead sent to a server without getAllChildrenNumber'),
    });
    assert.deepEqual(await collect(lister, root), paths);
    assert.equal(asked, 1);
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
      countBelow: async (p) => {
        counted.push(p);
        throw new ZkError(Code.UNIMPLEMENTED, p);
      },
    });
    assert.deepEqual(await collect(lister, parent), lsROrder([parent, ...a, ...b]));
    assert.equal(counted.length, 1);
    assert.equal(listed.length, 1 + a.length + b.length);
  });
});
