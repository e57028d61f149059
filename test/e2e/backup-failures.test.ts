// import when things go wrong, through bin/zk-shell against a real server: files that are not whole
// exports are refused naming the line with nothing written; a failure midway (no permission, the server
// killed) gives an exact account and the --skip-existing resume finishes the job.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { freePort, SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { digestAcl, READ_ONLY } from '../helpers/backup-tree.js';
import { createNodes, type NodeSpec } from '../helpers/bulk-create.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir: string;
let S = '';
let good: string[] = [];

const cli = (args: string[], e: Record<string, string> = {}, server = S): ReturnType<typeof runCli> =>
  runCli(['-server', server, ...args], { env: e, timeoutMs: 90000 });
const write = (name: string, text: string | Buffer): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
/** Nodes under a path, itself included; 0 when it does not exist. */
const count = async (p: string): Promise<number> => ((await zk.exists(p)) ? 1 + (await zk.getAllChildrenNumber(p)) : 0);

describe('import failures', () => {
  before(async () => {
    S = env.cluster.connectString;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-backup-f-'));
    zk = (await connectClient(S)).zk;
    await zk.addAuth('digest', SUPER_AUTH);
    await createNodes(zk, [
      { path: '/bf', data: Buffer.from('x') },
      { path: '/bf/a' },
      { path: '/bf/a/b' },
      { path: '/bf/c' },
    ]);
    const r = await cli(['export', '/bf']);
    assert.equal(r.code, 0, r.stderr);
    good = r.stdout.trimEnd().split('\n');
    assert.equal(good.length, 6);
  });
  after(async () => {
    await zk?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a zk:// side whose hosts refuse fails at once with exit 3 (it waited 15 s)', async () => {
    const port = await freePort();
    for (const args of [
      ['cp', '-R', '/bf', `zk://127.0.0.1:${port}/copy`],
      ['diff', '/bf', `zk://127.0.0.1:${port},127.0.0.1:${port}/bf`],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`^cannot connect to zk://127\\.0\\.0\\.1:${port}\\S*: .*ECONNREFUSED.*\n$`));
      assert.ok(r.ms < 5000, `${args[0]} took ${r.ms} ms`);
    }
  });

  it('an export stopped by Ctrl-C leaves the older file of that name as it was, and no partial file', async () => {
    const nodes: NodeSpec[] = [{ path: '/slowexp' }];
    for (let i = 0; i < 2000; i++) nodes.push({ path: `/slowexp/n${i}`, data: Buffer.from(`value ${i}`) });
    await createNodes(zk, nodes);
    const target = write('slow.jsonl', 'an older export\n');
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: env.cluster.servers[0]!.cfg.clientPort });
    try {
      proxy.drip(1024, 10);
      const child = spawn(process.execPath, [BIN, '-server', proxy.address, 'export', '/slowexp', '-o', target]);
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', r));
      await until(() => proxy.forwarded().toClient > 20_000, 'the export under way', 30000);
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      assert.equal(fs.readFileSync(target, 'utf8'), 'an older export\n');
      assert.deepEqual(
        fs.readdirSync(dir).filter((f) => f.includes('partial')),
        [],
      );
    } finally {
      await proxy.close();
    }
  });

  it('export -o over an existing file keeps its mode and owner, and writes through a symlink (/dev/stdout is one)', async () => {
    // Renaming the temporary file over a symlink replaced the link itself: as root, `-o /dev/stdout`
    // with stdout redirected to a file turned /dev/stdout into a regular file. And a 0600 export became 0644.
    const secret = write('secret.jsonl', 'an older export\n');
    fs.chmodSync(secret, 0o600);
    // Run as root (CI containers), the file is someone else's: it must stay theirs.
    if (process.getuid?.() === 0) fs.chownSync(secret, 65534, 65534);
    const owner = fs.statSync(secret).uid;
    const real = write('real.jsonl', 'an older export\n');
    const link = path.join(dir, 'latest.jsonl');
    fs.symlinkSync(real, link);
    for (const f of [secret, link]) assert.equal((await cli(['export', '/bf', '-o', f])).code, 0);
    assert.equal(fs.statSync(secret).mode & 0o777, 0o600);
    assert.equal(fs.statSync(secret).uid, owner);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readFileSync(real, 'utf8').trimEnd().split('\n').length, good.length);
  });

  it('a truncated, corrupted, newer or foreign file is refused naming the line, with nothing written', async () => {
    const lines = (l: string[]): string => `${l.join('\n')}\n`;
    const gz = zlib.gzipSync(lines(good));
    const cases: [string, string | Buffer, RegExp][] = [
      [
        'cut-mid-line.jsonl',
        lines(good).slice(0, lines(good.slice(0, 3)).length + 20),
        /line 4: not valid JSON \(the file is truncated or corrupted\)/,
      ],
      [
        'no-end.jsonl',
        lines(good.slice(0, 4)),
        /line 5: the file ends after line 4 without its end record \(truncated\)/,
      ],
      [
        'bad-base64.jsonl',
        lines([...good.slice(0, 2), good[2]!.replace('"data":null', '"data":"@@"'), ...good.slice(3)]),
        /line 3: "data" is not base64 or null/,
      ],
      [
        'garbage.jsonl',
        lines([...good.slice(0, 3), '\u0000\u0001garbage', ...good.slice(3)]),
        /line 4: not valid JSON \(the file is truncated or corrupted\)/,
      ],
      [
        'orphan.jsonl',
        lines([good[0]!, good[1]!, good[3]!, good[2]!, ...good.slice(4)]),
        /line 3: "a\/b" comes before its parent/,
      ],
      [
        'count.jsonl',
        lines([...good.slice(0, 5), good[5]!.replace('"nodes":4', '"nodes":5')]),
        /line 6: the end record counts 5 nodes, the file has 4/,
      ],
      [
        'future.jsonl',
        lines([good[0]!.replace('"version":1', '"version":2'), ...good.slice(1)]),
        /line 1: written in format version 2 by a newer zk-shell; this one reads version 1/,
      ],
      [
        // A byte that is not UTF-8 in a name (read as U+FFFD) or an escaped control character: names the server
        // refuses, which were written up to that node (exit 2, no line named).
        'not-utf8.jsonl',
        Buffer.concat([
          Buffer.from(lines(good.slice(0, 3))),
          Buffer.from('{"path":"a/x'),
          Buffer.from([0xc3]),
          Buffer.from(`",${good[3]!.slice(good[3]!.indexOf('"data"'))}\n${lines(good.slice(4))}`),
        ]),
        /line 4: bad relative path "a\/x\uFFFD": a character ZooKeeper refuses \(is the file UTF-8\?\)/,
      ],
      [
        'control-char.jsonl',
        lines([...good.slice(0, 4), good[4]!.replace('"path":"c"', '"path":"c\\u0001"'), good[5]!]),
        /line 5: bad relative path "c\\u0001": a character ZooKeeper refuses/,
      ],
      ['text.jsonl', 'hello world\n', /line 1: not a zk-shell export \(the first line is not a JSON header\)/],
      ['other.json', '{"a":1}\n', /line 1: not a zk-shell export \(no "format":"zk-shell-export"\)/],
      ['empty.jsonl', '', /line 1: the file is empty: not a zk-shell export/],
      [
        'cut.jsonl.gz',
        gz.subarray(0, gz.length - 12),
        /line \d+: (the gzip data is truncated or corrupted|the file ends after)/,
      ],
    ];
    for (const [name, text, why] of cases) {
      const f = write(name, text);
      const r = await cli(['import', f, '/bf-dest']);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, '', name);
      assert.match(r.stderr, new RegExp(`^${f.replace(/[.]/g, '\\.')}: ${why.source}; nothing was written\\n$`), name);
      assert.equal(await zk.exists('/bf-dest'), null, name);
      const d = await cli(['diff', f, '/bf']);
      assert.equal(d.code, 2, `diff ${name}: ${d.stderr}`);
    }
    // A data dir side that is missing or holds no ZooKeeper files: one line, diff's trouble exit, no internal error.
    for (const side of [`data:${path.join(dir, 'no-such-dir')}`, `data:${dir}`]) {
      const bad = await cli(['diff', side, '/bf']);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /^(cannot open data dir .*: ENOENT|no ZooKeeper snapshot or transaction log in .*)\n$/);
      const c = await cli(['cp', '-R', `${side}:/bf`, '/bf-dest']);
      assert.equal(c.code, 2, c.stderr);
      assert.doesNotMatch(c.stderr, /internal error/);
    }
    const missing = await cli(['import', path.join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^cannot read .*nope\.jsonl: ENOENT\n/);
    // A FIFO (or <(zcat …)): its first bytes were read at offset 0 to spot gzip, an internal error (exit 70).
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // The writer is a child we can kill: opening a FIFO waits for the other end, and a thread of ours that
    // waited there would keep this test process from exiting.
    const writer = spawn('sh', ['-c', 'cat > "$0"', fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.on('error', () => {});
    writer.stdin.end(lines(good));
    try {
      const r = await cli(['import', fifo, '/bf-dest']);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`cannot read ${fifo}: not a regular file (save it to a file first)\n`), r.stderr);
    } finally {
      writer.kill();
    }
    assert.equal(await zk.exists('/bf-dest'), null);
  });

  it('permission denied midway: what was written, the first failure, and the resume that finishes', async () => {
    const nodes: NodeSpec[] = [{ path: '/perm' }];
    for (let i = 0; i < 3000; i++) nodes.push({ path: `/perm/a${String(i).padStart(4, '0')}` });
    nodes.push({ path: '/perm/locked' }, { path: '/perm/locked/c' });
    for (let i = 0; i < 500; i++) nodes.push({ path: `/perm/z${i}` });
    await createNodes(zk, nodes);
    await zk.setACL('/perm/locked', READ_ONLY);
    const file = path.join(dir, 'perm.jsonl');
    assert.equal((await cli(['export', '/perm', '-o', file])).code, 0);
    const r = await cli(['import', file, '/perm2']);
    assert.equal(r.code, 1);
    const m =
      /^import: not preserved: .*\nimport stopped: (\d+) nodes created and 0 updated for certain\nfirst failure: Insufficient permission : \/perm2\/locked\/c\nto resume once the cause is fixed: import \S+perm\.jsonl \/perm2 --skip-existing \(nodes already written are recognised as unchanged\)\n$/.exec(
        r.stderr,
      );
    assert.ok(m, r.stderr);
    assert.equal(Number(m[1]), await count('/perm2'), 'the count said is the count written');
    // The failing multi is undone whole: the batches before it are what was written.
    assert.ok(Number(m[1]) >= 3000 && Number(m[1]) < nodes.length, m[1]);
    const resumed = await cli(['import', file, '/perm2', '--skip-existing'], { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}` });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /^import: \d+ created, 0 updated, \d+ unchanged/);
    const d = await cli(['diff', '/perm', '/perm2'], { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}` });
    assert.equal(d.code, 0, d.stdout + d.stderr);
  });

  it('export: an unreadable node is named, and the file says its subtree is missing too', async () => {
    // One node the client may not read (a digest ACL), one over --max-buffer; each has a child.
    await createNodes(zk, [
      { path: '/eu' },
      { path: '/eu/a', data: Buffer.from('1') },
      { path: '/eu/big', data: Buffer.alloc(3000, 120) },
      { path: '/eu/big/kid' },
      { path: '/eu/z' },
    ]);
    await zk.create('/eu/locked', null, { acl: digestAcl() });
    await zk.create('/eu/locked/c1', null, { acl: digestAcl() });
    const file = path.join(dir, 'eu.jsonl');
    const r = await cli(['--max-buffer', '2000', 'export', '/eu', '-o', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      'reply of 3088 bytes exceeds the client limit of 2000 (raise with --max-buffer): /eu/big\n' +
        'Insufficient permission : /eu/locked\n' +
        '2 nodes could not be read: they and the nodes below them are missing from the export (first: /eu/big)\n',
    );
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      lines.slice(1, -1).map((l) => (JSON.parse(l) as { path: string }).path),
      ['', 'a', 'z'],
    );
    assert.deepEqual(JSON.parse(lines.at(-1)!), {
      end: true,
      nodes: 3,
      maxMzxid: JSON.parse(lines.at(-1)!).maxMzxid,
      unreadable: 2,
    });
    // What was read restores.
    const back = await cli(['import', file, '/eu-back']);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(await count('/eu-back'), 3);
  });

  it('the server killed midway: certain and unknown writes are named, and the resume finishes', async () => {
    const nodes: NodeSpec[] = [{ path: '/big' }];
    for (let i = 0; i < 40; i++) {
      nodes.push({ path: `/big/g${i}` });
      for (let j = 0; j < 500; j++) nodes.push({ path: `/big/g${i}/n${j}`, data: Buffer.from(`value ${i} ${j}`) });
    }
    await createNodes(zk, nodes);
    const file = path.join(dir, 'big.jsonl');
    assert.equal((await cli(['export', '/big', '-o', file])).code, 0);
    const proxy: FaultProxy = await startFaultProxy({
      host: '127.0.0.1',
      port: env.cluster.servers[0]!.cfg.clientPort,
    });
    try {
      proxy.drip(4096, 5);
      let finished = false;
      const run = cli(['-timeout', '3000', 'import', file, '/big2'], {}, proxy.address).finally(() => {
        finished = true;
      });
      await until(() => finished || proxy.forwarded().toServer > 400_000, 'the import under way', 30000);
      assert.ok(!finished, 'the import was still running');
      await env.cluster.servers[0]!.kill();
      const r = await run;
      assert.equal(r.code, 3, r.stderr);
      const m =
        /import stopped: (\d+) nodes created and 0 updated for certain\n(?:(\d+) writes were in requests whose outcome is unknown \(the connection was lost\)\n)?to resume once the cause is fixed: import \S+ \/big2 --skip-existing/.exec(
          r.stderr,
        );
      assert.ok(m, r.stderr);
      await env.cluster.servers[0]!.restart();
      // The test's own session went with the server: a new one.
      await zk.close().catch(() => undefined);
      zk = (await connectClient(S)).zk;
      const written = await count('/big2');
      assert.ok(written >= Number(m[1]) && written <= Number(m[1]) + Number(m[2] ?? 0), `${written} vs ${r.stderr}`);
      assert.ok(written < nodes.length, 'stopped midway');
    } finally {
      await proxy.close();
    }
    const resumed = await cli(['import', file, '/big2', '--skip-existing']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const d = await cli(['diff', '/big', '/big2']);
    assert.equal(d.code, 0);
  });
});
