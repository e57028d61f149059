import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/zk/connection.js';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { AuthFailedError, ZkError } from '../../src/zk/errors.js';
import type { HostPort } from '../../src/zk/host-provider.js';
import { KeeperState } from '../../src/zk/protocol.js';
import { digestMd5 } from '../../src/zk/sasl/digest-md5.js';
import { SaslError, saslAuthenticator, type SaslAuthenticator } from '../../src/zk/sasl/exchange.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';

// Every request needs SASL first: a request sent before the exchange ends fails the session.
const env = useCluster(1, { sasl: { digestUsers: { bob: 'bob-secret', alice: 'älice-pw' }, enforce: true } });

/** DIGEST-MD5 that counts its exchanges (one per connection). */
function counted(
  user: string,
  password: string,
  onRun?: (n: number) => void,
): { sasl: SaslAuthenticator; runs: number } {
  const inner = saslAuthenticator(digestMd5(user, password));
  const c = {
    runs: 0,
    sasl: {
      authenticate: (conn: Connection, host: HostPort): Promise<void> => {
        c.runs++;
        onRun?.(c.runs);
        return inner.authenticate(conn, host);
      },
    },
  };
  return c;
}

const ids = async (zk: ZooKeeperClient): Promise<string[]> =>
  (await zk.whoAmI()).map((w) => `${w.authScheme}:${w.user}`).sort();

describe('SASL DIGEST-MD5 against a real server that enforces SASL', () => {
  it('authenticates; whoami shows the sasl identity; sasl ACLs hold end to end', async () => {
    const { zk: bob, events } = await connectClient(env.cluster.connectString, {
      sasl: saslAuthenticator(digestMd5('bob', 'bob-secret')),
    });
    // A non-ASCII password: the server offers charset=utf-8, so it must be hashed as UTF-8.
    const { zk: alice } = await connectClient(env.cluster.connectString, {
      sasl: saslAuthenticator(digestMd5('alice', 'älice-pw')),
    });
    assert.deepEqual(await ids(bob), ['ip:127.0.0.1', 'sasl:bob']);
    assert.deepEqual(await ids(alice), ['ip:127.0.0.1', 'sasl:alice']);
    assert.ok(
      events.some((e) => e.state === KeeperState.SaslAuthenticated),
      'SaslAuthenticated event, as the Java client sends',
    );
    const p = uniquePath('sasl-acl');
    await bob.create(p, Buffer.from('for bob'), { acl: [{ perms: 31, id: { scheme: 'sasl', id: 'bob' } }] });
    assert.equal((await bob.getData(p)).data?.toString(), 'for bob');
    await assert.rejects(alice.getData(p), (e: unknown) => e instanceof ZkError && e.code === -102);
    assert.deepEqual((await bob.getACL(p)).acl, [{ perms: 31, id: { scheme: 'sasl', id: 'bob' } }]);
    await bob.close();
    await alice.close();
  });

  it('runs SASL again after a reconnect, before requests queued while disconnected', async () => {
    const p = uniquePath('queued');
    let created = null as Promise<string> | null;
    let zk: ZooKeeperClient | null = null;
    // Issued once the new connection's handshake is done but before its SASL exchange: it must wait
    // for SASL, or the enforcing server refuses it and closes the session.
    const c = counted('bob', 'bob-secret', (n) => {
      if (n === 2)
        created = zk!.create(p, Buffer.from('q'), { acl: [{ perms: 31, id: { scheme: 'sasl', id: 'bob' } }] });
    });
    ({ zk } = await connectClient(env.cluster.connectString, { sasl: c.sasl, sessionTimeout: 20000 }));
    assert.equal(c.runs, 1);
    await env.cluster.servers[0]!.restart();
    await until(() => created !== null, 'the second SASL exchange', 20000);
    assert.equal(await created, p);
    assert.equal(zk.state, 'CONNECTED');
    assert.deepEqual(await ids(zk), ['ip:127.0.0.1', 'sasl:bob']);
    assert.equal((await zk.getData(p)).data?.toString(), 'q');
    await zk.close();
  });

  it('a wrong password is terminal: AUTH_FAILED, a message naming the mechanism, no reconnect loop', async () => {
    const c = counted('bob', 'not-the-password');
    const zk = new ZooKeeperClient({ connectString: env.cluster.connectString, sasl: c.sasl, retryDelay: () => 20 });
    const events: number[] = [];
    zk.session.on('event', (e) => events.push(e.state));
    await assert.rejects(
      zk.session.waitConnected(10000),
      (e: unknown) =>
        e instanceof SaslError &&
        /^SASL DIGEST-MD5 authentication as 'bob' failed: the server rejected the credentials/.test(e.message) &&
        !e.message.includes('not-the-password'),
    );
    assert.equal(zk.state, 'AUTH_FAILED');
    assert.deepEqual(events, [KeeperState.AuthFailed]);
    await assert.rejects(zk.getData('/'), AuthFailedError);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.runs, 1, 'no second attempt');
    await zk.close();
  });

  it('a server without SASL configured is a clear SASL failure, not a hang', async () => {
    // The 4lw port check aside, a plain cluster has no Server section: the server answers with no challenge.
    const { startCluster } = await import('../../src/server/zookeeper-server.js');
    const plain = await startCluster(1);
    try {
      await assert.rejects(
        ZooKeeperClient.connect(
          { connectString: plain.connectString, sasl: saslAuthenticator(digestMd5('bob', 'x')) },
          10000,
        ),
        /SASL DIGEST-MD5 authentication as 'bob' failed: the server sent no DIGEST-MD5 challenge/,
      );
    } finally {
      await plain.stop();
    }
  });
});
