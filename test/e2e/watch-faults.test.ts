// `watch` across faults: a server restart (the same session reconnects and the persistent recursive
// watch still fires) and a session expiry (a new session, the watch set again, and a notice saying so).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { LiveCli } from '../helpers/live-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let proxy: FaultProxy;
const live: LiveCli[] = [];

describe('watch across faults', () => {
  before(async () => {
    const [host, port] = env.cluster.connectString.split(':');
    proxy = await startFaultProxy({ host: host!, port: Number(port) });
  });
  after(async () => {
    for (const c of live) c.kill();
    await zk?.close();
    await proxy.close();
  });

  it('a server restart: disconnected and reconnected in the stream, and the watch still fires', async () => {
    const server = env.cluster.servers[0]!;
    const p = uniquePath('restart');
    zk = (await connectClient(env.cluster.connectString, { sessionTimeout: 90000 })).zk;
    await zk.create(p, null);
    // A long session timeout: on a loaded machine the JVM can take a while to come back.
    const cli = new LiveCli(['-server', server.address, '-timeout', '90000', 'watch', '-R', '--count', '2', p]);
    live.push(cli);
    await cli.waitFor(/persistent recursive watch/, 'stderr');
    await zk.create(`${p}/before`, null);
    await cli.waitFor(/created/);
    await server.restart();
    await cli.waitFor(/reconnected to/, 'stdout', 60000);
    await zk.waitConnected(60000);
    // A server that has just started may drop the watch's first connection, and a persistent watch set again
    // does not replay what changed meanwhile (ZooKeeper's rule): create until the watch has seen one (it
    // stops after 2 events), rather than once (a CI run hung 300 s on that race).
    let code: number | null | undefined;
    void cli.exited.then((c) => (code = c));
    for (let i = 0; code === undefined && i < 40; i++) {
      await zk.create(`${p}/after-${i}`, null);
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(await cli.exited, 0, cli.stderr);
    const lines = cli.lines().map((l) => l.replace(/\(session 0x[0-9a-f]+\)/, '(session S)'));
    assert.deepEqual(lines.slice(0, 3), [
      `created  ${p}/before`,
      `disconnected from ${server.address}; reconnecting`,
      `reconnected to ${server.address} (session S); watching again`,
    ]);
    assert.match(lines.at(-1)!, new RegExp(`^created  ${p}/after-\\d+$`));
  });

  it('a session expiry: expired, then a new session with the watch set again', async () => {
    const p = uniquePath('expiry');
    zk ??= (await connectClient(env.cluster.connectString)).zk;
    await zk.waitConnected(30000);
    await zk.create(p, null);
    const cli = new LiveCli(['-server', proxy.address, '-timeout', '4000', 'watch', '-R', '--count', '2', p]);
    live.push(cli);
    await cli.waitFor(/persistent recursive watch/, 'stderr');
    await zk.create(`${p}/one`, null);
    await cli.waitFor(/created/);
    // Unreachable for longer than 4/3 of the session timeout: the session is certainly gone.
    proxy.refuse(true);
    proxy.drop();
    await cli.waitFor(/expired/, 'stdout', 20000);
    proxy.refuse(false);
    await cli.waitFor(/resumed/, 'stdout', 20000);
    await zk.create(`${p}/two`, null);
    assert.equal(await cli.exited, 0, cli.stderr);
    const lines = cli.lines().map((l) => l.replace(/0x[0-9a-f]+/g, 'S'));
    assert.deepEqual(lines, [
      `created  ${p}/one`,
      `disconnected from ${proxy.address}; reconnecting`,
      'expired  session S; opening a new session',
      `resumed  new session S on ${proxy.address}; changes made meanwhile may have been missed`,
      `created  ${p}/two`,
    ]);
    const ids = cli.stdout.match(/0x[0-9a-f]+/g)!;
    assert.notEqual(ids[0], ids[1], 'a new session');
  });
});
