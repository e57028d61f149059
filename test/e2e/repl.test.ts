import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-repl-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (name: string): { sh: PtyShell; history: string } => {
  const history = path.join(dir, `${name}.history`);
  return { sh: new PtyShell(['-server', env.cluster.connectString, '--history-file', history]), history };
};

describe('REPL on a pseudo-terminal', () => {
  it('shows the zkCli prompt, numbers history, persists it redacted, exits with the last code on Ctrl-D', async () => {
    const { sh, history } = open('basic');
    await sh.waitFor(/\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 0\] $/);
    assert.match(await sh.line('create /repl hello'), /Created \/repl/);
    assert.match(await sh.line('get /repl'), /\nhello\n/);
    await sh.line('addauth digest alice:s3cret-pw');
    const h = await sh.line('history');
    assert.match(h, /0 - create \/repl hello\n1 - get \/repl\n2 - addauth digest alice:\*\*\*\n3 - history\n/);
    assert.match(await sh.line('whoami'), /digest: alice/);
    await sh.line('get /nope');
    assert.match(sh.text, /\(CONNECTED\) 6\] $/);
    sh.write('\x04');
    assert.equal(await sh.exited, 1, 'exit code of the last command (get /nope)');
    const saved = fs.readFileSync(history, 'utf8');
    assert.ok(!saved.includes('s3cret-pw'), 'password never reaches the history file');
    assert.match(saved, /^addauth digest alice:\*\*\*$/m);
    assert.equal(fs.statSync(history).mode & 0o777, 0o600);
    assert.ok(!sh.text.includes('s3cret-pw\n2 -'), 'history command shows the redacted form');
  });

  it('prints watch events above the prompt and keeps the line being typed', async () => {
    const { sh } = open('events');
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    await sh.line('create /ev x');
    await sh.line('get -w /ev');
    sh.write('ls /e');
    await sh.waitFor(/ls \/e$/);
    const { zk } = await connectClient(env.cluster.connectString);
    await zk.setData('/ev', Buffer.from('y'));
    await zk.close();
    await sh.waitFor(
      /WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:\/ev\n\[zk: [^\n]*\(CONNECTED\) 2\] ls \/e$/,
    );
    const out = await sh.line('v');
    assert.match(out, /Node does not exist: \/ev|\[/, 'the restored line "ls /ev" ran');
    assert.match(out, /\[\]\n/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('completes command names and znode paths; Ctrl-C clears the line', async () => {
    const { sh } = open('complete');
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    sh.write('getAl\t');
    await sh.waitFor(/getAllChildrenNumber $/);
    sh.write('/zoo\t');
    await sh.waitFor(/getAllChildrenNumber \/zookeeper\/$/);
    sh.write('con\t');
    await sh.waitFor(/getAllChildrenNumber \/zookeeper\/config$/);
    const from = sh.text.length;
    sh.write('\r');
    await sh.waitFor(/\n\d+\n/, from);
    sh.write('garbage words');
    sh.write('\x03');
    await sh.waitFor(/\^C\n\[zk: [^\n]*\] $/);
    assert.match(await sh.line('version'), /ZooKeeper CLI version: zk-shell-/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('Ctrl-C cancels a running command (here: waiting for a server that is not there) and keeps the shell', async () => {
    const { freePort } = await import('../../src/server/zookeeper-server.js');
    const sh = new PtyShell([
      '-server',
      `127.0.0.1:${await freePort()}`,
      '--waitforconnection',
      '--history-file',
      path.join(dir, 'cancel.history'),
    ]);
    // -waitforconnection holds the first prompt; Ctrl-C stops that wait.
    await sh.waitFor(/Connecting to/);
    await new Promise((r) => setTimeout(r, 500));
    assert.doesNotMatch(sh.text, /\] $/, 'no prompt while waiting for the session');
    sh.write('\x03');
    await sh.waitFor(/\^C\n\[zk: [^\n]*\(CONNECTING\) 0\] $/);
    const from = sh.text.length;
    sh.write('ls /\r');
    await new Promise((r) => setTimeout(r, 800));
    assert.doesNotMatch(sh.text.slice(from), /\] $/, 'still waiting');
    sh.write('\x03');
    await sh.waitFor(/interrupted\n\[zk: [^\n]*\(CONNECTING\) 1\] $/, from);
    assert.match(await sh.line('version'), /ZooKeeper CLI version/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('asks before a large deleteall, and asks for a digest password without echo', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await zk.create('/big', null);
    await Promise.all(Array.from({ length: 30 }, (_, i) => zk.create(`/big/n${i}`, null)));
    const { sh } = open('confirm');
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    let from = sh.text.length;
    sh.write('deleteall /big\r');
    await sh.waitFor(/Delete 31 znodes under \/big\?/, from);
    sh.write('n\r');
    await sh.waitFor(/deleteall cancelled: nothing under \/big was deleted/, from);
    assert.equal(await zk.getAllChildrenNumber('/big'), 30);
    from = sh.text.length;
    sh.write('deleteall /big\r');
    await sh.waitFor(/Delete 31 znodes/, from);
    sh.write('y\r');
    await sh.waitFor(/\(CONNECTED\) 2\] $/, from);
    assert.equal(await zk.exists('/big'), null);
    from = sh.text.length;
    sh.write('addauth digest carol\r');
    await sh.waitFor(/Password for digest user carol/, from);
    sh.write('hidden-pw\r');
    await sh.waitFor(/\(CONNECTED\) 3\] $/, from);
    assert.ok(!sh.text.includes('hidden-pw'), 'the password is not echoed');
    assert.match(await sh.line('whoami'), /digest: carol/);
    sh.write('quit\r');
    await sh.exited;
    await zk.close();
  });
});
