import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { BIN, runCli } from '../helpers/run-cli.js';

// Batched scripts must give exactly the results of running their lines one by one (--no-batch).
const env = useCluster(1, { properties: { 'zookeeper.enforceQuota': 'true' } });
let S = '';
let zk: ZooKeeperClient;
const cli = (args: string[], input?: string): ReturnType<typeof runCli> =>
  runCli(['-server', S, ...args], { timeoutMs: 60000, ...(input !== undefined ? { input } : {}) });

/** The subtree as "path=data" lines (sequential names included), for node-by-node comparison. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const { data } = await zk.getData(p);
    out.push(`${p.slice(root.length) || '/'}=${data?.toString('latin1') ?? 'null'}`);
    for (const c of (await zk.getChildren(p)).sort()) await visit(`${p}/${c}`);
  };
  if (await zk.exists(root)) await visit(root);
  return out;
}

describe('script batching keeps one-by-one semantics', () => {
  before(async () => {
    S = env.cluster.connectString;
    zk = (await connectClient(S)).zk;
  });

  it('consecutive writes really travel as one transaction (all created nodes share one czxid); --no-batch does not', async () => {
    for (const [flag, root] of [
      ['', '/tx-b'],
      ['--no-batch', '/tx-s'],
    ] as const) {
      await zk.create(root, null);
      const lines = Array.from({ length: 100 }, (_, i) => `create ${root}/n${i}`).join('\n');
      const r = await cli([...(flag ? [flag] : []), '-f', '-'], `${lines}\n`);
      assert.equal(r.code, 0, r.stderr);
      const czxids = new Set(
        await Promise.all((await zk.getChildren(root)).map(async (c) => (await zk.exists(`${root}/${c}`))!.czxid)),
      );
      assert.equal(czxids.size, flag ? 100 : 1, root);
    }
  });

  it(
    'creates under a hard count quota fail at the same line as one by one (100 batched creates all succeeded)',
    { timeout: 60000 },
    async () => {
      for (const mode of ['batched', 'single'] as const) {
        const root = `/quota-${mode}`;
        await zk.create(root, null);
        const q = await cli(['setquota', '-N', '100', root]);
        assert.equal(q.code, 0, q.stderr);
        const lines = Array.from({ length: 105 }, (_, i) => `create ${root}/c${i} x`).join('\n');
        const r = await cli(
          mode === 'batched' ? ['--keep-going', '-f', '-'] : ['--no-batch', '--keep-going', '-f', '-'],
          `${lines}\n`,
        );
        assert.equal(r.code, 1, mode);
        const refused = r.stderr.split('\n').filter((l) => l.startsWith('Quota has exceeded'));
        // The quota counts the node itself: 99 children fit, the 100th line is refused, as zkCli does.
        assert.deepEqual(
          refused,
          [99, 100, 101, 102, 103, 104].map((i) => `Quota has exceeded : ${root}/c${i}`),
          mode,
        );
        assert.equal((await zk.getChildren(root)).length, 99, mode);
      }
    },
  );

  it('large values go a few to a multi: the server keeps its last 500 transactions in memory', async () => {
    // Ten 60 KB values went as one 600 KB transaction (batches up to 900 KB): the server then held ~3× each such
    // transaction for its last 500, hundreds of MB more than the same lines one by one.
    await zk.create('/bigvals', null);
    const value = 'v'.repeat(60_000);
    const lines = Array.from({ length: 10 }, (_, i) => `create /bigvals/n${i} ${value}`).join('\n');
    const r = await cli(['-f', '-'], `${lines}\n`);
    assert.equal(r.code, 0, r.stderr.slice(0, 300));
    const czxids = new Set(
      await Promise.all((await zk.getChildren('/bigvals')).map(async (c) => (await zk.exists(`/bigvals/${c}`))!.czxid)),
    );
    assert.equal(czxids.size, 5, 'two 60 KB creates per transaction (128 KiB)');
  });

  it('a byte quota too', async () => {
    await zk.create('/bq', null);
    assert.equal((await cli(['setquota', '-B', '100', '/bq'])).code, 0);
    const lines = Array.from({ length: 12 }, (_, i) => `create /bq/n${i} 0123456789`).join('\n');
    const r = await cli(['--keep-going', '-f', '-'], `${lines}\n`);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.stderr.split('\n').filter((l) => l.startsWith('Quota')),
      ['Quota has exceeded : /bq/n10', 'Quota has exceeded : /bq/n11'],
    );
  });

  it('a failure in a later batch stops the script there: batches read ahead never run (--keep-going runs them)', async () => {
    // 3,000 creates are three multis; the next batch is read while one is on the wire, and must wait for it.
    for (const [flag, root] of [
      ['', '/ahead-stop'],
      ['--keep-going', '/ahead-go'],
    ] as const) {
      await zk.create(root, null);
      await zk.create(`${root}/n1500`, null);
      const lines = Array.from({ length: 3000 }, (_, i) => `create ${root}/n${i}`).join('\n');
      const r = await cli([...(flag ? [flag] : []), '-f', '-'], `${lines}\n`);
      assert.equal(r.code, 1, r.stderr.slice(-500));
      // In the order of the lines: a batch goes while the one ahead of it prints, and prints after it.
      const created = (from: number, to: number): string[] =>
        Array.from({ length: to - from }, (_, i) => `Created ${root}/n${from + i}`);
      assert.deepEqual(r.stderr.trimEnd().split('\n'), [
        ...created(0, 1500),
        `Node already exists: ${root}/n1500`,
        ...(flag ? created(1501, 3000) : []),
      ]);
      const kids = new Set(await zk.getChildren(root));
      assert.equal(kids.size, flag ? 3000 : 1501, root);
      if (!flag) assert.ok(kids.has('n1499') && !kids.has('n1501') && !kids.has('n2999'));
    }
  });

  it(
    'batch size counts ACL bytes: 201 creates with 251-entry ACLs all apply (overflowed jute.maxbuffer)',
    { timeout: 60000 },
    async () => {
      // 250 ip entries plus one that lets this test read the nodes back.
      const acl = [
        'ip:127.0.0.1:cdrwa',
        ...Array.from({ length: 250 }, (_, i) => `ip:10.0.${i >> 8}.${i & 255}:r`),
      ].join(',');
      await zk.create('/acls', null);
      const lines = Array.from({ length: 201 }, (_, i) => `create /acls/n${i} x ${acl}`).join('\n');
      const r = await cli(['-f', '-'], `${lines}\n`);
      assert.equal(r.code, 0, r.stderr.slice(0, 500));
      assert.equal((await zk.getChildren('/acls')).length, 201);
      assert.equal((await zk.getACL('/acls/n200')).acl.length, 251);
    },
  );

  it(
    'random scripts: batched and one by one give the same output, exit code and tree',
    { timeout: 240000 },
    async () => {
      let run = 0;
      const line = fc.oneof(
        fc
          .tuple(fc.constantFrom('a', 'b', 'a/x', 'b/y', 'c', 'a/x/z'), fc.constantFrom('', ' d1', ' "two words"'))
          .map(([p, d]) => `create R/${p}${d}`),
        fc.constantFrom('a', 'b', 'a/x').map((p) => `create -s R/${p}/s- q`),
        fc.tuple(fc.constantFrom('a', 'b', 'a/x', 'c'), fc.constantFrom('v1', 'v2')).map(([p, d]) => `set R/${p} ${d}`),
        fc.tuple(fc.constantFrom('a', 'b', 'a/x'), fc.constantFrom(0, 1, -1)).map(([p, v]) => `set -v ${v} R/${p} vv`),
        fc.constantFrom('a', 'b', 'a/x', 'c', 'a/x/z').map((p) => `delete R/${p}`),
        fc.constantFrom('get R/a', 'ls R', 'create R/a/bad\\ name', 'delete R/zzz'),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 25 }), fc.boolean(), async (lines, keepGoing) => {
          run++;
          const results: { out: string; err: string; code: number | null; tree: string[] }[] = [];
          for (const mode of ['batched', 'single']) {
            const root = `/prop-${run}-${mode}`;
            await zk.create(root, null);
            const script = lines.map((l) => l.replaceAll('R/', `${root}/`).replaceAll(/ R$/g, ` ${root}`)).join('\n');
            const args = [
              ...(mode === 'single' ? ['--no-batch'] : []),
              ...(keepGoing ? ['--keep-going'] : []),
              '-f',
              '-',
            ];
            const r = await cli(args, `${script}\n`);
            results.push({
              out: r.stdout.replaceAll(root, 'R'),
              err: r.stderr.replaceAll(root, 'R'),
              code: r.code,
              tree: await snapshot(root),
            });
          }
          assert.deepEqual(results[0], results[1], lines.join('\n'));
        }),
        { numRuns: 25, seed: 424242 },
      );
    },
  );

  it('history, redo -1 and zkCli quirks in a piped script', async () => {
    const r = await cli(['-f', '-'], 'ls /\ncreate /hist x world:anyone:cdrwa f g h\nhistory\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 - ls \/\n1 - create \/hist x world:anyone:cdrwa f g h\n2 - history\n$/);
    assert.equal((await zk.getData('/hist')).data?.toString(), 'x', 'words after the ACL are ignored, as zkCli');
    const redo = await cli(['-c', 'ls /hist', '-c', 'redo -1']);
    assert.deepEqual([redo.stderr, redo.code], ['Command index out of range\n', 1]);
  });

  it('numbers are range-checked as zkCli parses them; quota warnings for hard limits', async () => {
    await zk.create('/qn', Buffer.from('123456789'));
    const big = await cli(['setquota', '-n', '99999999999999999999', '/qn']);
    assert.deepEqual(
      [big.stderr.split('\n')[0], big.code],
      ['NumberFormatException happens when parsing the option value', 2],
    );
    const int = await cli(['setquota', '-N', '2147483648', '/qn']);
    assert.equal(int.code, 2);
    const warn = await cli(['setquota', '-B', '5', '/qn']);
    assert.equal(warn.code, 0, warn.stderr);
    assert.equal(warn.stdout, '[Warning]: the bytes quota you create is less than the existing bytes:9\n');
    await zk.create('/qc', null);
    await zk.create('/qc/a', null);
    await zk.create('/qc/b', null);
    const warnN = await cli(['setquota', '-N', '2', '/qc']);
    assert.equal(warnN.stdout, '[Warning]: the count quota you create is less than the existing count:3\n');
    // A relative prefix resolves against the current path; an empty one is still malformed.
    const eph = await cli(['getEphemerals', '']);
    assert.deepEqual([eph.stdout, eph.stderr, eph.code], ['', 'Path must start with / character\n', 2]);
    const hex = await cli(['reconfig', '-v', 'zz', '-remove', '3']);
    assert.equal(hex.code, 2);
    assert.match(hex.stderr, /-v takes a config version in hex/);
    const wrap = await cli(['reconfig', '-v', '8000000000000000', '-remove', '3']);
    assert.equal(wrap.code, 2, 'a version over Long.MAX_VALUE is refused, never wrapped');
    const ok = await cli(['reconfig', '-v', '100000000', '-remove', '3']);
    assert.equal(
      ok.stderr,
      'KeeperErrorCode = Reconfig is disabled\n',
      'hex 100000000 is a valid version; the standalone server refuses reconfig itself',
    );
  });

  it('deleteall / under a chroot deletes a user node named zookeeper and leaves the real /zookeeper', async () => {
    await zk.create('/chr', null);
    await zk.create('/chr/zookeeper', null);
    await zk.create('/chr/zookeeper/x', null);
    await zk.create('/chr/app', null);
    const r = await runCli(['-server', `${S}/chr`, 'deleteall', '/']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await zk.getChildren('/chr'), []);
    assert.ok(await zk.exists('/zookeeper/quota'), "the server's own subtree is untouched");
  });
});

describe('faults during scripts and bulk commands', () => {
  let proxy: FaultProxy;
  before(async () => {
    const [host, port] = env.cluster.connectString.split(':');
    proxy = await startFaultProxy({ host: host!, port: Number(port) });
  });
  after(async () => {
    await proxy.close();
    await zk.close();
  });

  it(
    '--keep-going never writes a line twice after a connection loss; the lost batch is named once',
    { timeout: 90000 },
    async () => {
      await zk.create('/kg', null);
      const child = spawn(
        process.execPath,
        [BIN, '-server', proxy.address, '-timeout', '4000', '--keep-going', '-f', '-'],
        {
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const done = new Promise<number | null>((r) => child.on('close', r));
      const lines = (from: number, to: number): string =>
        Array.from({ length: to - from }, (_, i) => `create -s /kg/n- line${from + i}`).join('\n') + '\n';
      child.stdin.write(lines(0, 500));
      // zk-shell has the first batch's reply (it printed every Created line), not just the server.
      await until(() => (stderr.match(/^Created /gm)?.length ?? 0) === 500, 'first half applied and answered', 20000);
      // The server gets the next batch; its reply never reaches zk-shell, which times out and reconnects.
      proxy.stallReplies();
      child.stdin.write(lines(500, 1000));
      await until(() => /may or may not have been applied/.test(stderr), 'the lost batch reported', 20000);
      proxy.resume();
      child.stdin.end(lines(1000, 1100));
      const code = await done;
      const names = await zk.getChildren('/kg');
      const data = await Promise.all(names.map(async (n) => (await zk.getData(`/kg/${n}`)).data?.toString()));
      assert.equal(new Set(data).size, data.length, 'no line applied twice');
      assert.equal(names.length, 1100, 'the stalled batch reached the server once; every other line applied once');
      assert.equal(stderr.match(/may or may not have been applied/g)?.length, 1, stderr);
      assert.match(stderr, /lines 501-1000 \(500 lines, one transaction\): may or may not have been applied/);
      const report = stderr
        .split('\n')
        .filter((l) => l && !l.startsWith('Created '))
        .join('\n');
      assert.ok(report.length < 400, `the report is short and names lines by number: ${report}`);
      assert.equal(code, 3, "the connection loss is the script's failure");
    },
  );
});
