import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { KeeperState } from '../../src/zk/protocol.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';

const env = useCluster(3);

describe('3-member ensemble', () => {
  it('elects a leader; every member serves', async () => {
    const modes = await Promise.all(
      env.cluster.servers.map((s) => fourLetterWord('127.0.0.1', s.cfg.clientPort, 'srvr')),
    );
    const m = modes.map((t) => /^Mode: (\w+)/m.exec(t)?.[1]).sort();
    assert.deepEqual(m, ['follower', 'follower', 'leader']);
  });

  it('killing the connected member moves the client to another within the session timeout', async () => {
    const { zk, events } = await connectClient(env.cluster.connectString, { sessionTimeout: 10000 });
    const p = uniquePath('failover');
    await zk.create(p, Buffer.from('before'));
    const sid = zk.sessionId;
    const victim = env.cluster.servers.find((s) => s.cfg.clientPort === zk.session.currentHost?.port)!;
    assert.ok(victim, 'connected member found');
    const t0 = Date.now();
    await victim.kill();
    await until(() => events.some((e) => e.state === KeeperState.Disconnected), 'Disconnected');
    await zk.session.waitConnected(10000);
    const took = Date.now() - t0;
    assert.ok(took < 10000, `reconnected in ${took} ms`);
    assert.notEqual(zk.session.currentHost?.port, victim.cfg.clientPort);
    assert.equal(zk.sessionId, sid, 'same session');
    assert.equal((await zk.getData(p)).data?.toString(), 'before');
    await zk.setData(p, Buffer.from('after'));
    assert.equal((await zk.getData(p)).data?.toString(), 'after');
    await zk.close();
  });
});
