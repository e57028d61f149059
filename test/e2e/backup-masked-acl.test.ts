// Without ADMIN permission on a node, the server answers getACL with digest ids masked (alice:x). Written back,
// such an ACL locks alice out: export says so and exits 1, import and cp refuse to write it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { Perms } from '../../src/zk/protocol.js';
import { ALICE, digestAcl } from '../helpers/backup-tree.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir: string;
const SUPER = { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}` };
const cli = (args: string[], e: Record<string, string> = {}): ReturnType<typeof runCli> =>
  runCli(['-server', env.cluster.connectString, ...args], { env: e, timeoutMs: 60000 });
// Alice may do anything; everyone may read, but only alice (or super) sees her digest.
const SHARED = [...digestAcl(), { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

describe('digest ACLs the server masks', () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-masked-'));
    zk = (await connectClient(env.cluster.connectString)).zk;
    await zk.addAuth('digest', SUPER_AUTH);
    await zk.create('/mk', Buffer.from('root'));
    await zk.create('/mk/n', Buffer.from('alice data'), { acl: SHARED });
    await zk.create('/mk/n/kid', Buffer.from('kid'));
  });
  after(async () => {
    await zk?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('export writes what the server gave, names the node and exits 1; as super it is whole', async () => {
    const file = path.join(dir, 'masked.jsonl');
    const r = await cli(['export', '/mk', '-o', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      '1 node has a digest ACL the server masked (no ADMIN permission on it): the export holds user:x for it, ' +
        'which import refuses (first: /mk/n); export as their admin (the digest user) or super, or with --no-acl\n',
    );
    const n = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('{"path":"n"'));
    assert.match(n ?? '', /"id":"alice:x"/);
    const whole = await cli(['export', '/mk', '-o', path.join(dir, 'whole.jsonl')], SUPER);
    assert.equal(whole.code, 0, whole.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'whole.jsonl'), 'utf8'), /"id":"alice:[A-Za-z0-9+/]{27}="/);
  });

  it('import refuses the masked ACL at its line with nothing written; --no-acl restores the data', async () => {
    const file = path.join(dir, 'masked.jsonl');
    const r = await cli(['import', file, '/mk-back'], SUPER);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^\S+masked\.jsonl: line 3: the ACL of "n" holds digest:alice:x, a digest the server masked .*import --no-acl; nothing was written\n$/,
    );
    assert.equal(await zk.exists('/mk-back'), null);
    const plain = await cli(['import', '--no-acl', file, '/mk-back'], SUPER);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal((await zk.getData('/mk-back/n/kid')).data?.toString(), 'kid');
  });

  it('diff compares a masked digest by user and perms, and says so', async () => {
    const note =
      "diff: 1 node's digest ACLs were masked by the server (no ADMIN permission) and compared by user and perms only\n";
    for (const file of ['whole.jsonl', 'masked.jsonl']) {
      const r = await cli(['diff', '/mk', path.join(dir, file)]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', note], file);
    }
    // Another user is a difference, masked or not.
    const other = fs
      .readFileSync(path.join(dir, 'whole.jsonl'), 'utf8')
      .replace(/"id":"alice:[^"]+"/, '"id":"bob:AAAAAAAAAAAAAAAAAAAAAAAAAAA="');
    fs.writeFileSync(path.join(dir, 'bob.jsonl'), other);
    const r = await cli(['diff', '/mk', path.join(dir, 'bob.jsonl')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '~ /n: acl\n');
    // Only the masked entry loses its hash: bob's unmasked digest next to it is still compared in full.
    const bob = { perms: Perms.READ, id: { scheme: 'digest', id: 'bob:BBBBBBBBBBBBBBBBBBBBBBBBBBB=' } };
    await zk.create('/mk2', Buffer.from('root'));
    await zk.create('/mk2/n', Buffer.from('alice data'), { acl: [...SHARED, bob] });
    await zk.create('/mk2/n/kid', Buffer.from('kid'));
    const acl = [
      { scheme: 'digest', id: 'alice:x', perms: 'cdrwa' },
      { scheme: 'digest', id: 'bob:CCCCCCCCCCCCCCCCCCCCCCCCCCC=', perms: 'r' },
      { scheme: 'world', id: 'anyone', perms: 'r' },
    ];
    const mixed = fs
      .readFileSync(path.join(dir, 'whole.jsonl'), 'utf8')
      .split('\n')
      .map((l) => (l.startsWith('{"path":"n"') ? JSON.stringify({ ...JSON.parse(l), acl }) : l))
      .join('\n');
    fs.writeFileSync(path.join(dir, 'mixed.jsonl'), mixed);
    const m = await cli(['diff', '/mk2', path.join(dir, 'mixed.jsonl')], SUPER);
    assert.deepEqual([m.code, m.stdout], [1, '~ /n: acl\n'], m.stderr);
  });

  it('cp leaves out the masked node and its subtree, says so, and copies the rest', async () => {
    await zk.create('/mk/other', Buffer.from('o'));
    const r = await cli(['cp', '-R', '/mk', '/mk-copy']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /\n1 source node could not be read: it and the nodes below it were not copied\n {2}\/mk\/n: the server masked its digest ACL \(no ADMIN permission on it\)\n$/,
    );
    assert.equal((await zk.getData('/mk-copy/other')).data?.toString(), 'o');
    assert.equal(await zk.exists('/mk-copy/n'), null);
    const one = await cli(['cp', '/mk/n', '/mk-one']);
    assert.equal(one.code, 1);
    // cp has no --no-acl to suggest; a masked root with -R is refused the same way, before anything is written.
    assert.equal(
      one.stderr,
      '/mk/n: the server masked its digest ACL (no ADMIN permission on it); nothing was copied: ' +
        'copy it as its admin (the digest user) or super\n',
    );
    const rootR = await cli(['cp', '-R', '/mk/n', '/mk-one']);
    assert.equal(rootR.code, 1);
    assert.equal(rootR.stderr, one.stderr);
    assert.equal(await zk.exists('/mk-one'), null);
    // Alice sees her own digest: her copy keeps the ACL.
    const alice = await cli(['cp', '/mk/n', '/mk-alice'], { ZK_SHELL_AUTH: `digest:${ALICE}` });
    assert.equal(alice.code, 0, alice.stderr);
    assert.deepEqual((await zk.getACL('/mk-alice')).acl, SHARED);
  });

  it('mv refuses a node whose ACL the server masked, rather than lock its user out', async () => {
    await zk.create('/mk-mv', Buffer.from(''));
    await zk.create('/mk-mv/leaf', Buffer.from('l'), { acl: SHARED });
    const r = await cli(['mv', '/mk-mv/leaf', '/mk-mv/moved']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mv: \/mk-mv\/leaf: the server masked its digest ACL .*nothing was moved\n$/);
    assert.equal(await zk.exists('/mk-mv/moved'), null);
    assert.deepEqual((await zk.getACL('/mk-mv/leaf')).acl, SHARED);
  });
});
