// diff and cp with a data dir as one side (data:DIR[@ZXID][:/PATH]): what changed since a zxid, and a
// subtree restored from the server's own files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir = '';
let before1 = '';

describe('diff and cp against a data dir', () => {
  before(async () => {
    ({ zk } = await connectClient(env.cluster.connectString));
    dir = `${env.cluster.servers[0]!.cfg.dir}/data`;
    await zk.create('/d', null);
    const { stat } = await zk.create2('/d/a', Buffer.from('a1'));
    before1 = `0x${stat.czxid.toString(16)}`;
    await zk.setData('/d/a', Buffer.from('a2'));
    await zk.create('/d/b', Buffer.from('b'));
  });

  it('diff data:DIR@ZXID PATH: what changed since then; the newest state equals the live tree', async () => {
    const S = env.cluster.connectString;
    const then = await runCli(['-server', S, 'diff', '--no-acl', `data:${dir}@${before1}`, '/d']);
    assert.equal(then.code, 1, then.stderr);
    assert.match(then.stdout, /^~ \/a: data$/m);
    assert.match(then.stdout, /^\+ \/b$/m);
    const now = await runCli(['-server', S, 'diff', '--no-acl', '-q', `data:${dir}:/d`, '/d']);
    assert.equal(now.code, 0, now.stdout + now.stderr);
  });

  it('cp -R data:DIR@ZXID:/PATH restores the subtree as it was; a data dir is never a destination', async () => {
    const S = env.cluster.connectString;
    const r = await runCli(['-server', S, 'cp', '-R', `data:${dir}@${before1}:/d`, '/restored']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await zk.getData('/restored/a')).data?.toString(), 'a1');
    assert.equal(await zk.exists('/restored/b'), null);
    const into = await runCli(['-server', S, 'cp', '/d', `data:${dir}:/x`]);
    assert.equal(into.code, 2);
    assert.match(into.stderr, /a data dir is read-only/);
    const bad = await runCli(['-server', S, 'diff', 'data:@0x1', '/d']);
    assert.equal(bad.code, 2);
  });

  it('export from a data dir at a zxid, then import: the subtree as it was, back on the server', async () => {
    const S = env.cluster.connectString;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-offline-export-')), 'd.jsonl');
    const ex = await runCli(['--data-dir', dir, '--zxid', before1, 'export', '/d', '-o', file]);
    assert.equal(ex.code, 0, ex.stderr);
    const im = await runCli(['-server', S, 'import', file, '/from-disk']);
    assert.equal(im.code, 0, im.stderr);
    assert.equal((await zk.getData('/from-disk/a')).data?.toString(), 'a1');
    assert.equal(await zk.exists('/from-disk/b'), null);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('an export from a data dir carries container and TTL kinds, and cp from it recreates them', async () => {
    await zk.create('/k', null);
    await zk.create('/k/box', Buffer.from('c'), { mode: CreateMode.CONTAINER });
    await zk.create('/k/box/in', null);
    await zk.create('/k/ttl', Buffer.from('t'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 3_600_000 });
    const ex = await runCli(['--data-dir', dir, 'export', '--no-acl', '/k']);
    assert.equal(ex.code, 0, ex.stderr);
    const kinds = ex.stdout
      .trimEnd()
      .split('\n')
      .slice(1, -1)
      .map((l) => JSON.parse(l) as { path: string; kind: string; ttl?: number })
      .map((r) => `${r.path}:${r.kind}${r.ttl === undefined ? '' : `:${r.ttl}`}`);
    assert.deepEqual(kinds, [':persistent', 'box:container', 'box/in:persistent', 'ttl:ttl:3600000']);
    const S = env.cluster.connectString;
    // Against the live tree, which cannot see those kinds, nothing differs.
    const same = await runCli(['-server', S, 'diff', `data:${dir}`, '/k']);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const cp = await runCli(['-server', S, 'cp', '-R', `data:${dir}:/k`, '/k-copy']);
    assert.equal(cp.code, 0, cp.stderr);
    // Containers and TTL nodes look persistent to a client; the data dir shows what cp created.
    const back = await runCli(['--data-dir', dir, 'export', '--no-acl', '/k-copy']);
    assert.match(back.stdout, /"path":"box","data":"Yw==","kind":"container"/);
    assert.match(back.stdout, /"path":"ttl","data":"dA==","kind":"ttl","ttl":3600000/);
    // One node (no -R) keeps its kind too.
    for (const [from, to] of [
      ['/k/box', '/box-alone'],
      ['/k/ttl', '/ttl-alone'],
    ]) {
      const one = await runCli(['-server', S, 'cp', `data:${dir}:${from}`, to!]);
      assert.equal(one.code, 0, one.stderr);
    }
    const alone = await runCli(['--data-dir', dir, 'export', '--no-acl', '/']);
    assert.match(alone.stdout, /"path":"box-alone","data":"Yw==","kind":"container"/);
    assert.match(alone.stdout, /"path":"ttl-alone","data":"dA==","kind":"ttl","ttl":3600000/);
  });
});
