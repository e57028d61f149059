import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { freePort } from '../../src/server/zookeeper-server.js';
import { PtyShell } from '../helpers/pty.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-repl-keys-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const CTRL_C = '\x03';
const open = (name: string): PtyShell => new PtyShell(['-server', env.cluster.connectString, '--history-file', path.join(dir, `${name}.history`)]);

describe('REPL keys on a pseudo-terminal', () => {
  it('Ctrl-C at an empty prompt says how to exit; a second Ctrl-C in a row exits', async (t) => {
    const sh = open('ctrl-c');
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    let from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(/\^C\n\(To exit, press Ctrl-D or type quit\)\n\[zk: [^\n]*\(CONNECTED\) 0\] $/, from);
    // A command in between starts the count again.
    assert.match(await sh.line('version'), /ZooKeeper CLI version/);
    from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(/To exit, press Ctrl-D/, from);
    // Text typed then Ctrl-C: the line is cleared, no hint, no exit.
    from = sh.text.length;
    sh.write('ls /zoo');
    sh.write(CTRL_C);
    await sh.waitFor(/\^C\n\[zk: [^\n]*\(CONNECTED\) 1\] $/, from);
    assert.doesNotMatch(sh.text.slice(from), /To exit/);
    await sh.line('get /nope');
    from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(/To exit, press Ctrl-D/, from);
    sh.write(CTRL_C);
    assert.equal(await sh.exited, 1, 'exits on the second Ctrl-C, with the last command\'s code as Ctrl-D does');
  });

  it('-waitforconnection holds the first prompt until the session is up, or the timeout has passed', async (t) => {
    const sh = new PtyShell(['-server', env.cluster.connectString, '-waitforconnection', '--history-file', path.join(dir, 'wait.history')]);
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    assert.doesNotMatch(sh.text, /\(CONNECTING\)/, 'no prompt was shown before the session was up');
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);

    const down = new PtyShell(['-server', `127.0.0.1:${await freePort()}`, '-timeout', '2500', '-waitforconnection', '--history-file', path.join(dir, 'wait.history')]);
    t.after(() => down.kill());
    const t0 = Date.now();
    await down.waitFor(/Connecting to/);
    down.write('version\r');
    await down.waitFor(/within 2500 ms[^\n]*\n[\s\S]*ZooKeeper CLI version[\s\S]*\(CONNECTING\) 1\] $/);
    assert.ok(Date.now() - t0 >= 2000, 'the prompt waited for the timeout');
    assert.doesNotMatch(down.text, /\(CONNECTING\) 0\]/, 'the line typed while waiting ran once the wait was over');
    down.write('\x04');
    assert.equal(await down.exited, 0);
  });

  it('the prompt names the connected server, not the whole connect string; EXPIRED after an expiry', async (t) => {
    const live = env.cluster.connectString;
    const dead = `127.0.0.1:${await freePort()}`;
    const sh = new PtyShell(['-server', `${dead},${live}/`, '-timeout', '4000', '--history-file', path.join(dir, 'hosts.history')]);
    t.after(() => sh.kill());
    const esc = live.replace(/\./g, '\\.');
    await sh.waitFor(new RegExp(`\\[zk: ${esc}\\(CONNECTED\\) 0\\] $`));
    assert.match(await sh.line('ls /'), /zookeeper/);
    // The last test of the file: the server is stopped until the session has expired, then restarted.
    const server = env.cluster.servers[0]!;
    await server.stop();
    try {
      await sh.waitFor(/\(EXPIRED\) 1\] $/, 0, 20000);
    } finally {
      server.start('org.apache.zookeeper.server.ZooKeeperServerMain');
      await server.waitServing();
    }
    assert.doesNotMatch(sh.text, /\(CLOSED\)/);
    sh.write('quit\r');
    await sh.exited;
  });
});
