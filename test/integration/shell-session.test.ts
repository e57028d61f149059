import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Shell } from '../../src/shell/shell.js';
import { until, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

function makeShell(timeout: number): { shell: Shell; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const shell = new Shell({
    connectString: env.cluster.connectString,
    sessionTimeout: timeout,
    canBeReadOnly: false,
    tls: undefined,
    connectWaitMs: 3000,
    waitForConnection: false,
    format: 'zkcli',
    safeOutput: false,
    sink: { out: (s) => out.push(s), err: (s) => err.push(s) },
    interactive: false,
    assumeYes: true,
    printSessionEvents: true,
  });
  return { shell, out, err };
}

describe('the shell across session faults', () => {
  it('a server restart is survived; an expired session exits 4 and says how to recover', async () => {
    const { shell, out, err } = makeShell(4000);
    assert.equal(await shell.execute('create /sess'), 0);
    const server = env.cluster.servers[0]!;
    await server.stop();
    assert.equal(await shell.execute('get /sess'), 3, 'connection lost → 3');
    await until(() => shell.state === 'CLOSED', 'session expiry', 15000);
    assert.match(
      out.join(''),
      /WatchedEvent state:Disconnected type:None path:null\n[\s\S]*WatchedEvent state:Expired type:None path:null\n/,
    );
    err.length = 0;
    assert.equal(await shell.execute('ls /'), 4);
    assert.equal(err.join(''), 'Not connected: the session expired (use "connect" for a new one)\n');
    server.start('org.apache.zookeeper.server.ZooKeeperServerMain');
    await server.waitServing();
    assert.equal(await shell.execute('connect'), 0);
    out.length = 0;
    assert.equal(await shell.execute('ls /'), 0);
    assert.match(out.join(''), /\[sess, zookeeper\]\n/);
    await shell.close();
  });
});
