import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { ConnectionLossError } from '../../src/zk/errors.js';
import { connectClient, uniquePath, until, useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

const env = useCluster(1);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f().catch(() => {});
});

async function proxied(
  opts: { sessionTimeout?: number } = {},
): Promise<{ proxy: FaultProxy; zk: ZooKeeperClient; direct: ZooKeeperClient }> {
  const s = env.cluster.servers[0]!;
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: s.cfg.clientPort });
  cleanup.push(() => proxy.close());
  const { zk } = await connectClient(proxy.address, { sessionTimeout: opts.sessionTimeout ?? 10000 });
  cleanup.push(() => zk.close());
  const { zk: direct } = await connectClient(env.cluster.connectString);
  cleanup.push(() => direct.close());
  return { proxy, zk, direct };
}

/** 'pending' if the promise has not settled within ms. */
async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<'pending'>((r) => {
    t = setTimeout(() => r('pending'), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

describe('fault proxy in front of a real server', () => {
  it('stall holds a request both ways; resume delivers it', async () => {
    const { proxy, zk, direct } = await proxied();
    const p = uniquePath('stall');
    proxy.stall();
    const create = zk.create(p, Buffer.from('x'));
    assert.equal(await settledWithin(create, 600), 'pending');
    assert.equal(await direct.exists(p), null, 'the server never saw the request');
    assert.ok(proxy.held() > 0);
    proxy.resume();
    assert.equal(await settledWithin(create, 5000), p);
    assert.equal(proxy.held(), 0);
  });

  it('stallReplies: the server applies the request, the client sees nothing until resume', async () => {
    const { proxy, zk, direct } = await proxied();
    const p = uniquePath('replies');
    proxy.stallReplies();
    const create = zk.create(p, null);
    await until(async () => (await direct.exists(p)) !== null, 'the server to apply the create');
    assert.equal(await settledWithin(create, 300), 'pending');
    proxy.resume();
    assert.equal(await settledWithin(create, 5000), p);
  });

  it('drop: the client reconnects through a new connection to the same session', async () => {
    const { proxy, zk } = await proxied();
    const sid = zk.sessionId;
    assert.equal(proxy.connections(), 1);
    proxy.drop();
    await until(() => zk.state === 'CONNECTING', 'the loss noticed');
    await zk.session.waitConnected(10000);
    assert.equal(zk.sessionId, sid);
    assert.equal(proxy.accepted(), 2);
    assert.equal(proxy.connections(), 1);
    assert.ok(await zk.exists('/'));
  });

  it('cutMidFrame: a half reply fails the request with connection loss, then the session resumes', async () => {
    const { proxy, zk } = await proxied();
    const p = uniquePath('cut');
    await zk.create(p, Buffer.alloc(20000, 7));
    const sid = zk.sessionId;
    proxy.cutMidFrame();
    await assert.rejects(zk.getData(p), ConnectionLossError);
    await zk.session.waitConnected(10000);
    assert.equal(zk.sessionId, sid);
    assert.equal((await zk.getData(p)).data?.length, 20000);
  });

  it('drip: a reply arrives intact in tiny chunks, and slowly', async () => {
    const { proxy, zk } = await proxied();
    const p = uniquePath('drip');
    const data = Buffer.from(Array.from({ length: 600 }, (_, i) => i % 251));
    await zk.create(p, data);
    const before = proxy.forwarded().toClient;
    proxy.drip(16, 2);
    const t0 = Date.now();
    const got = await zk.getData(p);
    const ms = Date.now() - t0;
    proxy.drip(0, 0);
    assert.deepEqual(got.data, data);
    // ~700 reply bytes in 16-byte steps 2 ms apart: at least ~40 intervals.
    assert.ok(ms >= 60, `took ${ms} ms`);
    assert.ok(proxy.forwarded().toClient - before > 600);
  });

  it('delay adds latency both ways', async () => {
    const { proxy, zk } = await proxied();
    proxy.delay(150);
    const t0 = Date.now();
    await zk.exists('/');
    const ms = Date.now() - t0;
    proxy.delay(0);
    assert.ok(ms >= 290, `round trip ${ms} ms`);
  });

  it('refuse: reconnects fail while on, succeed after', async () => {
    const { proxy, zk } = await proxied();
    const sid = zk.sessionId;
    proxy.refuse(true);
    proxy.drop();
    await until(() => proxy.accepted() >= 3, 'a few refused attempts');
    assert.equal(zk.state, 'CONNECTING');
    assert.equal(proxy.connections(), 0);
    proxy.refuse(false);
    await zk.session.waitConnected(10000);
    assert.equal(zk.sessionId, sid);
  });

  it('blackhole: a new connection is accepted but the handshake never completes', async () => {
    const s = env.cluster.servers[0]!;
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: s.cfg.clientPort });
    cleanup.push(() => proxy.close());
    proxy.blackhole(true);
    const t0 = Date.now();
    await assert.rejects(
      ZooKeeperClient.connect({ connectString: proxy.address, sessionTimeout: 4000, retryDelay: () => 50 }, 2000),
    );
    assert.ok(Date.now() - t0 >= 1000);
    assert.ok(proxy.accepted() >= 1);
    assert.equal(proxy.forwarded().toServer, 0);
  });
});
