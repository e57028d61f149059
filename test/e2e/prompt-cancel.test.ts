import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-prompt-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const UP = '\x1b[A';
const promptN = (n: number): RegExp => new RegExp(`\\(CONNECTED\\) ${n}\\] $`);
/** What a cancelled prompt must never print: a stack trace or inquirer's own error. */
const noTrace = (screen: string): void => {
  assert.doesNotMatch(screen, /internal error|ExitPromptError|AbortPromptError|force closed|\n\s+at /, screen);
};

const open = (name: string): PtyShell =>
  new PtyShell(['-server', env.cluster.connectString, '--history-file', path.join(dir, `${name}.history`)]);

describe('cancelling a prompt (Ctrl-C, Ctrl-D) returns to the shell quietly', () => {
  it('addauth password: Ctrl-D and Ctrl-C cancel; echo stays off and the shell keeps working', async (t) => {
    const sh = open('addauth');
    t.after(() => sh.kill());
    await sh.waitFor(promptN(0));

    let from = sh.text.length;
    sh.write('addauth digest zed\r');
    await sh.waitFor(/Password for digest user zed/, from);
    sh.write(CTRL_D);
    await sh.waitFor(/addauth cancelled\n\[zk: [^\n]*\(CONNECTED\) 1\] $/, from);

    // The terminal is the shell's again: what is typed now is a command, not a password shown in clear.
    from = sh.text.length;
    sh.write('addauth digest zed\r');
    await sh.waitFor(/Password for digest user zed/, from);
    sh.write('typed-SECRET11\r');
    await sh.waitFor(promptN(2), from);
    assert.ok(!sh.text.includes('typed-SECRET11'), 'the password typed after a cancelled prompt is not echoed');
    assert.match(await sh.line('whoami'), /digest: zed\n/);

    from = sh.text.length;
    sh.write('addauth digest amy\r');
    await sh.waitFor(/Password for digest user amy/, from);
    sh.write(CTRL_C);
    await sh.waitFor(/addauth cancelled\n\[zk: [^\n]*\(CONNECTED\) 4\] $/, from);
    assert.doesNotMatch(await sh.line('whoami'), /digest: amy/);
    noTrace(sh.text);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('the password asked for a redacted history line (redo, Up-arrow): Ctrl-C and Ctrl-D cancel', async (t) => {
    const sh = open('redo');
    t.after(() => sh.kill());
    await sh.waitFor(promptN(0));
    await sh.line('addauth digest kim:pw-kim-1');
    let from = sh.text.length;
    sh.write('redo 0\r');
    await sh.waitFor(/Password for digest user kim/, from);
    sh.write(CTRL_C);
    await sh.waitFor(/addauth cancelled\n\[zk: [^\n]*\(CONNECTED\) 2\] $/, from);

    from = sh.text.length;
    sh.write(UP + UP);
    await sh.waitFor(/addauth digest kim:\*\*\*$/, from);
    sh.write('\r');
    await sh.waitFor(/Password for digest user kim/, from);
    sh.write(CTRL_D);
    await sh.waitFor(/addauth cancelled\n\[zk: [^\n]*\(CONNECTED\) 3\] $/, from);
    assert.match(await sh.line('version'), /ZooKeeper CLI version/);
    noTrace(sh.text);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('a deleteall confirmation: Ctrl-C and Ctrl-D cancel and delete nothing', async (t) => {
    const { zk } = await connectClient(env.cluster.connectString);
    t.after(() => zk.close());
    await zk.create('/many', null);
    await Promise.all(Array.from({ length: 25 }, (_, i) => zk.create(`/many/n${i}`, null)));
    const sh = open('confirm');
    t.after(() => sh.kill());
    await sh.waitFor(promptN(0));
    for (const [key, n] of [
      [CTRL_C, 1],
      [CTRL_D, 2],
    ] as const) {
      const from = sh.text.length;
      sh.write('deleteall /many\r');
      await sh.waitFor(/Delete 26 znodes under \/many\?/, from);
      sh.write(key);
      await sh.waitFor(
        new RegExp(`deleteall cancelled: nothing under /many was deleted\\n\\[zk: [^\\n]*\\(CONNECTED\\) ${n}\\] $`),
        from,
      );
    }
    assert.equal(await zk.getAllChildrenNumber('/many'), 25);
    assert.match(await sh.line('ls /many'), /n0/);
    noTrace(sh.text);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });
});

describe('cancelling the start-up --sasl-user password prompt', () => {
  for (const [key, name, code] of [
    [CTRL_C, 'Ctrl-C', 130],
    [CTRL_D, 'Ctrl-D', 2],
  ] as const) {
    it(`${name}: one line, exit ${code}, no stack trace`, async (t) => {
      const sh = new PtyShell(
        ['-server', env.cluster.connectString, '--sasl-user', 'bob', '--history-file', path.join(dir, 'sasl.history')],
        { ZK_SHELL_SASL_PASSWORD: '' },
      );
      t.after(() => sh.kill());
      await sh.waitFor(/SASL password for bob:/);
      sh.write(key);
      const exited = await Promise.race([sh.exited, new Promise((r) => setTimeout(() => r('hung'), 10000))]);
      assert.equal(exited, code, sh.text);
      assert.match(sh.text, /\nzk-shell: no password given for --sasl-user bob\n$/);
      noTrace(sh.text);
    });
  }
});
