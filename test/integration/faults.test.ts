import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionLossError, SessionExpiredError } from '../../src/zk/errors.js';
import { CreateMode, EventType, KeeperState } from '../../src/zk/protocol.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

describe('faults on a real standalone server', () => {
  it(
    'restart mid-session: same session, ephemeral survives, pending watch fires exactly once',
    { timeout: 180000 },
    async () => {
      // A real restart is the point here, so the session must outlive however long this machine takes
      // to restart a JVM (under load it has taken longer than a fixed 20 s): measure it first.
      const server = env.cluster.servers[0]!;
      const t0 = Date.now();
      await server.restart();
      const restartMs = Date.now() - t0;
      // The server caps session timeouts at 20 ticks (40 s).
      const sessionTimeout = Math.min(40000, Math.max(20000, 4 * restartMs));
      const wait = sessionTimeout + 5000;
      const { zk, events } = await connectClient(env.cluster.connectString, { sessionTimeout });
      const { zk: other } = await connectClient(env.cluster.connectString, { sessionTimeout });
      await zk.addAuth('digest', 'user:pass');
      const p = uniquePath('restart');
      await zk.create(p, null);
      const eph = await zk.create(`${p}/eph`, null, { mode: CreateMode.EPHEMERAL });
      await zk.getData(p, true);
      const sid = zk.sessionId;
      await server.stop();
      await until(() => zk.state === 'CONNECTING', 'disconnect noticed');
      await assert.rejects(zk.getData(p), ConnectionLossError);
      server.start('org.apache.zookeeper.server.ZooKeeperServerMain');
      await server.waitServing();
      await zk.session.waitConnected(wait);
      assert.equal(zk.sessionId, sid);
      assert.ok(await zk.exists(eph), 'ephemeral survived');
      assert.ok(
        (await zk.whoAmI()).some((w) => w.authScheme === 'digest'),
        'auth replayed',
      );
      await other.session.waitConnected(wait);
      await other.setData(p, Buffer.from('changed'));
      await other.setData(p, Buffer.from('again'));
      await until(() => events.some((e) => e.type === EventType.NodeDataChanged), 'data watch after restart');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(events.filter((e) => e.type === EventType.NodeDataChanged).length, 1);
      const states = events.filter((e) => e.type === -1).map((e) => e.state);
      assert.deepEqual(states, [KeeperState.SyncConnected, KeeperState.Disconnected, KeeperState.SyncConnected]);
      await zk.close();
      await other.close();
    },
  );

  it('session expiry while the server is down: one Expired event, then calls fail fast', async () => {
    const { zk, events } = await connectClient(env.cluster.connectString, { sessionTimeout: 4000 });
    assert.equal(zk.session.negotiatedTimeout, 4000);
    const server = env.cluster.servers[0]!;
    await server.stop();
    await until(() => zk.state === 'CLOSED', 'expiry', 15000);
    const expired = events.filter((e) => e.state === KeeperState.Expired);
    assert.equal(expired.length, 1);
    const t0 = Date.now();
    await assert.rejects(zk.getData('/'), SessionExpiredError);
    assert.ok(Date.now() - t0 < 100);
    server.start('org.apache.zookeeper.server.ZooKeeperServerMain');
    await server.waitServing();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(zk.state, 'CLOSED', 'an expired session never reconnects');
    await zk.close();
  });
});
