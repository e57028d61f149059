// cd/pwd, relative paths, exists and create -p through bin/zk-shell in one-shot, -c, -f and piped modes;
// and the search commands after cd.
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

// tree, find, grep, du and count after `cd`: the two halves of issue 10 (navigation and search) were built
// apart, so these check where they meet: the default path, `..`, and -path globs; and that a pattern typed
// at the prompt cannot hang the shell.
/** Runs the lines as a piped script (each after the ones before it, so a `cd` applies to the rest). */
const piped = (...lines: string[]): ReturnType<typeof runCli> =>
  runCli(['-server', env.cluster.connectString], {
    input: `${lines.join('\n')}\n`,
    env: { LC_ALL: 'C.UTF-8' },
    timeoutMs: 60000,
  });

describe('search commands after cd', () => {
  before(async () => {
    const zk = (await connectClient(env.cluster.connectString)).zk;
    await zk.create('/sc', null);
    await zk.create('/sc/svc', null);
    for (const s of ['one', 'two']) {
      await zk.create(`/sc/svc/${s}`, Buffer.from(`port 9092 ${s}`));
      await zk.create(`/sc/svc/${s}/config`, Buffer.from('cfg'));
    }
    await zk.create('/sc/other', Buffer.from('port 1'));
    await zk.create(`/sc/${'a'.repeat(30)}!`, Buffer.from(`${'a'.repeat(30)}!`));
    await zk.create('/sc/v[1] (x)', null);
    await zk.create('/sc/v[1] (x)/kid', null);
  });

  it('with no path, tree, find, grep, du and count work on the current path', async () => {
    const r = await piped('cd /sc/svc', 'tree --ascii', 'find', 'grep -l port', 'du -d 0', 'count');
    assert.deepEqual([r.stderr, r.code], ['', 0]);
    assert.equal(
      r.stdout,
      [
        '/sc/svc',
        '|-- one',
        '|   `-- config',
        '`-- two',
        '    `-- config',
        ...['/sc/svc', '/sc/svc/one', '/sc/svc/two', '/sc/svc/one/config', '/sc/svc/two/config'],
        ...['/sc/svc/one', '/sc/svc/two'],
        '32\t5\t/sc/svc',
        '4',
        '',
      ].join('\n'),
    );
  });

  it('a -path glob written relative to the current path matches, as find(1) with ./ and ../', async () => {
    const r = await piped(
      'cd /sc/svc/one',
      "find .. -path '../*'",
      "find -path './config'",
      "find /sc -path '/sc/*'",
      "find /sc -path '**/config'",
    );
    assert.deepEqual([r.stderr, r.code], ['', 0]);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), [
      ...['/sc/svc/one', '/sc/svc/two'],
      '/sc/svc/one/config',
      ...[`/sc/${'a'.repeat(30)}!`, '/sc/other', '/sc/svc', '/sc/v[1] (x)'],
      // A glob that starts with a wildcard is left as it is: it may match anywhere.
      ...['/sc/svc/one/config', '/sc/svc/two/config'],
    ]);
    // A literal first name is relative too (an absolute path never starts without /).
    const rel = await piped('cd /sc/svc', "find -path 'two/*'");
    assert.deepEqual([rel.stdout, rel.code], ['/sc/svc/two/config\n', 0]);
    // The current path's own names are matched as written, even with glob characters in them.
    const odd = await piped("cd '/sc/v[1] (x)'", "find -path './*'", "find .. -path '../v*'");
    assert.deepEqual([odd.stdout, odd.code], ['/sc/v[1] (x)/kid\n/sc/v[1] (x)\n', 0]);
  });

  it('a pattern that backtracks exponentially still finishes (grep -E, find -regex)', async () => {
    // (a+)+$ on 30 a's and a '!' takes minutes of backtracking, and Ctrl-C cannot stop a running match.
    const t0 = Date.now();
    const r = await piped('cd /sc', "find -regex '/sc/(a+)+'", "grep -E '(a+)+$'");
    assert.deepEqual([r.stdout, r.stderr, r.code], ['', '', 1], 'nothing matches: find exits 0, grep 1');
    assert.ok(Date.now() - t0 < 20000, `took ${Date.now() - t0} ms`);
  });
});
