// cd, the prompt, completion of relative paths and edit with a scripted $EDITOR, on a real pty.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-nav-repl-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let zk: ZooKeeperClient;

const open = (name: string, envVars: Record<string, string> = {}): PtyShell =>
  new PtyShell(['-server', env.cluster.connectString, '--history-file', path.join(dir, `${name}.history`)], envVars);

describe('navigation in the REPL', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
    await zk.create('/rn', null);
    await zk.create('/rn/config', Buffer.from('cfg'));
    await zk.create('/rn/config/db', Buffer.from('db-data'));
    await zk.create('/rn/cache', Buffer.from('cache-data'));
    await zk.create('/rn/bidi\u202egpj', null);
  });

  it('the prompt shows the current path after cd, zkCli-style, and drops it back at /', async () => {
    const sh = open('prompt');
    await sh.waitFor(/\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 0\] $/);
    await sh.line('cd /rn');
    await sh.waitFor(/\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 1 \/rn\] $/);
    assert.match(await sh.line('cd nope'), /Node does not exist: \/rn\/nope\n\[zk: [^\n]*\(CONNECTED\) 2 \/rn\] $/);
    assert.match(await sh.line('cd config'), /\(CONNECTED\) 3 \/rn\/config\] $/);
    assert.match(await sh.line('get db'), /\ndb-data\n/);
    assert.match(await sh.line('cd -'), /\n\/rn\n\[zk: [^\n]*\(CONNECTED\) 5 \/rn\] $/);
    // A node name with a bidi control is shown escaped in the prompt, never sent raw.
    const evil = await sh.line('cd ./bidi\u202egpj');
    assert.match(evil, /\(CONNECTED\) 6 \/rn\/bidi\\u202egpj\] $/);
    assert.match(await sh.line('cd'), /\(CONNECTED\) 7\] $/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('completes relative names and .., and a completion ending in / runs with Enter', async () => {
    const sh = open('complete');
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    await sh.line('cd /rn/cache');
    sh.write('get ..\t');
    await sh.waitFor(/get \.\.\/$/);
    sh.write('con\t');
    await sh.waitFor(/get \.\.\/config\/$/);
    // The known trap: Enter right after the completion's "/" must read the node, not fail.
    const from = sh.text.length;
    sh.write('\r');
    await sh.waitFor(/\ncfg\n\[zk: [^\n]*\(CONNECTED\) 2 \/rn\/cache\] $/, from);
    await sh.line('cd ..');
    sh.write('ls conf\t');
    await sh.waitFor(/ls config\/$/);
    sh.write('\t');
    await sh.waitFor(/ls config\/db$/);
    const from2 = sh.text.length;
    sh.write('\r');
    await sh.waitFor(/\n\[\]\n\[zk: [^\n]*\(CONNECTED\) 4 \/rn\] $/, from2);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });

  it('edit hands the terminal to $EDITOR and the REPL goes on after it', async () => {
    // The editor reads a line from the terminal, as an interactive editor would, and writes it into the file.
    const ed = path.join(dir, 'ask.sh');
    fs.writeFileSync(ed, '#!/bin/sh\nprintf "new value? "\nread v\nprintf "%s" "$v" > "$1"\n', { mode: 0o755 });
    const sh = open('edit', { EDITOR: ed, VISUAL: '' });
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    await sh.line('cd /rn');
    sh.write('edit cache\r');
    await sh.waitFor(/new value\? $/);
    const from = sh.text.length;
    sh.write('typed-in-editor\r');
    await sh.waitFor(/Updated \/rn\/cache\n\[zk: [^\n]*\(CONNECTED\) 2 \/rn\] $/, from);
    assert.equal((await zk.getData('/rn/cache')).data?.toString(), 'typed-in-editor');
    assert.match(await sh.line('get cache'), /\ntyped-in-editor\n/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });
});
