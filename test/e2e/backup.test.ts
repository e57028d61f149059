// export, import, cp and diff through bin/zk-shell between two real servers: the round trip keeps
// everything a client can see, cp across clusters leaves nothing for diff to report, conflicts change nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { ALICE, buildBackupTree, digestAcl, DEEP, WIDE } from '../helpers/backup-tree.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const A = useCluster(1);
const B = useCluster(1);
let a: ZooKeeperClient;
let b: ZooKeeperClient;
let dir: string;
let total = 0;
const SUPER = { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}` };
const LONG = { timeoutMs: 120000 };

const cli = (server: string, args: string[], env: Record<string, string> = SUPER): ReturnType<typeof runCli> =>
  runCli(['-server', server, ...args], { env, ...LONG });

describe('backups between two servers', () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-backup-'));
    a = (await connectClient(A.cluster.connectString)).zk;
    b = (await connectClient(B.cluster.connectString)).zk;
    await a.addAuth('digest', SUPER_AUTH);
    await b.addAuth('digest', SUPER_AUTH);
    total = await buildBackupTree(a, '/rt');
  });
  after(async () => {
    await a?.close();
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('export → import into an empty server → diff', () => {
    it('reports nothing, for every kind of node, and keeps data and ACLs exactly', async () => {
      const file = path.join(dir, 'rt.jsonl.gz');
      const ex = await cli(A.cluster.connectString, ['export', '/rt', '-o', file]);
      assert.equal(ex.code, 0, ex.stderr);
      assert.match(
        ex.stdout,
        new RegExp(`^exported ${total} nodes from /rt to .*rt\\.jsonl\\.gz \\(highest mzxid 0x[0-9a-f]+\\)\\n$`),
      );
      const im = await cli(B.cluster.connectString, ['import', file]);
      assert.equal(im.code, 0, im.stderr);
      assert.match(im.stdout, new RegExp(`^import: ${total} created, 0 updated, 0 unchanged`));
      assert.match(im.stderr, /not preserved: ctime\/mtime, zxids, versions, cversion and sequence counters/);
      assert.match(im.stderr, /3 sequential-named nodes were recreated under their names as persistent/);

      const d = await cli(A.cluster.connectString, ['diff', '/rt', `zk://${B.cluster.connectString}/rt`]);
      assert.equal(d.code, 0, d.stderr);
      assert.equal(d.stdout, '');
      const df = await cli(B.cluster.connectString, ['diff', file, '/rt']);
      assert.equal(df.code, 0, df.stderr + df.stdout);

      // Checked directly, not only by our own diff.
      for (const p of [
        '/rt/binary',
        '/rt/empty',
        '/rt/null',
        '/rt/名前 ü',
        '/rt/with space',
        '/rt/alice/inner',
        '/rt/ttl',
      ]) {
        const [x, y] = await Promise.all([a.getData(p), b.getData(p)]);
        assert.deepEqual(y.data ?? Buffer.alloc(0), x.data ?? Buffer.alloc(0), p);
        assert.deepEqual((await b.getACL(p)).acl, (await a.getACL(p)).acl, p);
      }
      assert.deepEqual((await b.getACL('/rt/alice')).acl, digestAcl());
      assert.deepEqual((await b.getChildren('/rt/seq')).sort(), (await a.getChildren('/rt/seq')).sort());
      assert.equal((await b.getChildren('/rt/wide')).length, WIDE);
      assert.equal(await b.getAllChildrenNumber('/rt/deep'), DEEP - 1);
      assert.equal(await b.getAllChildrenNumber('/rt'), total - 1);
    });

    it('a second import changes nothing and says every node is unchanged', async () => {
      const file = path.join(dir, 'rt2.jsonl');
      assert.equal((await cli(A.cluster.connectString, ['export', '/rt', '-o', file])).code, 0);
      const im = await cli(B.cluster.connectString, ['import', file, '--dry-run']);
      assert.equal(im.code, 0, im.stderr);
      assert.match(im.stdout, new RegExp(`^dry run: 0 to create, 0 to update, ${total} unchanged, 0 conflicts`));
    });

    it('--exclude leaves out subtrees by name or path; stdout and --no-acl work too', async () => {
      const r = await cli(A.cluster.connectString, ['export', '/rt', '--no-acl', '--exclude', 'wide,/rt/deep/d0']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      const header = JSON.parse(lines[0]!) as { format: string; version: number; root: string; acl: boolean };
      assert.deepEqual([header.format, header.version, header.root, header.acl], ['zk-shell-export', 1, '/rt', false]);
      const end = JSON.parse(lines.at(-1)!) as { end: boolean; nodes: number };
      assert.equal(end.nodes, total - (WIDE + 1) - (DEEP - 1));
      assert.equal(lines.length, end.nodes + 2);
      assert.ok(!lines.some((l) => l.includes('"acl":[')));
      assert.match(r.stderr, new RegExp(`^exported ${end.nodes} nodes from /rt \\(highest mzxid 0x[0-9a-f]+\\)\n$`));
      const file = path.join(dir, 'noacl.jsonl');
      fs.writeFileSync(file, r.stdout);
      const im = await cli(B.cluster.connectString, ['import', file, '/noacl']);
      assert.equal(im.code, 0, im.stderr);
      assert.deepEqual((await b.getACL('/noacl/alice')).acl, [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
      assert.equal(await b.exists('/noacl/wide'), null);
    });

    it('diff names added, removed and changed nodes with a data diff, exit 1; -q and JSON too', async () => {
      await a.create('/dx', Buffer.from('l1\nl2\nl3\n'));
      await a.create('/dx/gone', null);
      await b.create('/dx', Buffer.from('l1\nL2\nl3\n'), { acl: digestAcl() });
      await b.create('/dx/new', null);
      const url = `zk://${B.cluster.connectString}/dx`;
      const d = await cli(A.cluster.connectString, ['diff', '/dx', url]);
      assert.equal(d.code, 1);
      assert.equal(
        d.stdout,
        [
          '~ /: data,acl',
          '    @@ -1,3 +1,3 @@',
          '     l1',
          '    -l2',
          '    +L2',
          '     l3',
          '- /gone',
          '+ /new',
          '',
        ].join('\n'),
      );
      assert.equal(d.stderr, `/dx and ${url} differ: 1 added, 1 removed, 1 changed\n`);
      const q = await cli(A.cluster.connectString, ['diff', '-q', '--no-acl', '/dx', url]);
      assert.equal(q.stdout, '~ /: data\n- /gone\n+ /new\n');
      const j = await cli(A.cluster.connectString, ['--format', 'json', 'diff', '--data-only', '/dx', url]);
      assert.equal(j.code, 1);
      assert.deepEqual(
        j.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as unknown),
        [
          { change: 'changed', path: '/', fields: ['data'] },
          { change: 'removed', path: '/gone' },
          { change: 'added', path: '/new' },
          { summary: { added: 1, removed: 1, changed: 1 } },
        ],
      );
      const same = await cli(A.cluster.connectString, ['diff', '/dx', '/dx']);
      assert.equal(same.code, 0);
      for (const bad of [
        ['diff', '/dx'],
        ['diff', '/dx', '/nope'],
        ['--format', 'table', 'diff', '/dx', '/dx'],
      ]) {
        const r = await cli(A.cluster.connectString, bad);
        assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
        assert.equal(r.stdout, '');
      }
    });
  });

  describe('cp between clusters', () => {
    it('copies a subtree, then diff across clusters reports nothing', async () => {
      const r = await cli(A.cluster.connectString, [
        'cp',
        '-R',
        '/rt/wide',
        `zk://${B.cluster.connectString}/copies/wide`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^cp: ${WIDE + 1} created, .*; 1 missing parents of /copies/wide created`));
      const d = await cli(A.cluster.connectString, ['diff', '/rt/wide', `zk://${B.cluster.connectString}/copies/wide`]);
      assert.equal(d.code, 0, d.stderr + d.stdout);
    });

    it('copies what it can read, and says an unreadable node was left out with its subtree', async () => {
      await a.create('/cu', null);
      await a.create('/cu/ok', Buffer.from('ok'));
      await a.create('/cu/locked', null, { acl: digestAcl() });
      await a.create('/cu/locked/inner', null, { acl: digestAcl() });
      // Not as super: the source's digest ACL denies this client.
      const r = await cli(A.cluster.connectString, ['cp', '-R', '/cu', `zk://${B.cluster.connectString}/cu`], {});
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /\n1 source node could not be read: it and the nodes below it were not copied\n {2}Insufficient permission : \/cu\/locked\n$/,
      );
      assert.equal((await b.getData('/cu/ok')).data?.toString(), 'ok');
      assert.equal(await b.exists('/cu/locked'), null);
    });

    it('into an existing tree without --overwrite changes nothing and names the conflicts', async () => {
      await a.create('/cc', Buffer.from('one'));
      await a.create('/cc/k', Buffer.from('same'));
      assert.equal(
        (await cli(A.cluster.connectString, ['cp', '-R', '/cc', `zk://${B.cluster.connectString}/cc`])).code,
        0,
      );
      await a.setData('/cc/k', Buffer.from('changed'));
      await a.create('/cc/added', null);
      const r = await cli(A.cluster.connectString, ['cp', '-R', '/cc', `zk://${B.cluster.connectString}/cc`]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr
          .split('\n')
          .filter((l) => !l.startsWith('cp: not preserved'))
          .join('\n'),
        '1 existing node under /cc differs; nothing was written (--overwrite replaces them, --skip-existing keeps them)\n  /cc/k: data\n',
      );
      assert.equal(await b.exists('/cc/added'), null);
      assert.equal((await b.getData('/cc/k')).data?.toString(), 'same');
      const o = await cli(A.cluster.connectString, [
        'cp',
        '-R',
        '--overwrite',
        '/cc',
        `zk://${B.cluster.connectString}/cc`,
      ]);
      assert.equal(o.code, 0, o.stderr);
      assert.match(o.stdout, /^cp: 1 created, 1 updated, 1 unchanged/);
      assert.equal((await cli(A.cluster.connectString, ['diff', '/cc', `zk://${B.cluster.connectString}/cc`])).code, 0);
    });

    it('import sends large values a few to a multi (the server keeps its last 500 transactions in memory)', async () => {
      await a.create('/bv', null);
      for (let i = 0; i < 10; i++) await a.create(`/bv/n${i}`, Buffer.alloc(60_000, 0x61));
      const file = path.join(dir, 'bv.jsonl');
      assert.equal((await cli(A.cluster.connectString, ['export', '/bv', '-o', file])).code, 0);
      const im = await cli(B.cluster.connectString, ['import', file]);
      assert.equal(im.code, 0, im.stderr);
      const czxids = new Set(
        await Promise.all((await b.getChildren('/bv')).map(async (c) => (await b.exists(`/bv/${c}`))!.czxid)),
      );
      // Batches of up to 512 KiB put eight 60 KB values in one transaction; 128 KiB puts two.
      assert.equal(czxids.size, 5);
    });

    it('import over existing nodes reads them in batches and names one that differs and one it may not read', async () => {
      await b.create('/ic', null);
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => b.create(`/ic/n${String(i).padStart(3, '0')}`, Buffer.from(`v${i}`))),
      );
      const file = path.join(dir, 'ic.jsonl');
      assert.equal((await cli(B.cluster.connectString, ['export', '/ic', '-o', file], {})).code, 0);
      await b.setData('/ic/n007', Buffer.from('changed'));
      await b.setACL('/ic/n150', digestAcl());
      const r = await cli(B.cluster.connectString, ['import', file], {});
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^2 existing nodes under \/ic differ; nothing was written \(.*\)\n {2}\/ic\/n007: data\n {2}\/ic\/n150: unreadable\n/m,
      );
      assert.equal((await b.getData('/ic/n007')).data?.toString(), 'changed');
    });

    it('takes the other side’s credentials from a variable or a file, never the command line', async () => {
      await b.create('/bob', null, { acl: digestAcl() });
      const dst = `zk://${B.cluster.connectString}/bob/x`;
      const denied = await cli(A.cluster.connectString, ['cp', '/rt/binary', dst], {});
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /Insufficient permission/);
      const byEnv = await cli(A.cluster.connectString, ['cp', '/rt/binary', dst, '--auth-env', 'ALICE_AUTH'], {
        ALICE_AUTH: `digest:${ALICE}`,
      });
      assert.equal(byEnv.code, 0, byEnv.stderr);
      const pw = path.join(dir, 'alice.auth');
      fs.writeFileSync(pw, `digest:${ALICE}\n`);
      const byFile = await cli(A.cluster.connectString, ['cp', '/rt/binary', dst, '--auth-file', pw], {});
      assert.equal(byFile.code, 0, byFile.stderr);
      assert.match(byFile.stdout, /^cp: 0 created, 0 updated, 1 unchanged/);
      for (const r of [denied, byEnv, byFile]) assert.ok(!(r.stdout + r.stderr).includes('alice-secret'));
      const missing = await cli(A.cluster.connectString, ['cp', '/rt/binary', dst, '--auth-env', 'NOT_SET_X'], {});
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /environment variable NOT_SET_X is not set or empty/);
    });

    it('refuses to copy a subtree into itself', async () => {
      const r = await cli(A.cluster.connectString, ['cp', '-R', '/cc', '/cc/inner']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot copy \/cc into itself/);
    });
  });
});
