import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { freePort } from '../../src/server/zookeeper-server.js';
import { PtyShell } from '../helpers/pty.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-repl-keys-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const CTRL_C = '\x03';
const CTRL_U = '\x15';
const open = (name: string): PtyShell =>
  new PtyShell(['-server', env.cluster.connectString, '--history-file', path.join(dir, `${name}.history`)]);

describe('REPL keys on a pseudo-terminal', () => {
  it('Ctrl-C at an empty prompt says how to exit; a second Ctrl-C in a row exits', async (t) => {
    const sh = open('ctrl-c');
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    let from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(
      /\^C\n\(To exit, press Ctrl-C again or Ctrl-D or type quit\)\n\[zk: [^\n]*\(CONNECTED\) 0\] $/,
      from,
    );
    // A command in between starts the count again.
    assert.match(await sh.line('version'), /ZooKeeper CLI version/);
    from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(/To exit, press Ctrl-C again or Ctrl-D/, from);
    // Text typed then Ctrl-C: the line is cleared, no hint, no exit.
    from = sh.text.length;
    sh.write('ls /zoo');
    sh.write(CTRL_C);
    await sh.waitFor(/\^C\n\[zk: [^\n]*\(CONNECTED\) 1\] $/, from);
    assert.doesNotMatch(sh.text.slice(from), /To exit/);
    await sh.line('get /nope');
    from = sh.text.length;
    sh.write(CTRL_C);
    await sh.waitFor(/To exit, press Ctrl-C again or Ctrl-D/, from);
    sh.write(CTRL_C);
    assert.equal(await sh.exited, 1, "exits on the second Ctrl-C, with the last command's code as Ctrl-D does");
  });

  it('completes by position: commands after help, words after 4lw, addWatch modes, one path, "/" on parents', async (t) => {
    const { zk } = await connectClient(env.cluster.connectString);
    t.after(() => zk.close());
    for (const p of ['/comp', '/comp/dir', '/comp/dir/x', '/comp/leaf']) await zk.create(p, null);
    const sh = open('complete');
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    const tab = async (typed: string, want: RegExp): Promise<void> => {
      const from = sh.text.length;
      sh.write(`${typed}\t`);
      await sh.waitFor(want, from);
      sh.write(CTRL_U);
    };
    await tab('help getAllCh', /help getAllChildrenNumber$/);
    await tab('4lw mnt', /4lw mntr$/);
    await tab('admin watch_s', /admin watch_summary$/);
    await tab('addWatch -m PERSISTENT_R', /addWatch -m PERSISTENT_RECURSIVE$/);
    await tab('ls /comp/d', /ls \/comp\/dir\/$/);
    await tab('ls /comp/dir/', /ls \/comp\/dir\/x$/);
    await tab('ls /comp/le', /ls \/comp\/leaf$/);
    // get takes one path: nothing is offered after it, not even a second Tab's list.
    const from = sh.text.length;
    sh.write('get /comp/leaf \t');
    await new Promise((r) => setTimeout(r, 500));
    sh.write('\t');
    await new Promise((r) => setTimeout(r, 500));
    assert.match(sh.text.slice(from), /get \/comp\/leaf $/);
    assert.doesNotMatch(sh.text.slice(from), /zookeeper/);
    sh.write(CTRL_U);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('Ctrl-Z (or SIGTSTP) stops the shell; after SIGCONT (fg) the prompt is back and reads keys', async (t) => {
    const sh = new PtyShell(
      ['-server', env.cluster.connectString, '--history-file', path.join(dir, 'suspend.history')],
      {},
      true,
    );
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    const pid = sh.shellPid();
    const state = (): string => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0]!;
    const stopped = async (): Promise<void> => {
      for (let i = 0; i < 200 && state() !== 'T'; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal(state(), 'T', 'the shell is stopped');
    };
    for (const stop of [() => sh.write('\x1a'), () => process.kill(pid, 'SIGTSTP')]) {
      sh.write('ls /zoo');
      await sh.waitFor(/ls \/zoo$/);
      stop();
      await stopped();
      const from = sh.text.length;
      process.kill(pid, 'SIGCONT');
      await sh.waitFor(/\(CONNECTED\) \d+\] ls \/zoo$/, from);
      const out = await sh.line('keeper');
      assert.match(out, /\[config, quota\]/, 'the line typed before the stop ran after fg');
    }
    sh.write(CTRL_C);
    await sh.waitFor(/To exit/);
    sh.write('\x04');
    assert.equal(await sh.exited, 0);
  });

  it("quit and Ctrl-D exit with the last command's status, as zkCli (errors-and-exit-codes cases 1, 2, 5, 6)", async () => {
    const cases: [string[], string, number][] = [
      [['get /nope'], 'quit\r', 1],
      [['get /nope', 'ls /'], 'quit\r', 0],
      [['ls /', 'get /nope'], '\x04', 1],
      [['get /nope', 'ls /'], '\x04', 0],
    ];
    for (const [lines, end, code] of cases) {
      const sh = open('exit');
      await sh.waitFor(/\(CONNECTED\) 0\] $/);
      for (const l of lines) await sh.line(l);
      sh.write(end);
      assert.equal(await sh.exited, code, `${lines.join('; ')} then ${JSON.stringify(end)}`);
    }
  });

  it('-waitforconnection holds the first prompt until the session is up, or the timeout has passed', async (t) => {
    const sh = new PtyShell([
      '-server',
      env.cluster.connectString,
      '-waitforconnection',
      '--history-file',
      path.join(dir, 'wait.history'),
    ]);
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    assert.doesNotMatch(sh.text, /\(CONNECTING\)/, 'no prompt was shown before the session was up');
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);

    const down = new PtyShell([
      '-server',
      `127.0.0.1:${await freePort()}`,
      '-timeout',
      '2500',
      '-waitforconnection',
      '--history-file',
      path.join(dir, 'wait.history'),
    ]);
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
    const sh = new PtyShell([
      '-server',
      `${dead},${live}/`,
      '-timeout',
      '4000',
      '--history-file',
      path.join(dir, 'hosts.history'),
    ]);
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

describe('REPL colours say what a line is', () => {
  it('errors are red; "Created" and deprecation notes are not', async (t) => {
    const sh = new PtyShell(
      ['-server', env.cluster.connectString, '--history-file', path.join(dir, 'colour.history')],
      { NO_COLOR: '', FORCE_COLOR: '1' },
    );
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    let from = sh.output.length;
    await sh.line('create /colour-note x');
    const created = sh.output.slice(from);
    assert.match(created, /Created \/colour-note/);
    assert.doesNotMatch(created, /\x1b\[31m[^\n]*Created/, 'a confirmation is not painted as an error');
    from = sh.output.length;
    await sh.line('ls /colour-note watch');
    assert.doesNotMatch(sh.output.slice(from), /\x1b\[31m[^\n]*deprecated/, 'a deprecation note is not an error');
    from = sh.output.length;
    await sh.line('get /no-such-node');
    assert.match(sh.output.slice(from), /\x1b\[31m[^\n]*Node does not exist: \/no-such-node/, 'an error is red');
  });
});

describe('REPL close stays closed', () => {
  it('after close the prompt says CLOSED and commands say Not connected until connect', async (t) => {
    const sh = open('close');
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    await sh.line('close');
    await sh.waitFor(/\(CLOSED\) 1\] $/);
    assert.match(await sh.line('ls /'), /Not connected/);
    await sh.waitFor(/\(CLOSED\) 2\] $/);
    await sh.line('connect');
    await sh.waitFor(/\(CONNECTED\) 3\] $/);
    assert.match(await sh.line('ls /zookeeper'), /\[config, quota\]/);
  });
});
