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
});
