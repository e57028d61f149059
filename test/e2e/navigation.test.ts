// cd/pwd, relative paths, exists and create -p through bin/zk-shell in one-shot, -c, -f and piped modes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';

const env = useCluster(1);
let S = '';
let zk: ZooKeeperClient;
const cli = (args: string[], input?: string): ReturnType<typeof runCli> =>
  runCli(['-server', S, ...args], input === undefined ? {} : { input });

describe('navigation through the binary', () => {
  before(async () => {
    S = env.cluster.connectString;
    zk = (await connectClient(S)).zk;
    await zk.create('/nav', null);
    await zk.create('/nav/app', Buffer.from('app-data'));
    await zk.create('/nav/app/cfg', Buffer.from('cfg-data'));
    await zk.create('/nav/other', Buffer.from('other-data'));
  });

  it('cd then relative paths in every mode: -c, -f script, piped stdin', async () => {
    const lines = ['cd /nav/app', 'pwd', 'get cfg', 'get ../other', 'cd cfg', 'get .', 'cd ..', 'ls .', 'cd -', 'cd'];
    const want = '/nav/app\ncfg-data\nother-data\ncfg-data\n[cfg]\n/nav/app/cfg\n';
    const c = await cli(lines.flatMap((l) => ['-c', l]));
    assert.deepEqual([c.stdout, c.stderr, c.code], [want, '', 0]);
    const piped = await cli([], `${lines.join('\n')}\npwd\n`);
    assert.deepEqual([piped.stdout, piped.stderr, piped.code], [`${want}/\n`, '', 0]);
  });

  it('a script that cds between batched writes resolves each line against the path it was read at', async () => {
    const script = ['cd /nav', 'create b1 x', 'create b1/c y', 'set b1 x2', 'cd b1', 'create d z', 'delete c', 'pwd'];
    for (const batch of [[], ['--no-batch']]) {
      await zk.create('/nav/b1', null).catch(() => undefined);
      await zk.delete('/nav/b1/d').catch(() => undefined);
      await zk.delete('/nav/b1').catch(() => undefined);
      const r = await cli([...batch, '-f', '-'], `${script.join('\n')}\n`);
      assert.deepEqual([r.stdout, r.code], ['/nav/b1\n', 0], r.stderr);
      assert.equal(r.stderr, 'Created /nav/b1\nCreated /nav/b1/c\nCreated /nav/b1/d\n');
      assert.equal((await zk.getData('/nav/b1')).data?.toString(), 'x2');
      assert.deepEqual((await zk.getChildren('/nav/b1')).sort(), ['d']);
    }
  });

  it('cd to a missing node fails with zkCli wording and leaves the path; bad input is one line', async () => {
    const r = await cli(['-c', 'cd /nav', '-c', 'cd nope', '-c', 'pwd']);
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', 'Node does not exist: /nav/nope\n', 1]);
    const kg = await cli(['--keep-going', '-c', 'cd /nav', '-c', 'cd nope', '-c', 'pwd']);
    assert.deepEqual([kg.stdout, kg.code], ['/nav\n', 1]);
    const bad = await cli(['cd', 'a//b']);
    assert.deepEqual(
      [bad.stderr, bad.code],
      ['Invalid path string "/a//b" caused by empty node name specified @3\n', 2],
    );
    const extra = await cli(['cd', '/nav', 'x']);
    assert.deepEqual([extra.stderr, extra.code], ['unexpected argument: x\nusage: cd [path|..|-]\n', 2]);
    assert.deepEqual((await cli(['pwd', 'x'])).code, 2);
  });

  it('a trailing slash (left by Tab completion) reads the node; create keeps it meaningful', async () => {
    const r = await cli(['-c', 'cd /nav/', '-c', 'get app/', '-c', 'ls /nav/app/']);
    assert.deepEqual([r.stdout, r.code], ['app-data\n[cfg]\n', 0], r.stderr);
    const c = await cli(['create', '/nav/slash/']);
    assert.deepEqual([c.stderr, c.code], ['Path must not end with / character\n', 2]);
    const seq = await cli(['create', '-s', '/nav/app/', 'x']);
    assert.match(seq.stderr, /^Created \/nav\/app\/0000000\d{3}\n$/);
  });

  it('with a chroot, / is the chroot', async () => {
    const lines = ['cd cfg', 'pwd', 'get .', 'cd ..', 'pwd', 'get /', 'cd ../..', 'pwd'];
    const r = await runCli(['-server', `${S}/nav/app`, ...lines.flatMap((l) => ['-c', l])]);
    assert.deepEqual([r.stdout, r.stderr, r.code], ['/cfg\ncfg-data\n/\napp-data\n/\n', '', 0]);
  });

  it('connect to another connect string goes back to /; the same one keeps the path', async () => {
    const r = await cli(['-c', 'cd /nav/app', '-c', 'connect', '-c', 'pwd', '-c', `connect ${S}/nav`, '-c', 'pwd']);
    assert.deepEqual([r.stdout, r.code], ['/nav/app\n/\n', 0], r.stderr);
  });

  it('exists: exit 0 or 1 and silent; -s prints the stat; json says which', async () => {
    const yes = await cli(['exists', '/nav/app']);
    assert.deepEqual([yes.stdout, yes.stderr, yes.code], ['', '', 0]);
    const no = await cli(['exists', '/nav/nope']);
    assert.deepEqual([no.stdout, no.stderr, no.code], ['', '', 1]);
    const rel = await cli(['-c', 'cd /nav', '-c', 'exists -s app']);
    assert.match(rel.stdout, /^cZxid = 0x[0-9a-f]+\n[\s\S]*dataLength = 8\nnumChildren = \d+\n$/);
    const json = await cli(['--format', 'json', 'exists', '/nav/nope']);
    assert.deepEqual([JSON.parse(json.stdout), json.code], [{ path: '/nav/nope', exists: false }, 1]);
    const bad = await cli(['exists', '/nav/']);
    assert.equal(bad.code, 0, 'a trailing slash is dropped');
    const malformed = await cli(['exists', '//x']);
    assert.deepEqual([malformed.code, malformed.stdout], [2, '']);
    const missing = await cli(['exists']);
    assert.deepEqual([missing.stderr, missing.code], ['missing argument: path\nusage: exists [-s] path\n', 2]);
  });

  it('create -p makes the missing parents with empty data and the same ACL; an existing node is still an error', async () => {
    const acl = 'world:anyone:cdrwa';
    const r = await cli(['-c', 'cd /nav', '-c', `create -p deep/er/node leaf ${acl}`]);
    assert.deepEqual([r.stderr, r.code], ['Created /nav/deep/er/node\n', 0]);
    for (const p of ['/nav/deep', '/nav/deep/er']) {
      const { data } = await zk.getData(p);
      assert.equal(data?.length, 0, `${p} has empty data`);
      assert.deepEqual((await zk.getACL(p)).acl, (await zk.getACL('/nav/deep/er/node')).acl);
    }
    assert.equal((await zk.getData('/nav/deep/er/node')).data?.toString(), 'leaf');
    const again = await cli(['create', '-p', '/nav/deep/er/node']);
    assert.deepEqual([again.stderr, again.code], ['Node already exists: /nav/deep/er/node\n', 1]);
    const sibling = await cli(['create', '-p', '/nav/deep/er/two']);
    assert.deepEqual([sibling.stderr, sibling.code], ['Created /nav/deep/er/two\n', 0]);
    const bad = await cli(['create', '-p', '/nav/x//y']);
    assert.deepEqual(
      [bad.stderr, bad.code],
      ['Invalid path string "/nav/x//y" caused by empty node name specified @7\n', 2],
    );
    assert.equal(await zk.exists('/nav/x'), null, 'nothing created for a malformed path');
    // Without -p the missing parent is still zkCli's error.
    const plain = await cli(['create', '/nav/none/x']);
    assert.deepEqual([plain.stderr, plain.code], ['Node does not exist: /nav/none/x\n', 1]);
  });

  it('create -p under a parent the user cannot write reports NoAuth and creates nothing more', async () => {
    await zk.create('/nav/ro', null, { acl: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }] });
    const r = await cli(['create', '-p', '/nav/ro/a/b']);
    assert.deepEqual([r.stderr, r.code], ['Insufficient permission : /nav/ro/a\n', 1]);
    assert.deepEqual(await zk.getChildren('/nav/ro'), []);
  });
});
