import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { AuthFailedError, ZkError } from '../../src/zk/errors.js';
import { KeeperState } from '../../src/zk/protocol.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

describe('digest auth and ACLs against a real server', () => {
  it('whoAmI after digest auth; ACL denial for others; redaction without ADMIN', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const { zk: anon } = await connectClient(env.cluster.connectString);
    await zk.addAuth('digest', 'user:pass');
    const who = await zk.whoAmI();
    assert.deepEqual(who.map((w) => `${w.authScheme}:${w.user}`).sort(), ['digest:user', 'ip:127.0.0.1']);
    const p = uniquePath('secret');
    const id = ZooKeeperClient.digest('user:pass');
    assert.equal(id, 'user:smGaoVKd/cQkjm7b88GyorAUz20=');
    await zk.create(p, Buffer.from('s'), {
      acl: [
        { perms: 31, id: { scheme: 'digest', id } },
        { perms: 1, id: { scheme: 'world', id: 'anyone' } },
      ],
    });
    assert.equal((await anon.getData(p)).data?.toString(), 's');
    await assert.rejects(
      anon.setData(p, Buffer.from('x')),
      (e: unknown) => (e as ZkError).cliMessage === `Insufficient permission : ${p}`,
    );
    const seen = await anon.getACL(p);
    assert.equal(seen.acl[0]?.id.id, 'user:x', 'digest hash redacted for a reader without ADMIN');
    assert.equal((await zk.getACL(p)).acl[0]?.id.id, id);
    await zk.setData(p, Buffer.from('ok'));
    await zk.close();
    await anon.close();
  });

  it('the auth scheme expands to the caller identities; no identity → InvalidACL', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('authacl');
    await assert.rejects(
      zk.create(p, null, { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] }),
      (e: unknown) => (e as ZkError).code === -114,
    );
    await zk.addAuth('digest', 'alice:secret');
    await zk.create(p, null, { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] });
    assert.equal((await zk.getACL(p)).acl[0]?.id.id, 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
    await zk.close();
  });

  it('super digest bypasses ACLs', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('locked');
    await zk.create(p, null, { acl: [{ perms: 31, id: { scheme: 'digest', id: 'nobody:x' } }] });
    await assert.rejects(zk.getData(p), (e: unknown) => (e as ZkError).code === -102);
    await zk.addAuth('digest', SUPER_AUTH);
    await zk.getData(p);
    await zk.close();
  });

  it('an unknown scheme fails the session for good (AuthFailed)', async () => {
    const { zk, events } = await connectClient(env.cluster.connectString);
    await assert.rejects(zk.addAuth('nosuchscheme', 'x'), AuthFailedError);
    await until(() => events.some((e) => e.state === KeeperState.AuthFailed), 'AuthFailed event');
    assert.equal(zk.state, 'AUTH_FAILED');
    await assert.rejects(zk.getData('/'), AuthFailedError);
    await zk.close();
  });
});
