// Inside a multi the server (3.8) stores an ACL id's characters beyond U+FFFF as U+FFFD; a plain create keeps
// them. Writers that batch (import, cp, scripts) send such creates alone; txn and mv refuse them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import type { ACL } from '../../src/zk/jute/records.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir: string;
const cli = (args: string[], input?: string): ReturnType<typeof runCli> =>
  runCli(['-server', env.cluster.connectString, ...args], {
    env: { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}` },
    timeoutMs: 60000,
    ...(input !== undefined ? { input } : {}),
  });
const EMOJI: ACL[] = [
  { perms: 31, id: { scheme: 'world', id: 'anyone' } },
  { perms: 1, id: { scheme: 'digest', id: 'r😀b:hash' } },
];
const aclOf = async (p: string): Promise<ACL[]> => (await zk.getACL(p)).acl;

describe('ACL ids beyond U+FFFF', () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-bmp-'));
    zk = (await connectClient(env.cluster.connectString)).zk;
    await zk.addAuth('digest', SUPER_AUTH);
    await zk.create('/bmp', null);
    await zk.create('/bmp/a', Buffer.from('a'));
    await zk.create('/bmp/a/e', Buffer.from('e'), { acl: EMOJI });
    await zk.create('/bmp/a/e/kid', Buffer.from('k'));
    await zk.create('/bmp/z', Buffer.from('z'));
  });
  after(async () => {
    await zk?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('export, import and cp keep them (the create goes alone, in order)', async () => {
    const file = path.join(dir, 'bmp.jsonl');
    assert.equal((await cli(['export', '/bmp', '-o', file])).code, 0);
    const im = await cli(['import', file, '/bmp-back']);
    assert.equal(im.code, 0, im.stderr);
    assert.deepEqual(await aclOf('/bmp-back/a/e'), EMOJI);
    assert.equal((await zk.getData('/bmp-back/a/e/kid')).data?.toString(), 'k');
    const cp = await cli(['cp', '-R', '/bmp', '/bmp-copy']);
    assert.equal(cp.code, 0, cp.stderr);
    assert.deepEqual(await aclOf('/bmp-copy/a/e'), EMOJI);
    const d = await cli(['diff', '/bmp', '/bmp-copy']);
    assert.equal(d.code, 0, d.stdout);
  });

  it('a script runs such a create alone; txn and mv refuse it with nothing written', async () => {
    const s = await cli(
      [],
      'create /bmp-s1 x\ncreate /bmp-s2 y digest:r😀b:hash:r,world:anyone:cdrwa\ncreate /bmp-s3 z\n',
    );
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(await aclOf('/bmp-s2'), [
      { perms: 1, id: { scheme: 'digest', id: 'r😀b:hash' } },
      { perms: 31, id: { scheme: 'world', id: 'anyone' } },
    ]);
    assert.ok(await zk.exists('/bmp-s3'));
    const txnFile = path.join(dir, 'txn');
    fs.writeFileSync(txnFile, 'create /bmp-t1 a\ncreate /bmp-t2 b digest:r😀b:hash:r\n');
    const t = await cli(['txn', '-f', txnFile]);
    assert.equal(t.code, 1);
    assert.match(t.stderr, /^txn: line 2: the ACL has a character beyond U\+FFFF, .*; nothing was sent\n$/);
    assert.equal(await zk.exists('/bmp-t1'), null);
    const mv = await cli(['mv', '/bmp/a', '/bmp-moved']);
    assert.equal(mv.code, 1);
    assert.match(mv.stderr, /^mv: \/bmp\/a\/e: its ACL has a character beyond U\+FFFF, .*nothing was moved/);
    assert.equal(await zk.exists('/bmp-moved'), null);
  });
});
