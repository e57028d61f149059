import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { TooLargeError } from '../../src/zk/errors.js';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';
import { curatorDiscovery, kafkaLayout, lockLayout, wideNode } from '../helpers/shapes.js';

// Production-shaped trees through bin/zk-shell, checked node by node against what the builders made.
const env = useCluster(1);
let S = '';
let zk: ZooKeeperClient;
const cli = (...args: string[]): ReturnType<typeof runCli> => runCli(['-server', S, ...args], { timeoutMs: 120000 });

/** The server's `mntr` figure `name`. */
async function mntr(name: string): Promise<number> {
  const [host, port] = S.split(':');
  const m = new RegExp(`${name}\\s+(\\d+)`).exec(await fourLetterWord(host!, Number(port), 'mntr'));
  return Number(m![1]);
}

/**
 * Waits until only this file's own session is connected. A one-shot exits without waiting for its
 * closeSession's reply, and that close is a transaction: landing during the next command's walk, it would change
 * the zxid the walk's counts are checked against (the walk then lists every node, as it should).
 */
const othersClosed = (): Promise<void> =>
  until(async () => (await mntr('zk_global_sessions')) === 1, 'the other sessions to close');

/** Every node of a subtree with its ACL, read with the client (pipelined). */
async function acls(paths: readonly string[]): Promise<string[]> {
  const out = await Promise.all(
    paths.map(async (p) => (await zk.getACL(p)).acl.map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`).join(',')),
  );
  return out;
}

describe('whole-tree commands on production-shaped trees', () => {
  before(async () => {
    S = env.cluster.connectString;
    zk = (await connectClient(S)).zk;
  });

  it(
    'Curator discovery (60 x 500 long names): ls -R lists every path in order, setAcl -R and deleteall reach every node',
    { timeout: 180000 },
    async () => {
      const paths = await curatorDiscovery(zk, '/disco', { services: 60, instances: 500 });
      assert.equal(paths.length, 30062);
      const ls = await cli('ls', '-R', '/disco');
      assert.equal(ls.code, 0, ls.stderr);
      assert.equal(ls.stderr, '');
      assert.deepEqual(ls.stdout.split('\n').slice(0, -1), paths, 'ls -R lists exactly the built tree, in zkCli order');

      const json = await cli('--format', 'json', 'ls', '-R', '/disco');
      assert.equal(json.code, 0, json.stderr);
      assert.deepEqual(JSON.parse(json.stdout).paths, paths);

      const set = await cli('setAcl', '-R', '/disco', 'world:anyone:cdr');
      assert.equal(set.code, 0, set.stderr);
      assert.ok(
        (await acls(paths)).every((a) => a === 'world:anyone:13'),
        'every node has the new ACL',
      );

      const del = await cli('deleteall', '/disco');
      assert.equal(del.code, 0, del.stderr);
      assert.equal(await zk.exists('/disco'), null);
    },
  );

  it('Kafka and lock layouts: ls -R matches node by node', { timeout: 60000 }, async () => {
    const kafka = await kafkaLayout(zk, '/kafka', { topics: 200, partitions: 12 });
    const locks = await lockLayout(zk, '/locks', { resources: 10, contenders: 600 });
    for (const [root, paths] of [
      ['/kafka', kafka],
      ['/locks', locks],
    ] as const) {
      const ls = await cli('ls', '-R', root);
      assert.equal(ls.code, 0, ls.stderr);
      assert.deepEqual(ls.stdout.split('\n').slice(0, -1), paths, root);
    }
    assert.equal((await cli('deleteall', '/kafka')).code, 0);
    assert.equal((await cli('deleteall', '/locks')).code, 0);
  });

  it(
    'a 60,000-child node with long names: ls works by default; a lower --max-buffer says so (not ConnectionLoss)',
    { timeout: 120000 },
    async () => {
      const paths = await wideNode(zk, '/wide', { children: 60000, nameLength: 40 });
      const ls = await cli('ls', '/wide');
      assert.equal(ls.code, 0, ls.stderr);
      const names = ls.stdout.trim().slice(1, -1).split(', ');
      assert.equal(names.length, 60000);
      assert.deepEqual(
        names,
        paths.slice(1).map((p) => p.slice('/wide/'.length)),
      );

      const small = await cli('--max-buffer', '1048575', 'ls', '/wide');
      assert.equal(small.code, 1);
      assert.equal(small.stdout, '');
      assert.match(
        small.stderr,
        /^reply of \d+ bytes exceeds the client limit of 1048575 \(raise with --max-buffer\): \/wide\n$/,
      );

      // zkCli's way to raise the limit: jute.maxbuffer in the client configuration file; and the environment.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-cfg-'));
      const cfg = path.join(dir, 'client.properties');
      fs.writeFileSync(cfg, 'jute.maxbuffer=1048575\n');
      const viaCfg = await runCli(['-server', S, '-client-configuration', cfg, 'ls', '/wide'], { timeoutMs: 60000 });
      assert.equal(viaCfg.code, 1);
      assert.match(viaCfg.stderr, /exceeds the client limit of 1048575/);
      fs.writeFileSync(cfg, 'jute.maxbuffer=4194304\n');
      assert.equal(
        (await runCli(['-server', S, '-client-configuration', cfg, 'ls', '/wide'], { timeoutMs: 60000 })).code,
        0,
      );
      const viaEnv = await runCli(['-server', S, 'ls', '/wide'], {
        env: { ZK_SHELL_MAX_BUFFER: '1M' },
        timeoutMs: 60000,
      });
      assert.equal(viaEnv.code, 1);
      assert.match(viaEnv.stderr, /limit of 1048576/);
      fs.rmSync(dir, { recursive: true, force: true });

      // The walk falls back to single listings when one batch would be too large; ls -R of the wide node works too.
      const lsR = await cli('--max-buffer', '4M', 'ls', '-R', '/wide');
      assert.equal(lsR.code, 0, lsR.stderr);
      assert.deepEqual(lsR.stdout.split('\n').slice(0, -1), paths, 'ls -R prints every path, in order');
      // Its children are all leaves: counted, not listed one by one (120 multiReads of 500 paths before).
      await othersClosed();
      const before = await mntr('zk_packets_received');
      const counted = await cli('ls', '-R', '/wide');
      assert.deepEqual(counted.stdout.split('\n').slice(0, -1), paths);
      const sent = (await mntr('zk_packets_received')) - before;
      assert.ok(sent < 40, `ls -R of the 60,000 leaves took ${sent} requests`);
      const tree = await cli('tree', '/wide');
      assert.equal(tree.code, 0, tree.stderr);
      assert.equal(tree.stdout.split('\n').filter((l) => l.includes('w00')).length, 60000);
      assert.equal((await cli('deleteall', '/wide')).code, 0);
    },
  );

  it('a request over the server limit is refused before sending, naming the limit; the session goes on', async () => {
    const big = Buffer.alloc(1048576, 0x61);
    await assert.rejects(
      zk.create('/too-big', big),
      (e: unknown) => e instanceof TooLargeError && /server's limit of 1048575 bytes/.test(e.message),
    );
    const longPath = `/${'p'.repeat(1048576)}`;
    await assert.rejects(zk.create(longPath, null), TooLargeError);
    assert.equal(zk.state, 'CONNECTED');
    assert.equal(await zk.exists('/too-big'), null);
    // Through the binary: a script line with 1 MiB of data (argv could not carry it).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-big-'));
    const script = path.join(dir, 'big.zk');
    fs.writeFileSync(script, `create /too-big ${'a'.repeat(1048576)}\ncreate /after-big x\n`);
    const r = await cli('--keep-going', '-f', script);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^request of \d+ bytes exceeds the server's limit of 1048575 bytes .*: \/too-big\nCreated \/after-big\n$/,
    );
    assert.ok(r.stderr.length < 400, 'the 1 MiB line is not echoed');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ls -R reports a subtree it cannot read and exits 1 (it printed nothing and exited 0)', async () => {
    await zk.create('/guarded', null);
    await zk.create('/guarded/open', null);
    await zk.create('/guarded/open/leaf', null);
    // Its child is what the listing misses: a leaf it may not read is no error once counted (next test).
    await zk.create('/guarded/secret', null);
    await zk.create('/guarded/secret/inner', null);
    await zk.setACL('/guarded/secret', [
      { perms: 31, id: { scheme: 'digest', id: ZooKeeperClient.digest('owner:pw') } },
    ]);
    await zk.create('/guarded/z', null);
    const ls = await cli('ls', '-R', '/guarded');
    assert.equal(ls.code, 1);
    assert.equal(ls.stdout, '/guarded\n/guarded/open\n/guarded/secret\n/guarded/z\n/guarded/open/leaf\n');
    assert.equal(
      ls.stderr,
      'Insufficient permission : /guarded/secret\n1 node could not be listed; the listing is incomplete\n',
    );
    const json = await cli('--format', 'json', 'ls', '-R', '/guarded');
    assert.equal(json.code, 1);
    const doc = JSON.parse(json.stdout);
    assert.deepEqual(doc.errors, [
      { path: '/guarded/secret', error: 'NOAUTH', message: 'Insufficient permission : /guarded/secret' },
    ]);
    assert.equal(doc.paths.length, 5);
  });

  it('leaves it may not read, shown to be leaves by the count: listed in full, no error, exit 0', async () => {
    // No READ: a listing of one fails (the build before the counts reported each and exited 1), but the
    // server's count shows they have no children, so the output is complete.
    await zk.create('/noread', null);
    const noRead = [{ perms: 31 & ~1, id: { scheme: 'world', id: 'anyone' } }];
    const kids = Array.from({ length: 1000 }, (_, i) => `/noread/k${String(i).padStart(4, '0')}`);
    await zk.multi(kids.map((path) => ({ type: 'create' as const, path, data: null, acl: noRead })));
    assert.ok((await zk.serverNodeCount()) <= 8 * 1000, 'the wide node is an eighth of the server: it is counted');
    for (const args of [
      ['ls', '-R', '/noread'],
      ['find', '/noread'],
    ]) {
      await othersClosed();
      const r = await cli(...args);
      assert.deepEqual([r.code, r.stderr], [0, ''], args.join(' '));
      assert.deepEqual(r.stdout.split('\n').slice(0, -1), ['/noread', ...kids], args.join(' '));
    }
    assert.equal((await cli('deleteall', '/noread')).code, 0);
  });

  it('deleteall names a subtree it may not read as such, not as "Node not empty"', async () => {
    await zk.create('/dn', null);
    await zk.create('/dn/open', null);
    await zk.create('/dn/secret', null);
    await zk.create('/dn/secret/kid', null);
    await zk.setACL('/dn/secret', [{ perms: 31, id: { scheme: 'digest', id: ZooKeeperClient.digest('owner:pw') } }]);
    const r = await cli('deleteall', '/dn');
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Failed to delete some node(s) in the subtree! (2 of 3 left)\n' +
        '  Insufficient permission : /dn/secret\n  Node not empty: /dn\n',
    );
    assert.deepEqual(await zk.getChildren('/dn'), ['secret']);
  });

  it('deleteall leaves only what it names: a parent held up by a refused batch is deleted after', async () => {
    // Post-order with -b 3: [p0/k0 (refused: p0 has no DELETE), p0, p1/c0] [p1, /rf]. The second multi,
    // already in flight, meets p1/c0 before the first one's halves delete it; p1 was named and left behind.
    const noDelete = [{ perms: 31 & ~8, id: { scheme: 'world', id: 'anyone' } }];
    await zk.create('/rf', null);
    await zk.create('/rf/p0', null, { acl: noDelete });
    await zk.create('/rf/p0/k0', null);
    await zk.create('/rf/p1', null);
    await zk.create('/rf/p1/c0', null);
    const r = await cli('deleteall', '/rf', '-b', '3');
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'Failed to delete some node(s) in the subtree! (3 of 5 left)\n' +
        '  Insufficient permission : /rf/p0/k0\n  Node not empty: /rf\n  Node not empty: /rf/p0\n',
    );
    assert.deepEqual((await zk.getChildren('/rf')).sort(), ['p0']);
    await zk.setACL('/rf/p0', [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    assert.equal((await cli('deleteall', '/rf')).code, 0);
  });
});
