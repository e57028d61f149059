import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { ZkError } from '../../src/zk/errors.js';
import { lsROrder } from '../helpers/bulk-create.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';
import {
  bigData,
  curatorDiscovery,
  deepPath,
  JUTE_MAXBUFFER,
  kafkaLayout,
  lockLayout,
  maxCreateData,
  wideNode,
} from '../helpers/shapes.js';

const env = useCluster(1);
let zk: ZooKeeperClient;

async function timed<T>(t: TestContext, what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  t.diagnostic(`${what}: ${(performance.now() - t0).toFixed(0)} ms`);
  return r;
}

/** The common contract: ls -R order, no duplicates, root first, and the server holds exactly these nodes. */
async function checkBuilt(paths: readonly string[], root: string): Promise<void> {
  assert.equal(paths[0], root);
  assert.deepEqual(lsROrder(paths), paths, 'returned in ls -R order');
  assert.equal(new Set(paths).size, paths.length, 'no duplicates');
  assert.equal(await zk.getAllChildrenNumber(root), paths.length - 1);
}

describe('production-shaped fixtures on a real server', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
  });
  after(async () => {
    await zk.close();
  });

  it('kafkaLayout: brokers, topics with partition states, topic configs; every path exists', async (t) => {
    const root = uniquePath('kafka');
    const paths = await timed(t, 'kafkaLayout 20 topics x 6 partitions', () =>
      kafkaLayout(zk, root, { topics: 20, partitions: 6 }),
    );
    await checkBuilt(paths, root);
    // 16 fixed znodes + 5 with data + 6 brokers, then per topic: topic, partitions, 6 x (partition, state), config.
    assert.equal(paths.length, 1 + 16 + 5 + 6 + 20 * (3 + 2 * 6));
    const stats = await Promise.all(paths.map((p) => zk.exists(p)));
    assert.ok(
      stats.every((s) => s !== null),
      'every returned path exists',
    );
    const state = paths.find((p) => p.endsWith('/partitions/5/state'))!;
    assert.match(state, /\/brokers\/topics\/[a-z]+-[a-z]+-v\d-[a-z]+-[a-z]+-\d-\d{4}\/partitions\/5\/state$/);
    const s = JSON.parse((await zk.getData(state)).data!.toString()) as { leader: number; isr: number[] };
    assert.equal(s.isr.length, 3);
    assert.equal(s.leader, s.isr[0]);
  });

  it('curatorDiscovery 60 x 500: 45-character instance names, ~25 KB listings, ServiceInstance JSON', async (t) => {
    const root = uniquePath('discovery');
    const paths = await timed(t, 'curatorDiscovery 60 services x 500 instances', () =>
      curatorDiscovery(zk, root, { services: 60, instances: 500 }),
    );
    await checkBuilt(paths, root);
    assert.equal(paths.length, 2 + 60 + 60 * 500);
    const services = await zk.getChildren(`${root}/services`);
    assert.equal(services.length, 60);
    const listing = await zk.getChildren(`${root}/services/${services[0]}`);
    assert.equal(listing.length, 500);
    assert.ok(
      listing.every((n) => n.length === 45),
      'instance names are 45 characters',
    );
    const bytes = listing.reduce((n, c) => n + 4 + c.length, 0);
    assert.ok(bytes > 24000 && bytes < 26000, `listing is ${bytes} bytes`);
    const inst = JSON.parse(
      (await zk.getData(`${root}/services/${services[0]}/${listing[0]}`)).data!.toString(),
    ) as Record<string, unknown>;
    assert.equal(inst['id'], listing[0]);
    assert.equal(inst['name'], services[0]);
    assert.equal(inst['serviceType'], 'DYNAMIC');
    assert.equal(inst['payload'], null);
    assert.equal(typeof inst['registrationTimeUTC'], 'number');
  });

  it('lockLayout: Curator mutex names with per-resource sequence numbers', async (t) => {
    const root = uniquePath('locks');
    const paths = await timed(t, 'lockLayout 3 resources x 600 contenders', () =>
      lockLayout(zk, root, { resources: 3, contenders: 600 }),
    );
    await checkBuilt(paths, root);
    const resources = await zk.getChildren(`${root}/locks`);
    assert.equal(resources.length, 3);
    const names = await zk.getChildren(`${root}/locks/${resources[1]}`);
    assert.equal(names.length, 600);
    assert.ok(
      names.every((n) =>
        /^_c_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-lock-\d{10}$/.test(n),
      ),
      names[0],
    );
    const seqs = names.map((n) => Number(n.slice(-10))).sort((a, b) => a - b);
    assert.deepEqual(
      seqs,
      Array.from({ length: 600 }, (_, i) => i),
    );
    assert.equal((await zk.exists(paths[paths.length - 1]!))?.ephemeralOwner, 0n, 'persistent by default');
  });

  it('lockLayout ephemeral: the contenders belong to the caller session and go with it', async () => {
    const { zk: owner } = await connectClient(env.cluster.connectString);
    const root = uniquePath('ephlocks');
    const paths = await lockLayout(owner, root, { resources: 1, contenders: 50, ephemeral: true });
    const leaf = paths[paths.length - 1]!;
    assert.equal((await zk.exists(leaf))?.ephemeralOwner, owner.sessionId);
    await owner.close();
    await until(async () => (await zk.getAllChildrenNumber(root)) === 2, 'ephemeral contenders removed');
  });

  it('wideNode: 60000 children with 40-character names', async (t) => {
    const root = uniquePath('wide');
    const paths = await timed(t, 'wideNode 60000 x 40 chars', () =>
      wideNode(zk, root, { children: 60000, nameLength: 40 }),
    );
    await checkBuilt(paths, root);
    assert.equal(paths.length, 60001);
    assert.ok(paths.slice(1).every((p) => p.length === root.length + 41));
    assert.equal((await zk.exists(root))?.numChildren, 60000);
  });

  it('deepPath: 200 levels, each with its depth as data', async (t) => {
    const root = uniquePath('deep');
    const paths = await timed(t, 'deepPath 200', () => deepPath(zk, root, 200));
    await checkBuilt(paths, root);
    const leaf = paths[200]!;
    assert.equal(leaf.split('/').length - root.split('/').length, 200);
    assert.equal((await zk.getData(leaf)).data!.toString(), '200');
  });

  it('bigData: the computed maximum is exactly what the server accepts', async () => {
    const p = `${uniquePath('big')}/blob`;
    const max = maxCreateData(p);
    assert.deepEqual(await bigData(zk, p), [p]);
    assert.equal((await zk.exists(p))?.dataLength, max);
    // One byte more makes the request frame 1 MB. A client allowed to send it sees the server drop the
    // connection instead of answering; the node is never created.
    const { zk: loose } = await connectClient(env.cluster.connectString, { maxRequest: 4 * JUTE_MAXBUFFER });
    await assert.rejects(loose.create(`${p}y`, Buffer.alloc(max)), ZkError);
    await loose.close();
    assert.equal(await zk.exists(`${p}y`), null);
    await assert.rejects(bigData(zk, `${p}2`, max + 1), /do not fit/);
  });
});
