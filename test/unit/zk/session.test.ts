import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZooKeeperClient, type WatchedEvent } from '../../../src/zk/client.js';
import { ConnectionLossError, SessionExpiredError, TooLargeError, ZkError } from '../../../src/zk/errors.js';
import { startFakeZk } from '../../helpers/fake-zk.js';
import * as O from '../../helpers/jute-oracle.js';

const stat = (): number[] => [
  ...O.long(1n),
  ...O.long(2n),
  ...O.long(0n),
  ...O.long(0n),
  ...O.int(0),
  ...O.int(0),
  ...O.int(0),
  ...O.long(0n),
  ...O.int(0),
  ...O.int(0),
  ...O.long(1n),
];
const fast = { retryDelay: () => 10 };

describe('session against a scripted server', () => {
  it('reports an expired handshake once, then fails calls with SessionExpired without hanging', async () => {
    const fake = await startFakeZk({ onConnect: () => 'expired' });
    const events: WatchedEvent[] = [];
    const c = new ZooKeeperClient({ connectString: `127.0.0.1:${fake.port}`, watcher: (e) => events.push(e), ...fast });
    await assert.rejects(c.session.waitConnected(2000), /expired/);
    await assert.rejects(c.getData('/a'), SessionExpiredError);
    assert.deepEqual(
      events.map((e) => e.state),
      [-112],
    );
    assert.equal(c.state, 'CLOSED');
    await c.close();
    await fake.stop();
  });

  it('drops a silent server after the read timeout and resumes the session elsewhere', async () => {
    let first = true;
    const fake = await startFakeZk({
      onConnect: () => 3000,
      onRequest: (req, conn) => {
        if (first) {
          first = false;
          conn.hang();
          return;
        }
        conn.reply(req.xid, 5n, 0, [...O.buf([104, 105]), ...stat()]);
      },
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    const t0 = Date.now();
    await assert.rejects(c.getData('/a'), ConnectionLossError);
    const waited = Date.now() - t0;
    assert.ok(waited >= 1900 && waited < 3500, `read timeout is 2/3 of 3000 ms, waited ${waited}`);
    await c.session.waitConnected(2000);
    assert.equal((await c.getData('/a')).data?.toString(), 'hi');
    assert.equal(fake.connections, 2);
    await c.close();
    await fake.stop();
  });

  it('treats an out-of-order xid as a connection loss', async () => {
    const fake = await startFakeZk({ onRequest: (req, conn) => conn.reply(req.xid + 100, 1n, 0) });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    await assert.rejects(c.delete('/a'), ConnectionLossError);
    await c.close();
    await fake.stop();
  });

  it('turns an unknown error code into a ZkError instead of crashing', async () => {
    const fake = await startFakeZk({ onRequest: (req, conn) => conn.reply(req.xid, 1n, -200) });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    await assert.rejects(
      c.delete('/a'),
      (e: unknown) => e instanceof ZkError && e.code === -200 && e.codeName === 'UNKNOWN',
    );
    await c.close();
    await fake.stop();
  });

  it('pipelines: many requests in flight are answered in order', async () => {
    const seen: number[] = [];
    const fake = await startFakeZk({
      onRequest: (req, conn) => {
        if (req.type !== 4) return conn.reply(req.xid, 0n, 0);
        seen.push(req.xid);
        const path = req.body.ustring();
        conn.reply(req.xid, BigInt(req.xid), 0, [...O.buf([...Buffer.from(path)]), ...stat()]);
      },
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => c.getData(`/n${i}`)));
    assert.deepEqual(
      results.map((r) => r.data?.toString()),
      Array.from({ length: 500 }, (_, i) => `/n${i}`),
    );
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
    );
    assert.equal(c.session.lastZxid, BigInt(seen[seen.length - 1]!));
    await c.close();
    await fake.stop();
  });

  it('fails fast with ConnectionLoss when nothing listens', async () => {
    const fake = await startFakeZk({});
    const port = fake.port;
    await fake.stop();
    const c = new ZooKeeperClient({ connectString: `127.0.0.1:${port}`, ...fast });
    const t0 = Date.now();
    await assert.rejects(c.getData('/a'), ConnectionLossError);
    assert.ok(Date.now() - t0 < 1000);
    await assert.rejects(c.session.waitConnected(300), /could not connect to 127\.0\.0\.1:\d+ within 300 ms/);
    await c.close();
  });
});

describe('defects found on real clusters (scripted server)', () => {
  it('a malformed reply body drops the connection and fails the request as ConnectionLoss naming the cause', async () => {
    // A getChildren reply claiming 2^31-1 children in a few bytes (was exit 70 "internal error").
    const fake = await startFakeZk({
      onRequest: (req, conn) => conn.reply(req.xid, 1n, 0, [...O.int(0x7fffffff), ...O.str('a')]),
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    const err = await c.getChildren('/a').then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ConnectionLossError, String(err));
    assert.match(err.cliMessage, /^KeeperErrorCode = ConnectionLoss for \/a \(malformed reply from 127\.0\.0\.1:\d+: /);
    assert.equal(err.sent, true);
    await c.session.waitConnected(2000);
    assert.equal(fake.connections, 2, 'reconnected after the protocol error');
    await c.close();
    await fake.stop();
  });

  it('a server that answers pings but never a request: the request fails at the deadline instead of hanging', async () => {
    // It also negotiates an hour-long timeout: the client keeps to the 3 s it asked for.
    const fake = await startFakeZk({ onConnect: () => 3600000, onRequest: () => undefined });
    const c = await ZooKeeperClient.connect(
      { connectString: `127.0.0.1:${fake.port}`, sessionTimeout: 3000, ...fast },
      2000,
    );
    const t0 = Date.now();
    const err = await c.getData('/a').then(
      () => null,
      (e: unknown) => e,
    );
    const waited = Date.now() - t0;
    assert.ok(err instanceof ConnectionLossError, String(err));
    assert.match(err.cliMessage, /did not answer a request within \d+ ms/);
    assert.ok(waited < 6000, `deadline derives from the requested 3 s timeout, waited ${waited} ms`);
    await c.close();
    await fake.stop();
  });

  it('a reply over the client limit fails only its request; the connection stays up', async () => {
    const big = 'x'.repeat(5000);
    const fake = await startFakeZk({
      onRequest: (req, conn) => {
        if (req.type === 4) conn.reply(req.xid, 1n, 0, [...O.buf(Array(3000).fill(1)), ...stat()]);
        else conn.reply(req.xid, 1n, 0, [...O.int(1), ...O.str(big)]);
      },
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, maxReply: 2048, ...fast }, 2000);
    const err = await c.getChildren('/wide').then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof TooLargeError, String(err));
    assert.match(
      err.cliMessage,
      /^reply of 5024 bytes exceeds the client limit of 2048 \(raise with --max-buffer\): \/wide$/,
    );
    await assert.rejects(c.getData('/a'), TooLargeError);
    assert.equal(c.state, 'CONNECTED');
    assert.equal(fake.connections, 1, 'no reconnect');
    await c.close();
    await fake.stop();
  });

  it('closing without waiting while a reply over the limit is still coming: the closeSession gets there', async () => {
    // The socket closed with the rest of a 20 MB reply unread is a reset; a server still writing that reply
    // drops the connection with the closeSession unread, and the session (its ephemerals) lived on to expiry.
    let closed = false;
    const fake = await startFakeZk({
      onRequest: (req, conn) => {
        if (req.type === -11) {
          closed = true;
          conn.reply(req.xid, 2n, 0);
        } else {
          const body = Buffer.alloc(20 << 20);
          body.writeInt32BE(req.xid, 0);
          conn.replyWhole(Buffer.concat([Buffer.from(O.int(body.length)), body]));
        }
      },
    });
    try {
      const c = await ZooKeeperClient.connect(
        { connectString: `127.0.0.1:${fake.port}`, maxReply: 1 << 20, ...fast },
        2000,
      );
      await assert.rejects(c.getChildren('/wide'), TooLargeError);
      await c.close({ waitReply: false });
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(closed, 'the server read the closeSession');
    } finally {
      await fake.stop();
    }
  });

  it('a request over the server limit is refused before it is sent', async () => {
    let requests = 0;
    const fake = await startFakeZk({
      onRequest: (req, conn) => {
        requests++;
        conn.reply(req.xid, 1n, 0, stat());
      },
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    const err = await c.setData('/a', Buffer.alloc(0xfffff)).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof TooLargeError, String(err));
    assert.match(err.cliMessage, /^request of \d+ bytes exceeds the server's limit of 1048575 bytes/);
    assert.equal(requests, 0);
    await c.setData('/a', Buffer.from('small'));
    assert.equal(requests, 1);
    await c.close();
    await fake.stop();
  });

  it('addAuth whose reply is lost to a disconnect settles after the replay (it hung forever)', async () => {
    let conns = 0;
    const fake = await startFakeZk({
      onConnect: () => {
        conns++;
        return 30000;
      },
      onRequest: (req, conn) => {
        if (req.xid !== -4) return;
        if (conns === 1)
          conn.close(); // the first auth reply never comes
        else conn.reply(-4, 0n, 0);
      },
    });
    const c = await ZooKeeperClient.connect({ connectString: `127.0.0.1:${fake.port}`, ...fast }, 2000);
    const settled = await Promise.race([
      c.addAuth('digest', 'u:p').then(() => 'resolved'),
      new Promise((r) => setTimeout(() => r('hung'), 3000)),
    ]);
    assert.equal(settled, 'resolved');
    assert.equal(conns, 2);
    await c.close();
    await fake.stop();
  });

  it('close() during the reconnect back-off returns at once', async () => {
    const fake = await startFakeZk({ onConnect: () => 'close' });
    const c = new ZooKeeperClient({ connectString: `127.0.0.1:${fake.port}`, retryDelay: () => 5000 });
    c.session.start();
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await c.close();
    assert.ok(Date.now() - t0 < 1000, `close waited ${Date.now() - t0} ms`);
    await fake.stop();
  });
});
