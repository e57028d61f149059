// A real server writes snapshots and logs (snapCount=20) while the test drives a known history; the
// offline tree at each recorded zxid must equal the live tree at that moment, node by node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDataDir } from '../../src/offline/data-dir.js';
import { OfflineZk } from '../../src/offline/offline-zk.js';
import type { ACL, Stat, ZooKeeperClient } from '../../src/zk/client.js';
import { digestId } from '../../src/zk/acl.js';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';

const env = useCluster(1, {
  config: { snapCount: '20', preAllocSize: '64' },
  // Empty containers and expired TTL nodes are removed within a second (deleteContainer txns).
  properties: { 'znode.container.checkIntervalMs': '200', 'znode.container.maxPerMinute': '10000' },
});

interface Reader {
  getChildren(p: string): Promise<string[]>;
  getData(p: string): Promise<{ data: Buffer | null; stat: Stat }>;
  getACL(p: string): Promise<{ acl: ACL[]; stat: Stat }>;
}
type Snapshot = Map<string, { data: string | null; acl: ACL[]; stat: Stat }>;

/** Every node under /f (and /f itself): data, ACL and stat. */
async function capture(zk: Reader, root = '/f'): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const visit = async (p: string): Promise<void> => {
    const { data, stat } = await zk.getData(p);
    const { acl } = await zk.getACL(p);
    out.set(p, { data: data === null ? null : data.toString('base64'), acl, stat });
    for (const c of (await zk.getChildren(p)).sort()) await visit(`${p}/${c}`);
  };
  await visit(root);
  return out;
}

const lastZxid = async (): Promise<bigint> => {
  const s = await fourLetterWord('127.0.0.1', env.cluster.servers[0]!.cfg.clientPort, 'srvr');
  return BigInt(/^Zxid: (0x[0-9a-f]+)/m.exec(s)![1]!);
};

const checkpoints: { name: string; zxid: bigint; tree: Snapshot; count: number; ephemerals?: string[] }[] = [];
let dataDir = '';
let zk: ZooKeeperClient;
let otherSession = 0n;
let deleteZxid = 0n;

/** Separate transactions, so the server rolls snapshots and logs mid-history. */
const churn = async (n: number): Promise<void> => {
  await Promise.all(Array.from({ length: n }, (_, i) => zk.setData('/f/churn', Buffer.from(`c${i}`))));
};

async function checkpoint(name: string, ephemerals?: string[]): Promise<void> {
  checkpoints.push({
    name,
    zxid: await lastZxid(),
    tree: await capture(zk),
    count: await zk.getAllChildrenNumber('/f'),
    ...(ephemerals ? { ephemerals } : {}),
  });
}

describe('offline tree from a data dir', () => {
  before(async () => {
    dataDir = path.join(env.cluster.servers[0]!.cfg.dir, 'data');
    ({ zk } = await connectClient(env.cluster.connectString));
    // The superuser sees digest ACLs unmasked (others get 'bob:x'), as the files hold them.
    await zk.addAuth('digest', SUPER_AUTH);
    await zk.multi([
      { type: 'create', path: '/f', data: Buffer.from('root') },
      { type: 'create', path: '/f/a', data: Buffer.from('a1') },
      { type: 'create', path: '/f/b', data: Buffer.from('b1') },
      { type: 'create', path: '/f/churn', data: null },
    ]);
    await checkpoint('multi create');
    await churn(25);
    await zk.setData('/f/a', Buffer.from('a2'));
    await zk.setData('/f/a', Buffer.from([0, 1, 2, 255]));
    await checkpoint('setData');
    await zk.setACL('/f/b', [
      { perms: 31, id: { scheme: 'digest', id: digestId('bob:pw') } },
      { perms: 1, id: { scheme: 'world', id: 'anyone' } },
    ]);
    await churn(25);
    await checkpoint('setACL');
    const { zk: zk2 } = await connectClient(env.cluster.connectString);
    otherSession = zk2.sessionId;
    await zk2.create('/f/e1', Buffer.from('eph'), { mode: CreateMode.EPHEMERAL });
    await zk2.create('/f/seq-', null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
    await zk.create('/f/c', null, { mode: CreateMode.CONTAINER });
    await zk.create('/f/c/x', Buffer.from('x'));
    await zk.create('/f/t', Buffer.from('ttl'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 300 });
    await checkpoint('ephemerals, container, ttl', (await zk2.getEphemerals('/f')).sort());
    await zk2.close();
    await churn(22);
    await checkpoint('session closed');
    await zk.delete('/f/b');
    deleteZxid = (await zk.exists('/f'))!.pzxid;
    // A multi that fails is logged too (as errors) and changes nothing.
    await zk
      .multi([
        { type: 'create', path: '/f/never', data: null },
        { type: 'check', path: '/f/a', version: 99 },
      ])
      .catch(() => undefined);
    await zk.delete('/f/c/x');
    await until(async () => !(await zk.exists('/f/c')) && !(await zk.exists('/f/t')), 'container and TTL removal');
    await checkpoint('deletes and containers');
    await churn(5);
    await checkpoint('end');
  });

  after(async () => {
    await zk?.close();
  });

  it('the server wrote several snapshots and logs', () => {
    const names = fs.readdirSync(path.join(dataDir, 'version-2'));
    assert.ok(names.filter((n) => n.startsWith('snapshot.')).length >= 3, names.join(' '));
    assert.ok(names.filter((n) => n.startsWith('log.')).length >= 3, names.join(' '));
  });

  it('equals the live tree at every recorded zxid, node by node', async () => {
    for (const c of checkpoints) {
      const { tree, report } = loadDataDir(dataDir, { zxid: c.zxid });
      const off = new OfflineZk(tree, report);
      assert.equal(report.zxid, c.zxid, c.name);
      assert.deepEqual(await capture(off), c.tree, `${c.name} at 0x${c.zxid.toString(16)}`);
      assert.equal(await off.getAllChildrenNumber('/f'), c.count, c.name);
      if (c.ephemerals) assert.deepEqual(await off.getEphemerals('/f'), c.ephemerals, c.name);
    }
  });

  it('picks a snapshot that is complete by the target, and starts from one when it can', () => {
    const end = checkpoints.at(-1)!;
    const { report } = loadDataDir(dataDir, { zxid: end.zxid });
    assert.ok(report.snapshot, 'a snapshot was used');
    assert.ok(report.snapshot.fuzzyEnd <= end.zxid);
    assert.ok(report.replayed < Number(end.zxid), 'not everything was replayed from the logs');
  });

  it('--at TIME gives the tree of the last transaction logged by then', async () => {
    const c = checkpoints.find((k) => k.name === 'setData')!;
    const time = Number(c.tree.get('/f/a')!.stat.mtime);
    const { tree, report } = loadDataDir(dataDir, { time });
    assert.ok(report.zxid >= c.tree.get('/f/a')!.stat.mzxid);
    assert.equal(tree.get('/f/a')!.data!.toString('hex'), '000102ff');
  });

  it('knows who deleted /f/b', () => {
    assert.ok(deleteZxid > 0n);
    assert.equal(otherSession !== 0n, true);
  });
});
