// edit with scripted $EDITORs and mv through bin/zk-shell against a real server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createNodes } from '../helpers/bulk-create.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-edit-test-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let S = '';
let zk: ZooKeeperClient;
const log = path.join(dir, 'editor.log');

/** A scripted editor: logs the file's mode and path, then runs `body` on it ($1). */
function editor(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nstat -c %a "$1" >> '${log}'\necho "$1" >> '${log}'\n${body}\n`, { mode: 0o755 });
  return file;
}
const edit = (ed: string, args: string[]): ReturnType<typeof runCli> =>
  runCli(['-server', S, ...args], { env: { EDITOR: ed, VISUAL: '' } });
const data = async (p: string): Promise<string | undefined> => (await zk.getData(p)).data?.toString();

describe('edit', () => {
  before(async () => {
    S = env.cluster.connectString;
    zk = (await connectClient(S)).zk;
    await zk.create('/ed', Buffer.from('port=1'));
    await zk.create('/ed/bin', Buffer.from([0, 1, 2, 0xff]));
    await zk.create('/ed/null', null);
  });

  it('writes back a change with the version read; the temp file was 0600 and is gone', async () => {
    fs.rmSync(log, { force: true });
    const r = await edit(editor('sed.sh', 'sed -i s/1/2/ "$1"'), ['-c', 'cd /ed', '-c', 'edit .']);
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', 'Updated /ed\n', 0]);
    assert.equal(await data('/ed'), 'port=2', 'the final newline the editor keeps is not added');
    const [mode, file] = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(mode, '600');
    assert.ok(!fs.existsSync(file!) && !fs.existsSync(path.dirname(file!)), `${file} removed`);
  });

  it('an unchanged text writes nothing (null stays null); VISUAL wins over EDITOR', async () => {
    const before = (await zk.exists('/ed/null'))!.version;
    const r = await runCli(['-server', S, 'edit', '/ed/null'], { env: { VISUAL: 'true', EDITOR: 'false' } });
    assert.deepEqual([r.stderr, r.code], ['No change to /ed/null\n', 0]);
    assert.equal((await zk.getData('/ed/null')).data, null);
    assert.equal((await zk.exists('/ed/null'))!.version, before);
  });

  it('in a script piped on stdin, the editor cannot eat the lines after edit', async () => {
    const greedy = editor('greedy.sh', 'cat > /dev/null\necho piped > "$1"');
    const r = await runCli(['-server', S], {
      input: 'edit /ed/null\nget /ed/null\n',
      env: { EDITOR: greedy, VISUAL: '' },
    });
    assert.deepEqual([r.stdout, r.stderr, r.code], ['piped\n', 'Updated /ed/null\n', 0]);
  });

  it('a concurrent change is reported with both versions and not overwritten', async () => {
    const racer = editor('race.sh', `'${process.execPath}' '${BIN}' -server ${S} set /ed theirs\necho mine > "$1"`);
    const v = (await zk.exists('/ed'))!.version;
    const r = await edit(racer, ['edit', '/ed']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'edit: /ed was changed by another client while it was being edited; nothing was written\n' +
        `version read: ${v}, version now: ${v + 1} (edit again to start from the new data)\n`,
    );
    assert.equal(await data('/ed'), 'theirs');
  });

  it('binary data is refused unless -b, which edits base64; bad base64 and failing editors write nothing', async () => {
    const bin = await edit(editor('noop.sh', 'true'), ['edit', '/ed/bin']);
    assert.deepEqual(
      [bin.stderr, bin.code],
      ['edit: /ed/bin holds binary data; use edit -b to edit it as base64\n', 1],
    );
    const b64 = await edit(editor('b64.sh', 'echo AAECAw== > "$1"'), ['edit', '-b', '/ed/bin']);
    assert.deepEqual([b64.stderr, b64.code], ['Updated /ed/bin\n', 0]);
    assert.deepEqual([...(await zk.getData('/ed/bin')).data!], [0, 1, 2, 3]);
    const bad = await edit(editor('bad.sh', 'echo "not base64!" > "$1"'), ['edit', '-b', '/ed/bin']);
    assert.deepEqual([bad.stderr, bad.code], ['edit: the edited text is not valid base64; nothing was written\n', 1]);
    const fail = await edit(editor('fail.sh', 'echo changed > "$1"; exit 3'), ['edit', '/ed']);
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /^edit: the editor \(.*fail\.sh\) exited with status 3; nothing was written\n$/);
    assert.equal(await data('/ed'), 'theirs');
    const missing = await edit(editor('noop.sh', 'true'), ['edit', '/ed/nope']);
    assert.deepEqual([missing.stderr, missing.code], ['Node does not exist: /ed/nope\n', 1]);
    const usage = await edit('true', ['edit']);
    assert.deepEqual([usage.stderr, usage.code], ['missing argument: path\nusage: edit [-b] path\n', 2]);
  });
});

describe('mv', () => {
  before(async () => {
    await zk.create('/mv', null);
    await zk.create('/mv/a', Buffer.from('a-data'));
    await zk.create('/mv/a/b', Buffer.from('b-data'), {
      acl: [{ perms: 0x1f, id: { scheme: 'world', id: 'anyone' } }],
    });
    await zk.create('/mv/a/b/c', null);
  });

  it('moves a small subtree in one transaction, keeping data and ACLs', async () => {
    const aclBefore = (await zk.getACL('/mv/a/b')).acl;
    const r = await runCli(['-server', S, '-c', 'cd /mv', '-c', 'mv a renamed']);
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', 'Moved /mv/a to /mv/renamed (3 nodes)\n', 0]);
    assert.equal(await zk.exists('/mv/a'), null);
    assert.equal(await data('/mv/renamed'), 'a-data');
    assert.equal(await data('/mv/renamed/b'), 'b-data');
    assert.deepEqual((await zk.getACL('/mv/renamed/b')).acl, aclBefore);
    assert.equal((await zk.getData('/mv/renamed/b/c')).data, null);
    const json = await runCli(['-server', S, '--format', 'json', 'mv', '/mv/renamed', '/mv/a']);
    assert.deepEqual(JSON.parse(json.stdout), { from: '/mv/renamed', to: '/mv/a', nodes: 3 });
  });

  it('refuses, with the reason and nothing moved: ephemerals, sequence children, into itself, existing target', async () => {
    const cases: [string[], number, RegExp][] = [
      [['mv', '/mv/a', '/mv/a/b/x'], 2, /^mv: cannot move \/mv\/a into itself \(\/mv\/a\/b\/x\)\nusage: mv src dst\n$/],
      [['mv', '/', '/x'], 2, /^mv: cannot move \/\n/],
      [['mv', '/mv/a', '/mv/a/b'], 2, /into itself/],
      [['mv', '/mv/a/b', '/mv/a'], 1, /^Node already exists: \/mv\/a\n$/],
      [['mv', '/mv/nope', '/mv/x'], 1, /^Node does not exist: \/mv\/nope\n$/],
      [['mv', '/mv/a', '/mv/none/x'], 1, /^Node does not exist: \/mv\/none\/x\n$/],
      [['mv', '/mv/a', '/mv/x/'], 2, /^Path must not end with \/ character\n$/],
      [['mv', '/mv/a'], 2, /^missing argument: dst\n/],
      [
        ['-c', 'create -e /mv/a/b/eph', '-c', 'mv /mv/a /mv/x'],
        1,
        /mv: \/mv\/a\/b\/eph is ephemeral \(session 0x[0-9a-f]+\)/,
      ],
      [['-c', 'create -s /mv/a/q-', '-c', 'mv /mv/a /mv/x'], 1, /mv: \/mv\/a\/q-0000000\d{3} has a sequence number/],
    ];
    for (const [args, code, err] of cases) {
      const r = await runCli(['-server', S, ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.replace(/^Created .*\n/, ''), err);
    }
    assert.equal(await data('/mv/a'), 'a-data');
    assert.equal(await zk.exists('/mv/x'), null);
  });

  it('a subtree too big for one multi is copied, verified, then removed leaves first', async () => {
    const nodes = [{ path: '/mv/big', data: Buffer.from('root') }];
    for (let i = 0; i < 30; i++) {
      nodes.push({ path: `/mv/big/d${i}`, data: Buffer.from(`d${i}`) });
      for (let j = 0; j < 20; j++) nodes.push({ path: `/mv/big/d${i}/n${j}`, data: Buffer.from(`${i}.${j}`) });
    }
    await createNodes(zk, nodes);
    const r = await runCli(['-server', S, 'mv', '/mv/big', '/mv/moved']);
    assert.deepEqual([r.stderr, r.code], [`Moved /mv/big to /mv/moved (${nodes.length} nodes)\n`, 0]);
    assert.equal(await zk.exists('/mv/big'), null);
    assert.equal(await data('/mv/moved/d29/n19'), '29.19');
    assert.equal((await zk.getChildren('/mv/moved')).length, 30);
  });
});
