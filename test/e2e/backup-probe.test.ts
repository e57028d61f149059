// cp, diff and import as an operator drives them: relative sides after `cd` in a script, and a resume line
// after a failure midway that repeats the options the run was given (credentials, --no-acl, --overwrite).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { Perms } from '../../src/zk/protocol.js';
import { readTreeBatches, isFailure, type TreeReader } from '../../src/backup/source.js';
import { READ_ONLY } from '../helpers/backup-tree.js';
import { createNodes } from '../helpers/bulk-create.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir: string;
let S = '';
const cli = (args: string[], e: Record<string, string> = {}, stdin?: string): ReturnType<typeof runCli> =>
  runCli(['-server', S, ...args], { env: e, timeoutMs: 60000, ...(stdin === undefined ? {} : { input: stdin }) });

describe('backup commands as an operator uses them', () => {
  before(async () => {
    S = env.cluster.connectString;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-backup-p-'));
    zk = (await connectClient(S)).zk;
    await zk.addAuth('digest', SUPER_AUTH);
    await createNodes(zk, [
      { path: '/op', data: Buffer.from('root') },
      { path: '/op/app', data: Buffer.from('a') },
      { path: '/op/app/x', data: Buffer.from('x') },
      { path: '/op/app/y' },
    ]);
  });
  after(async () => {
    await zk?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cp and diff resolve relative sides against the current node (cd) in a script', async () => {
    const script = ['cd /op', 'cp -R app app-copy', 'diff app ./app-copy', 'cd app', 'diff ../app zk:///op/app-copy'];
    const r = await cli([], {}, script.join('\n') + '\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^cp: 3 created, 0 updated/);
    assert.equal((await zk.getData('/op/app-copy/x')).data?.toString(), 'x');
    await zk.setData('/op/app-copy/x', Buffer.from('changed'));
    const d = await cli([], {}, 'cd /op/app-copy\ndiff -q /op/app .\n');
    assert.equal(d.code, 1, d.stderr);
    assert.equal(d.stdout, '~ /x: data\n');
  });

  it('a stopped import says how to resume with the options it was given (--no-acl, --overwrite)', async () => {
    const file = path.join(dir, 'op app.jsonl');
    assert.equal((await cli(['export', '/op/app', '-o', file])).code, 0);
    // The destination's node is read-only: the import stops there.
    await zk.create('/op/dst', Buffer.from('old'), { acl: READ_ONLY });
    const r = await cli(['import', '--no-acl', '--overwrite', file, '/op/dst']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^first failure: Insufficient permission : \/op\/dst/m);
    assert.ok(
      r.stderr.includes(`to resume once the cause is fixed: import --no-acl '${file}' /op/dst --overwrite (`),
      r.stderr,
    );
  });

  it('a stopped cp says how to resume with its credential and TLS options, never the secret', async () => {
    await zk.create('/op/vault', null, {
      acl: [{ perms: Perms.READ, id: { scheme: 'digest', id: ZooKeeperClient.digest('carol:right') } }],
    });
    const e = { CAROL: 'digest:carol:WRONG-SECRET' };
    const r = await cli(['cp', '-R', '--auth-env', 'CAROL', '/op/app', `zk://${S}/op/vault/app`], e);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(
      r.stderr.includes(
        `to resume once the cause is fixed: cp -R --auth-env CAROL /op/app zk://${S}/op/vault/app --skip-existing (`,
      ),
      r.stderr,
    );
    assert.ok(!(r.stdout + r.stderr).includes('WRONG-SECRET'));
  });

  it('export with ACLs holds a bounded number of data bytes read ahead, not a window of 2000 nodes', async () => {
    const big = Buffer.alloc(100 * 1024, 1);
    await createNodes(zk, [
      { path: '/op/mem' },
      ...Array.from({ length: 60 }, (_, i) => ({ path: `/op/mem/n${i}`, data: big })),
    ]);
    // Data bytes the reader has received from the server, against the bytes the consumer has taken.
    let received = 0;
    const reader: TreeReader = {
      getChildren: (p) => zk.getChildren(p),
      getACL: (p) => zk.getACL(p),
      getData: async (p) => {
        const r = await zk.getData(p);
        received += r.data?.length ?? 0;
        return r;
      },
      multiRead: async (ops) => {
        const res = await zk.multiRead(ops);
        for (const r of res) if (r.type === 'getData') received += r.data?.length ?? 0;
        return res;
      },
    };
    let consumed = 0;
    let held = 0;
    let records = 0;
    for await (const batch of readTreeBatches(reader, '/op/mem', { acl: true, windowBytes: 1024 * 1024 })) {
      held = Math.max(held, received - consumed);
      for (const r of batch) {
        assert.ok(!isFailure(r));
        consumed += r.data?.length ?? 0;
        records++;
      }
    }
    assert.equal(records, 61);
    // The walk's read-ahead and the ACL queue each stay near 1 MB (plus the node that crossed the line).
    assert.ok(held <= 3 * 1024 * 1024, `held ${held} bytes`);
  });
});
