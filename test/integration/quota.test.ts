import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZkError } from '../../src/zk/errors.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';

const env = useCluster(1, { properties: { 'zookeeper.enforceQuota': 'true' } });

describe('quota nodes', () => {
  it('the server maintains zookeeper_stats and enforces hard limits', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await zk.create('/q', null);
    await zk.create('/q/a', Buffer.from('12345'));
    await zk.create('/zookeeper/quota/q', null);
    await zk.create(
      '/zookeeper/quota/q/zookeeper_limits',
      Buffer.from('count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=3'),
    );
    await zk.create('/zookeeper/quota/q/zookeeper_stats', Buffer.from('count=0,bytes=0'));
    await until(
      async () => (await zk.getData('/zookeeper/quota/q/zookeeper_stats')).data?.toString() === 'count=2,bytes=5',
      'stats recomputed',
    );
    await zk.create('/q/b', null);
    await assert.rejects(
      zk.create('/q/c', null),
      (e: unknown) => (e as ZkError).cliMessage === 'Quota has exceeded : /q/c',
    );
    await zk.close();
  });
});
