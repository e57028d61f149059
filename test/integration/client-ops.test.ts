import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZkError, InvalidArgumentError } from '../../src/zk/errors.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

describe('client operations against a real server', () => {
  it('create/create2/exists/getData/setData/delete with versions', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('ops');
    assert.equal(await zk.create(p, Buffer.from('v1')), p);
    const { stat } = await zk.create2(`${p}/c2`, null);
    assert.equal(stat.dataLength, 0);
    assert.equal((await zk.getData(`${p}/c2`)).data, null, 'null data stays null');
    await assert.rejects(
      zk.create(p, null),
      (e: unknown) => e instanceof ZkError && e.cliMessage === `Node already exists: ${p}`,
    );
    const s1 = await zk.setData(p, Buffer.from('v2'), 0);
    assert.equal(s1.version, 1);
    await assert.rejects(
      zk.setData(p, Buffer.from('v3'), 0),
      (e: unknown) => (e as ZkError).cliMessage === `version No is not valid : ${p}`,
    );
    assert.equal((await zk.getData(p)).data?.toString(), 'v2');
    assert.equal(await zk.exists(`${p}/nope`), null);
    assert.equal((await zk.exists(p))?.numChildren, 1);
    await assert.rejects(zk.delete(p), (e: unknown) => (e as ZkError).cliMessage === `Node not empty: ${p}`);
    await zk.delete(`${p}/c2`);
    await assert.rejects(zk.delete(p, 7), (e: unknown) => (e as ZkError).code === -103);
    await zk.delete(p, 1);
    await assert.rejects(zk.getData(p), (e: unknown) => (e as ZkError).cliMessage === `Node does not exist: ${p}`);
    await zk.close();
  });

  it('refuses invalid paths before sending anything', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await assert.rejects(zk.getData('a'), InvalidArgumentError);
    await assert.rejects(zk.create('/a//b', null), /empty node name specified @3/);
    await assert.rejects(zk.delete('/'), (e: unknown) => (e as ZkError).cliMessage === 'Arguments are not valid : /');
    await zk.close();
  });

  it('sequential, ephemeral, container and TTL nodes', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const other = await connectClient(env.cluster.connectString);
    const p = uniquePath('modes');
    await zk.create(p, null);
    const s0 = await zk.create(`${p}/q-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    const s1 = await zk.create(`${p}/q-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    assert.equal(s0, `${p}/q-0000000000`);
    assert.equal(s1, `${p}/q-0000000001`);
    assert.match(
      await zk.create(`${p}/`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }),
      new RegExp(`^${p}/0000000002$`),
    );
    const e = await other.zk.create(`${p}/eph`, null, { mode: CreateMode.EPHEMERAL });
    assert.equal((await zk.exists(e))?.ephemeralOwner, other.zk.sessionId);
    await assert.rejects(
      zk.create(`${e}/child`, null),
      (err: unknown) => (err as ZkError).cliMessage === `Ephemerals cannot have children: ${e}/child`,
    );
    assert.deepEqual(await other.zk.getEphemerals(p), [e]);
    assert.deepEqual(await zk.getEphemerals(p), []);
    await other.zk.close();
    assert.equal(await zk.exists(e), null, 'ephemeral removed when its session closes');
    const c = await zk.create(`${p}/container`, null, { mode: CreateMode.CONTAINER });
    assert.equal((await zk.exists(c))?.ephemeralOwner, 0n);
    const t = await zk.create2(`${p}/ttl`, Buffer.from('x'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 60000 });
    assert.equal(t.stat.ephemeralOwner, 0n);
    assert.match(
      await zk.create(`${p}/ttlseq-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, ttl: 1 }),
      /ttlseq-\d{10}$/,
    );
    await assert.rejects(
      zk.create(`${p}/bad`, null, { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 0 }),
      /ttl must be positive/,
    );
    await zk.close();
  });

  it('children, getChildren2, getAllChildrenNumber, sync, whoAmI', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('kids');
    await zk.create(p, null);
    for (const n of ['b', 'a', 'c']) await zk.create(`${p}/${n}`, null);
    await zk.create(`${p}/a/x`, null);
    assert.deepEqual((await zk.getChildren(p)).sort(), ['a', 'b', 'c']);
    const g2 = await zk.getChildren2(p);
    assert.equal(g2.stat.numChildren, 3);
    assert.equal(await zk.getAllChildrenNumber(p), 4);
    await zk.sync(p);
    const who = await zk.whoAmI();
    assert.deepEqual(who, [{ authScheme: 'ip', user: '127.0.0.1' }]);
    await zk.close();
  });

  it('ACLs: getACL/setACL with aversion', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('acl');
    await zk.create(p, null);
    const { acl, stat } = await zk.getACL(p);
    assert.deepEqual(acl, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    assert.equal(stat.aversion, 0);
    const s = await zk.setACL(p, [{ perms: 1 | 16, id: { scheme: 'world', id: 'anyone' } }], 0);
    assert.equal(s.aversion, 1);
    await assert.rejects(
      zk.setACL(p, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], 0),
      (e: unknown) => (e as ZkError).code === -103,
    );
    await assert.rejects(
      zk.setData(p, null),
      (e: unknown) => (e as ZkError).cliMessage === `Insufficient permission : ${p}`,
    );
    await assert.rejects(
      zk.setACL(p, [{ perms: 31, id: { scheme: 'nope', id: 'x' } }]),
      (e: unknown) => (e as ZkError).code === -114,
    );
    await zk.close();
  });

  it('ACL ids beyond U+FFFF come back as set (the server sends them as surrogate pairs)', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('acl-emoji');
    const acl = [
      { perms: 31, id: { scheme: 'world', id: 'anyone' } },
      { perms: 1, id: { scheme: 'digest', id: 'b😀b-é中:hash' } },
    ];
    await zk.create(p, null, { acl });
    assert.deepEqual((await zk.getACL(p)).acl, acl);
    await zk.close();
  });

  it('multi: success, atomic failure with per-op codes; multiRead', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('multi');
    const res = await zk.multi([
      { type: 'create', path: p },
      { type: 'create', path: `${p}/a`, data: Buffer.from('1') },
      { type: 'setData', path: `${p}/a`, data: Buffer.from('2') },
      { type: 'check', path: `${p}/a`, version: 1 },
    ]);
    assert.deepEqual(
      res.map((r) => r.type),
      ['create', 'create', 'setData', 'check'],
    );
    await assert.rejects(
      zk.multi([
        { type: 'create', path: `${p}/b` },
        { type: 'delete', path: `${p}/nope` },
        { type: 'create', path: `${p}/c` },
      ]),
      (e: unknown) => {
        const z = e as ZkError;
        assert.equal(z.cliMessage, 'Node does not exist: null');
        assert.deepEqual(z.results, [{ err: 0 }, { err: -101 }, { err: -2 }]);
        return true;
      },
    );
    assert.equal(await zk.exists(`${p}/b`), null, 'nothing applied');
    const reads = await zk.multiRead([
      { type: 'getData', path: `${p}/a` },
      { type: 'getChildren', path: p },
      { type: 'getData', path: `${p}/zz` },
    ]);
    assert.equal(reads[0]?.type === 'getData' && reads[0].data?.toString(), '2');
    assert.deepEqual(reads[1], { type: 'getChildren', children: ['a'] });
    assert.deepEqual(reads[2], { type: 'error', err: -101 });
    assert.deepEqual(await zk.multi([]), []);
    await zk.close();
  });

  it('chroot: paths in and out are relative to it', async () => {
    const base = uniquePath('chroot');
    const { zk: root } = await connectClient(env.cluster.connectString);
    await root.create(base, null);
    const { zk } = await connectClient(`${env.cluster.connectString}${base}`);
    assert.equal(await zk.create('/x', null), '/x');
    assert.equal(await zk.create('/s-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL }), '/s-0000000001');
    assert.deepEqual((await zk.getChildren('/')).sort(), ['s-0000000001', 'x']);
    const [r] = await zk.multi([{ type: 'create', path: '/m' }]);
    assert.deepEqual(r, { type: 'create', path: '/m' });
    assert.ok(await root.exists(`${base}/x`));
    assert.equal((await zk.getConfig()).stat.aversion, -1, 'getConfig reads /zookeeper/config, not chrooted');
    await zk.close();
    await root.close();
  });

  it('reconfig on a standalone server answers ReconfigDisabled', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await assert.rejects(
      zk.reconfig(null, '2', null),
      (e: unknown) => (e as ZkError).message === 'KeeperErrorCode = Reconfig is disabled',
    );
    await zk.close();
  });

  it('keeps hundreds of requests in flight on one connection', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('pipe');
    await zk.create(p, null);
    const names = Array.from({ length: 1000 }, (_, i) => `${p}/n${i}`);
    await Promise.all(names.map((n) => zk.create(n, Buffer.from(n))));
    const got = await Promise.all(names.map((n) => zk.getData(n)));
    assert.deepEqual(
      got.map((g) => g.data?.toString()),
      names,
    );
    assert.equal(await zk.getAllChildrenNumber(p), 1000);
    await zk.close();
  });
});
