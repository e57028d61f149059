import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { ZkError } from '../../src/zk/errors.js';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { KeeperState } from '../../src/zk/protocol.js';
import type { WatchedEvent } from '../../src/zk/watches.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';

// Read-only servers create only local sessions (3.5+), hence localSessionsEnabled.
const env = useCluster(3, {
  properties: { 'readonlymode.enabled': 'true' },
  config: { localSessionsEnabled: 'true', localSessionsUpgradingEnabled: 'true' },
});

describe('read-only mode (a member cut off from its quorum)', () => {
  it('a canBeReadOnly client connects read-only, reads, and gets NotReadOnly on writes; others are refused', async () => {
    const { zk: setup } = await connectClient(env.cluster.connectString);
    await setup.create('/ro', Buffer.from('before'));
    await setup.sync('/ro');
    await setup.close();
    const [survivor, ...others] = env.cluster.servers;
    for (const s of others) await s.kill();
    const port = survivor!.cfg.clientPort;
    await until(
      async () => (await fourLetterWord('127.0.0.1', port, 'isro').catch(() => '')) === 'ro',
      'the survivor serves read-only',
      60000,
    );
    const events: WatchedEvent[] = [];
    const ro = await ZooKeeperClient.connect(
      { connectString: survivor!.address, canBeReadOnly: true, watcher: (e) => events.push(e), retryDelay: () => 100 },
      20000,
    );
    assert.equal(ro.state, 'CONNECTEDREADONLY');
    assert.ok(events.some((e) => e.state === KeeperState.ConnectedReadOnly));
    assert.equal((await ro.getData('/ro')).data?.toString(), 'before');
    await assert.rejects(
      ro.create('/ro/x', null),
      (e: unknown) => e instanceof ZkError && e.cliMessage === 'Not a read-only call: /ro/x',
    );
    await ro.close();
    const rw = new ZooKeeperClient({ connectString: survivor!.address, retryDelay: () => 50 });
    await assert.rejects(rw.session.waitConnected(3000, 2), /could not connect/);
    await rw.close();
  });
});
