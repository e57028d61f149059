import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ZooKeeperClient, type WatchedEvent } from '../../../src/zk/client.js';
import { ConnectionLossError, SessionExpiredError, ZkError } from '../../../src/zk/errors.js';
import { startFakeZk } from '../../helpers/fake-zk.js';
import * as O from '../../helpers/jute-oracle.js';

const stat = (): number[] => [...O.long(1n), ...O.long(2n), ...O.long(0n), ...O.long(0n), ...O.int(0), ...O.int(0), ...O.int(0),
  ...O.long(0n), ...O.int(0), ...O.int(0), ...O.long(1n)];
const fast = { retryDelay: () => 10 };

describe('session against a scripted server', () => {
  it('reports an expired handshake once, then fails calls with SessionExpired without hanging', async () => {
    const fake = await startFakeZk({ onConnect: () => 'expired' });
    const events: WatchedEvent[] = [];
    const c = new ZooKeeperClient({ connectString: `127.0.0.1:${fake.port}`, watcher: (e) => events.push(e), ...fast });
    await assert.rejects(c.session.waitConnected(2000), /expired/);
    await assert.rejects(c.getData('/a'), SessionExpiredError);
    assert.deepEqual(events.map((e) => e.state), [-112]);
    assert.equal(c.state, 'CLOSED');
    await c.close();
    await fake.stop();
  });

  it('drops a silent server after the read timeout and resumes the session elsewhere', async () => {
    let first = true;
    const fake = await startFakeZk({
      onConnect: () => 3000,
      onRequest: (req, conn) => {
        if (first) { first = false; conn.hang(); return; }
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
    await assert.rejects(c.delete('/a'), (e: unknown) => e instanceof ZkError && e.code === -200 && e.codeName === 'UNKNOWN');
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
    assert.deepEqual(results.map((r) => r.data?.toString()), Array.from({ length: 500 }, (_, i) => `/n${i}`));
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
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
