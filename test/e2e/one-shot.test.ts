import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { freePort } from '../../src/server/zookeeper-server.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { fixturePath } from '../helpers/fixtures.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let S = '';
const zk = (...args: string[]): ReturnType<typeof runCli> => runCli(['-server', S, ...args]);

describe('one-shot and scripted modes', () => {
  before(() => {
    S = env.cluster.connectString;
  });

  it('argv is the command: results on stdout, messages on stderr, no connection chatter', async () => {
    const c = await zk('create', '/os', 'two words');
    assert.deepEqual([c.stdout, c.stderr, c.code], ['', 'Created /os\n', 0]);
    const g = await zk('get', '/os');
    assert.deepEqual([g.stdout, g.stderr, g.code], ['two words\n', '', 0]);
    const l = await zk('ls', '/');
    assert.equal(l.stdout, '[os, zookeeper]\n');
  });

  it('one-shot closes its session: its ephemeral nodes are gone at once (zkCli keeps them for the timeout)', async () => {
    const c = await zk('create', '-e', '/eph-oneshot', 'x');
    assert.equal(c.code, 0, c.stderr);
    const { zk: client } = await connectClient(S);
    const t0 = Date.now();
    await until(async () => (await client.exists('/eph-oneshot')) === null, 'ephemeral removed', 2000);
    assert.ok(Date.now() - t0 < 2000);
    await client.close();
  });

  it('-c lines stop at the first failure; --keep-going runs on and returns the last failure', async () => {
    const r = await zk('-c', 'create /c1', '-c', 'get /missing', '-c', 'create /c2');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Created /c1\nNode does not exist: /missing\n');
    const k = await zk('--keep-going', '-c', 'create /c3', '-c', 'get /missing', '-c', 'create /c4');
    assert.equal(k.code, 1);
    assert.match(k.stderr, /Created \/c4/);
  });

  it('-f script and lines on stdin, with comments and quoting', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-script-'));
    const file = path.join(dir, 's.zk');
    fs.writeFileSync(file, '# a comment\ncreate /sf\n\nset /sf "{\\"a\\": \\"b c\\"}"\nget /sf\n');
    const r = await zk('-f', file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{"a": "b c"}\n');
    const p = await runCli(['-server', S], { input: "set /sf 'x y'\nget /sf\nfrobnicate\nget /sf\n" });
    assert.equal(p.code, 127);
    assert.equal(p.stdout, 'x y\n');
    const bad = await runCli(['-server', S], { input: 'set /sf "unterminated\n' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unterminated double quote/);
    const missing = await zk('-f', path.join(dir, 'nope.zk'));
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `zk-shell: cannot read script ${path.join(dir, 'nope.zk')}: ENOENT\n`);
    const isDir = await zk('-f', dir);
    assert.deepEqual([isDir.code, isDir.stderr], [2, `zk-shell: cannot read script ${dir}: EISDIR\n`]);
    // A directory on stdin reads as empty input to node: it must not pass for an empty script.
    for (const args of [[], ['-f', '-']]) {
      const fd = fs.openSync(dir, 'r');
      const r = spawnSync(process.execPath, [BIN, '-server', S, ...args], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      fs.closeSync(fd);
      assert.deepEqual([r.status, r.stderr], [2, 'zk-shell: cannot read script (stdin): EISDIR\n']);
    }
    fs.rmSync(dir, { recursive: true });
  });

  it('--format json gives one document per command', async () => {
    await zk('create', '/js', 'v');
    const g = await zk('--format', 'json', 'get', '-s', '/js');
    const doc = JSON.parse(g.stdout) as {
      path: string;
      data: string;
      encoding: string;
      stat: { czxid: string; ctime: string };
    };
    assert.equal(doc.data, 'v');
    assert.equal(doc.encoding, 'utf8');
    assert.match(doc.stat.czxid, /^0x[0-9a-f]+$/);
    assert.match(doc.stat.ctime, /^\d{4}-\d\d-\d\dT/);
    await zk('create', '/js/a');
    const l = await zk('--format', 'json', 'ls', '-R', '/js');
    assert.deepEqual(JSON.parse(l.stdout), { path: '/js', paths: ['/js', '/js/a'] });
    const e = await zk('--format', 'json', 'getEphemerals');
    assert.deepEqual(JSON.parse(e.stdout), { ephemerals: [] });
  });

  it('binary data: set -b, get -b and get -x round-trip every byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x80, 10]);
    assert.equal((await zk('create', '/bin')).code, 0);
    assert.equal((await zk('set', '-b', '/bin', bytes.toString('base64'))).code, 0);
    const b = await zk('get', '-b', '/bin');
    assert.equal(b.stdout, `${bytes.toString('base64')}\n`);
    const x = await zk('get', '-x', '/bin');
    assert.match(x.stdout, /^00000000 {2}00 01 02 1b 5b 32 4a ff {2}fe 80 0a {17}\|\.\.\.\.\[2J\.\.\.\.\|\n$/);
    assert.equal((await zk('set', '-b', '/bin', 'not base64!')).code, 2);
  });

  it('legacy 3.4 forms work with a note on stderr', async () => {
    await zk('create', '/leg', 'a');
    const s = await zk('set', '/leg', 'b', '0');
    assert.equal(s.code, 0);
    assert.match(s.stderr, /'set path data version' has been deprecated/);
    assert.equal((await zk('set', '/leg', 'c', '0')).code, 1, 'the version was honoured');
    const l = await zk('ls', '/leg', 'watch');
    assert.equal(l.stdout, '[]\n');
    assert.match(l.stderr, /'ls path \[watch\]' has been deprecated/);
    const l2 = await zk('ls2', '/leg');
    assert.match(l2.stdout, /^\[\]\ncZxid = 0x/);
    await zk('-c', 'create /leg/x', '-c', 'create /leg/x/y');
    const r = await zk('rmr', '/leg');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await zk('stat', '/leg')).code, 1);
    const d = await zk('-c', 'create /leg2', '-c', 'delete /leg2 5');
    assert.equal(d.code, 1);
    assert.match(d.stderr, /version No is not valid : \/leg2/);
  });

  it('deleteall deletes thousands of nodes in batches; -b 0 deletes one by one', async () => {
    const { zk: c } = await connectClient(S);
    await c.create('/da', null);
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.create(`/da/${i}`, null)));
    await Promise.all(Array.from({ length: 2000 }, (_, i) => c.create(`/da/${i % 50}/n${i}`, null)));
    const r = await zk('deleteall', '/da', '-b', '300');
    assert.deepEqual([r.code, r.stderr], [0, '']);
    assert.equal(await c.exists('/da'), null);
    await c.create('/db', null);
    await c.create('/db/x', null);
    assert.equal((await zk('deleteall', '-b', '0', '/db')).code, 0);
    assert.equal(await c.exists('/db'), null);
    assert.equal((await zk('deleteall', '/nope')).stderr, 'Node does not exist: /nope\n');
    await c.close();
  });

  it('deleteall without a question deletes while it still lists (one pass, bounded memory)', async () => {
    const { zk: c } = await connectClient(S);
    await c.create('/dstream', null);
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.create(`/dstream/g${i}`, null)));
    await Promise.all(Array.from({ length: 5000 }, (_, i) => c.create(`/dstream/g${i % 50}/n${i}`, null)));
    // A child under each group's first node: no level is all leaves, so every node is listed (no guessing).
    await Promise.all(Array.from({ length: 50 }, (_, i) => c.create(`/dstream/g${i}/n${i}/x`, null)));
    const out = path.join(os.tmpdir(), `zk-shell-opcodes-${process.pid}`);
    const env = { NODE_OPTIONS: `--require ${fixturePath('record-opcodes.cjs')}`, ZK_SHELL_TEST_OPCODES: out };
    try {
      const r = await runCli(['-server', S, 'deleteall', '/dstream', '-b', '20'], { env });
      assert.deepEqual([r.code, r.stderr], [0, '']);
      const ops = fs.readFileSync(out, 'utf8').split('\n').map(Number);
      // multi (14) carries the deletes, multiRead (22) the listings.
      const firstDelete = ops.indexOf(14);
      assert.ok(firstDelete >= 0 && firstDelete < ops.lastIndexOf(22), `opcodes in order: ${ops.join(' ')}`);
      assert.equal(await c.exists('/dstream'), null);
    } finally {
      fs.rmSync(out, { force: true });
      await c.close();
    }
  });

  it('deleteall takes a wide level of leaves as leaves; one that has children goes with its subtree', async () => {
    const { zk: c } = await connectClient(S);
    const paths = ['/guess', '/guess/a', '/guess/b'];
    for (let i = 0; i < 300; i++) paths.push(`/guess/a/leaf${i}`, `/guess/b/node${i}`);
    // Same depth as the leaves under /guess/a, listed first: these have children and grandchildren.
    for (const i of [0, 7, 150, 299]) paths.push(`/guess/b/node${i}/x`, `/guess/b/node${i}/x/y`);
    for (let i = 0; i < paths.length; i += 500)
      await c.multi(paths.slice(i, i + 500).map((p) => ({ type: 'create' as const, path: p, data: null })));
    const r = await zk('deleteall', '/guess');
    assert.deepEqual([r.code, r.stderr], [0, '']);
    assert.equal(await c.exists('/guess'), null);
    await c.close();
  });

  it('quotas: setquota merges limits, listquota prints zkCli lines, warnings, delquota', async () => {
    await zk('-c', 'create /q', '-c', 'create /q/a 1234', '-c', 'create /q/b', '-c', 'create /q/c');
    assert.equal((await zk('setquota', '-n', '5', '/q')).code, 0);
    const n = await zk('setquota', '-N', '10', '/q');
    assert.deepEqual([n.code, n.stdout], [0, '']);
    const l = await zk('listquota', '/q');
    assert.equal(
      l.stdout,
      'Output quota for /q count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=10\nOutput stat for /q count=4,bytes=4\n',
    );
    assert.equal(l.stderr, 'absolute path is /zookeeper/quota/q/zookeeper_limits\n');
    const w = await zk('setquota', '-n', '2', '/q');
    assert.equal(w.stdout, '[Warning]: the count quota you create is less than the existing count:4\n');
    assert.equal((await zk('setquota', '-n', '3', '/q/a')).stderr, '/q/a has a parent /q which has a quota\n');
    assert.equal((await zk('delquota', '-n', '/q')).code, 0);
    assert.match(
      (await zk('listquota', '/q')).stdout,
      /^Output quota for \/q count=-1,bytes=-1=;byteHardLimit=-1;countHardLimit=10\n/,
    );
    assert.equal((await zk('delquota', '/q')).code, 0);
    const gone = await zk('listquota', '/q');
    assert.deepEqual(
      [gone.code, gone.stderr],
      [1, 'absolute path is /zookeeper/quota/q/zookeeper_limits\nquota for /q does not exist.\n'],
    );
    assert.equal((await zk('ls', '/zookeeper/quota')).stdout, '[]\n', 'empty quota-tree nodes removed');
  });

  it('exit codes: 3 could not connect (fast), 5 auth failed', async () => {
    const port = await freePort();
    const r = await runCli(['-server', `127.0.0.1:${port}`, 'ls', '/']);
    assert.equal(r.code, 3);
    assert.ok(r.ms < 5000, `failed fast (${r.ms} ms)`);
    assert.equal((await runCli(['-server', `127.0.0.1:${port}`, 'version'])).code, 0, 'version needs no server');
    const a = await zk('-c', 'addauth nosuchscheme x', '-c', 'ls /');
    assert.equal(a.code, 5);
    assert.doesNotMatch(a.stderr, /nosuchscheme x/);
  });

  it('four-letter words as subcommands; stat without a path; the whitelist refusal exits 1', async () => {
    const ruok = await zk('ruok');
    assert.deepEqual([ruok.stdout, ruok.code], ['imok\n', 0]);
    const st = await zk('stat');
    assert.match(st.stdout, /^Zookeeper version: .*\nClients:/s);
    const t = await zk('mntr', '--format', 'json');
    assert.equal(JSON.parse(t.stdout).values.zk_server_state, 'standalone');
    const w = await zk('4lw', 'srvr');
    assert.match(w.stdout, /Mode: standalone/);
    const admin = await zk('admin', 'ruok', '-port', String(env.cluster.servers[0]!.cfg.adminPort));
    assert.equal(admin.code, 0, admin.stderr);
    assert.deepEqual(JSON.parse(admin.stdout), { command: 'ruok', error: null });
    const unknown = await zk('admin', 'nosuch', '-port', String(env.cluster.servers[0]!.cfg.adminPort));
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'nosuch: Unknown command: nosuch\n']);
    // Nothing listening is "could not connect"; a port out of range is a usage error.
    const closed = await freePort();
    const down = await zk('admin', 'ruok', '-port', String(closed));
    assert.equal(down.code, 3, down.stderr);
    assert.match(
      down.stderr,
      new RegExp(`^AdminServer at 127\\.0\\.0\\.1:${closed} did not answer: .*ECONNREFUSED.*\n$`),
    );
    for (const port of ['0', '65536', '99999999999']) {
      const bad = await zk('admin', 'ruok', '-port', port);
      assert.deepEqual([bad.code, bad.stderr.split('\n')[0]], [2, `-port takes a port number (1-65535), got: ${port}`]);
    }
  });

  it('a script sent to one file (2>&1) keeps stdout and stderr in the order written', async () => {
    const file = path.join(os.tmpdir(), `zk-shell-order-${process.pid}.zk`);
    const lines = [
      'create /ord a',
      'get /ord',
      'create /ord/x',
      'ls /ord',
      'get /ord/nope',
      'ls /ord',
      'deleteall /ord',
    ];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    try {
      const both = execFileSync('sh', [
        '-c',
        `"${process.execPath}" "${BIN}" -server ${S} --keep-going -f "${file}" 2>&1 || true`,
      ]);
      assert.equal(both.toString(), 'Created /ord\na\nCreated /ord/x\n[x]\nNode does not exist: /ord/nope\n[x]\n');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('quit N / exit N ends with status N (zkCli ignores it); a bad status is a usage error', async () => {
    assert.equal((await zk('exit', '3')).code, 3);
    const after = await runCli(['-server', S, '--keep-going', '-c', 'get /quit-nope', '-c', 'exit 0', '-c', 'ls /']);
    assert.deepEqual([after.code, after.stdout], [0, '']);
    const stops = await runCli(['-server', S, '-c', 'quit 4', '-c', 'create /quit-never']);
    assert.equal(stops.code, 4);
    assert.equal((await zk('exists', '/quit-never')).code, 1);
    const bad = await zk('quit', '256');
    assert.deepEqual([bad.code, bad.stderr.split('\n')[0]], [2, 'quit takes an exit status from 0 to 255, got: 256']);
  });

  it('SIGTERM still ends a scripted run as the signal does, with what it printed written out', async () => {
    const child = spawn(process.execPath, [BIN, '-server', S, '-c', 'create /sigterm x', '-c', 'watch /sigterm']);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    await until(() => out.includes('watching /sigterm'), 'the watch started', 10000);
    child.kill('SIGTERM');
    assert.deepEqual(await ended, [null, 'SIGTERM']);
    assert.match(out, /^Created \/sigterm\n/);
  });

  it('a one-shot command loads only the Node built-ins it uses (each heavy one costs 4-9 ms of start-up)', async () => {
    const out = path.join(os.tmpdir(), `zk-shell-builtins-${process.pid}`);
    const env = { NODE_OPTIONS: `--require ${fixturePath('report-builtins.cjs')}`, ZK_SHELL_TEST_BUILTINS: out };
    try {
      for (const args of [['--version'], ['-server', S, 'get', '/'], ['-server', S, 'ls', '-R', '/']]) {
        const r = await runCli(args, { env });
        assert.equal(r.code, 0, r.stderr);
        const loaded = fs.readFileSync(out, 'utf8').split('\n');
        for (const heavy of ['zlib', 'http', 'https', 'tls', 'readline', 'crypto'])
          assert.ok(!loaded.includes(heavy), `${args.join(' ')} loaded node:${heavy}`);
      }
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it('--help documents the modes, commands and exit codes; --version', async () => {
    const h = await runCli(['--help']);
    assert.equal(h.code, 0);
    for (const s of ['Exit codes:', '127', 'could not connect', 'deleteall', '-c, --command <line>'])
      assert.ok(h.stdout.includes(s), s);
    // zkCli's spellings, which are what people type, are the ones shown first.
    for (const s of [
      '-server, --server <host:port',
      '-timeout, --timeout <ms>',
      '-r, --readonly',
      '-waitforconnection, --waitforconnection',
      '-client-configuration, --client-configuration <file>',
    ])
      assert.ok(h.stdout.includes(`\n  ${s}`), s);
    const v = await runCli(['--version']);
    assert.match(v.stdout, /^zk-shell \d+\.\d+\.\d+\n$/);
    const bad = await runCli(['--nosuch']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option '--nosuch'/);
    // Beyond a Node timer's range: a usage error, not a TimeoutOverflowWarning and a bogus wait.
    for (const t of ['3000000000', '2147483648', '0', 'abc']) {
      const r = await runCli(['-server', env.cluster.connectString, '-timeout', t, 'ls', '/']);
      assert.deepEqual(
        [r.code, r.stdout, r.stderr],
        [2, '', `zk-shell: --timeout takes a positive number of milliseconds up to 2147483647, got: ${t}\n`],
        t,
      );
    }
    assert.equal(
      (await runCli(['-server', env.cluster.connectString, '-timeout', '2147483647', 'ls', '/zookeeper'])).code,
      0,
    );
  });
});

describe('failures are prompt and one line', () => {
  for (const line of [
    'ls "/a\\nb"',
    'get "/x\\ny"',
    'setAcl / "wor\\nld"',
    'create /x d "wor\\nld:anyone"',
    'delete -v "1\\n2" /x',
  ]) {
    it(`an error echoing a newline stays one line: ${line}`, async () => {
      const r = await runCli(['-server', env.cluster.connectString, '-c', line]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('usage:'));
      assert.equal(lines.length, 1, JSON.stringify(r.stderr));
      assert.match(lines[0]!, /\\x0a/);
    });
  }

  it('a failed one-shot run exits at once, even with three unreachable hosts (it waited out the back-off)', async () => {
    const hosts = (await Promise.all([freePort(), freePort(), freePort()])).map((p) => `127.0.0.1:${p}`).join(',');
    const r = await runCli(['-server', hosts, 'ls', '/']);
    assert.equal(r.code, 3);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    // 3.3 s before the fix: the reconnect back-off (up to 1 s per host) outlived the error.
    assert.ok(r.ms < 2000, `exited after ${r.ms} ms`);
  });

  it(
    'Ctrl-C during deleteall says how many znodes went and how many remain, and the server agrees',
    { timeout: 120000 },
    async () => {
      const { zk: client } = await connectClient(env.cluster.connectString);
      await client.create('/ctrlc', null);
      const ops = Array.from({ length: 40000 }, (_, i) => ({
        type: 'create' as const,
        path: `/ctrlc/n${String(i).padStart(6, '0')}-${'x'.repeat(60)}`,
        data: null,
      }));
      for (let i = 0; i < ops.length; i += 1000) await client.multi(ops.slice(i, i + 1000));
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('../helpers/run-cli.js');
      const child = spawn(process.execPath, [BIN, '-server', env.cluster.connectString, 'deleteall', '/ctrlc'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const done = new Promise<number | null>((r) => child.on('close', r));
      // Interrupt once deletion is under way.
      await until(async () => (await client.getAllChildrenNumber('/ctrlc')) < 39000, 'deletion started', 30000);
      child.kill('SIGINT');
      const code = await done;
      const left = (await client.exists('/ctrlc')) ? (await client.getAllChildrenNumber('/ctrlc')) + 1 : 0;
      if (code === 0) {
        assert.equal(left, 0, 'finished before the signal landed');
      } else {
        assert.equal(code, 130, stderr);
        const m = /^interrupted: deleted (\d+) znodes under \/ctrlc; (\d+) remain\n$/.exec(stderr);
        assert.ok(m, stderr);
        assert.equal(Number(m[1]) + Number(m[2]), 40001, 'deleted and remaining add up to the tree');
        assert.equal(Number(m[2]), left, 'the count it gives is what the server has');
      }
      if (left > 0)
        await client.multi([]).then(() => runCli(['-server', env.cluster.connectString, 'deleteall', '/ctrlc']));
      await client.close();
    },
  );
});

describe('operator habits (issue 8, outside the REPL)', () => {
  it("a stale version keeps zkCli's line and adds the current version below it, batched or not", async () => {
    const { zk: client } = await connectClient(env.cluster.connectString);
    await client.create('/stale', Buffer.from('a'));
    await client.setData('/stale', Buffer.from('b'));
    const one = await runCli(['-server', env.cluster.connectString, 'set', '-v', '7', '/stale', 'c']);
    assert.deepEqual(
      [one.stderr, one.code],
      ['version No is not valid : /stale\ncurrent data version of /stale: 1\n', 1],
    );
    const del = await runCli(['-server', env.cluster.connectString, 'delete', '-v', '0', '/stale']);
    assert.deepEqual(
      [del.stderr, del.code],
      ['version No is not valid : /stale\ncurrent data version of /stale: 1\n', 1],
    );
    const acl = await runCli([
      '-server',
      env.cluster.connectString,
      'setAcl',
      '-v',
      '3',
      '/stale',
      'world:anyone:cdrwa',
    ]);
    assert.deepEqual(
      [acl.stderr, acl.code],
      ['version No is not valid : /stale\ncurrent acl version of /stale: 0\n', 1],
    );
    // Inside a batch: the failing line is reported as if run alone, hint included; the lines around it apply.
    const script = await runCli(['-server', env.cluster.connectString, '--keep-going', '-f', '-'], {
      input: 'set /stale x\nset -v 0 /stale y\nset /stale z\n',
    });
    assert.deepEqual(
      [script.stderr, script.code],
      ['version No is not valid : /stale\ncurrent data version of /stale: 2\n', 1],
    );
    assert.equal((await client.getData('/stale')).data?.toString(), 'z');
    await client.close();
  });

  it("an unknown command prints zkCli's usage, then suggests close names", async () => {
    const r = await runCli(['-server', env.cluster.connectString, '-c', 'getAcll /']);
    assert.equal(r.code, 127);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.at(-2), 'Command not found: Command not found getAcll');
    assert.equal(lines.at(-1), 'did you mean getAcl?');
    assert.ok(
      lines.some((l) => l.startsWith('\tls [-s] [-w] [-R] path')),
      'usage lines keep their tab',
    );
    const none = await runCli(['-server', env.cluster.connectString, '-c', 'qqqqqqqq']);
    assert.ok(!none.stderr.includes('did you mean'));
  });

  it('after close, commands say "Not connected" until connect (no silent new session), as zkCli', async () => {
    const r = await runCli(['-server', env.cluster.connectString, '--keep-going', '-f', '-'], {
      input: 'close\nls /\nclose\nconnect\nls /zookeeper\n',
    });
    assert.equal(r.stderr, 'Not connected\nNot connected\n');
    assert.equal(r.stdout, '[config, quota]\n');
    assert.equal(r.code, 3);
  });
});

describe('scripts and bulk commands when things go wrong (found by a probe)', () => {
  it('--keep-going with no server: one failure, then one line for the lines not run; nothing claimed as maybe applied', async () => {
    const port = await freePort();
    const r = await runCli(['-server', `127.0.0.1:${port}`, '--keep-going', '-f', '-'], {
      input: 'create /u1\ncreate /u2\nls /\nhistory\ncreate /u3\nget /u1\n',
    });
    assert.equal(r.code, 3);
    assert.doesNotMatch(r.stderr, /may or may not/);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^Not connected: could not connect/);
    assert.equal(lines[1], 'lines 1-2 (2 lines, one transaction): not applied');
    assert.equal(lines.at(-1), '3 lines (3-6) not run: not connected');
    assert.match(r.stdout, /^0 - create \/u1\n/, 'history, which needs no connection, still ran');
    assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  });

  it('--keep-going with no server: a batch read while the one before failed is not run either', async () => {
    const port = await freePort();
    const input = Array.from({ length: 1100 }, (_, i) => `create /k${i}\n`).join('');
    const r = await runCli(['-server', `127.0.0.1:${port}`, '--keep-going', '-f', '-'], { input });
    assert.equal(r.code, 3);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^Not connected: could not connect/);
    assert.deepEqual(lines.slice(1), [
      'lines 1-1000 (1000 lines, one transaction): not applied',
      '100 lines (1001-1100) not run: not connected',
    ]);
  });

  it('Ctrl-C in a script stops the running command and the script: the next line does not run (exit 130)', async () => {
    const child = spawn(process.execPath, [BIN, '-server', env.cluster.connectString, '-f', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<number | null>((r) => child.on('close', r));
    child.stdin.end('watch /\ncreate /after-ctrl-c\n');
    try {
      await until(() => stderr.includes('watching /'), 'the watch to start', 15000);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await done, 130, stderr);
    const { zk: client } = await connectClient(env.cluster.connectString);
    assert.equal(await client.exists('/after-ctrl-c'), null, 'the line after the interrupted one ran');
    await client.close();
  });

  it('Ctrl-C while a script batch is on the wire: its lines are reported as applied or not, then exit 130', async () => {
    // 30,000 creates travel in multis of 1,000, the next read while one is on the wire: Ctrl-C nearly always
    // lands during a multi. The script used to exit at once, its nodes created but never reported.
    const script = ['create /ctrl-c-batch', ...Array.from({ length: 30000 }, (_, i) => `create /ctrl-c-batch/n${i} d`)];
    const child = spawn(process.execPath, [BIN, '-server', env.cluster.connectString, '-f', '-'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const done = new Promise<number | null>((r) => child.on('close', r));
    // The rest of the script is still being written when it stops reading.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${script.join('\n')}\n`);
    try {
      await until(() => (out.match(/Created /g)?.length ?? 0) >= 2000, 'a few batches to be applied', 30000);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await done, 130, out.slice(-500));
    const reported = out.match(/Created \/ctrl-c-batch\/n\d+/g)?.length ?? 0;
    const { zk: client } = await connectClient(env.cluster.connectString);
    const created = await client.getAllChildrenNumber('/ctrl-c-batch');
    await client.close();
    assert.ok(created < 30000, 'the script stopped early');
    assert.equal(reported, created, 'every node created was reported, and only those');
  });

  it('deleteall groups its failures by error, cause first, instead of one line per child', async () => {
    const { zk: client } = await connectClient(env.cluster.connectString);
    await client.create('/flood', null);
    await client.multi(
      Array.from({ length: 30 }, (_, i) => ({ type: 'create' as const, path: `/flood/c${i}`, data: null })),
    );
    await client.setACL('/flood', [{ perms: 31 & ~8, id: { scheme: 'world', id: 'anyone' } }]);
    const r = await runCli(['-server', env.cluster.connectString, 'deleteall', '/flood']);
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^Failed to delete some node\(s\) in the subtree! \(31 of 31 left\)$/);
    assert.equal(lines[1], '  Node not empty: /flood');
    assert.equal(lines.filter((l) => l.startsWith('  Insufficient permission : /flood/c')).length, 10);
    assert.equal(lines.at(-1), '  … and 20 more with the same error (NOAUTH)');
    await client.setACL('/flood', [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }]);
    await client.close();
  });

  it('numbers with a + sign are taken as Java takes them; --max-buffer takes a G suffix', async () => {
    const { zk: client } = await connectClient(env.cluster.connectString);
    await client.create('/plus', Buffer.from('a'));
    const set = await runCli(['-server', env.cluster.connectString, 'set', '-v', '+0', '/plus', 'b']);
    assert.equal(set.code, 0, set.stderr);
    const q = await runCli(['-server', env.cluster.connectString, 'setquota', '-n', '+5', '/plus']);
    assert.equal(q.code, 0, q.stderr);
    const g = await runCli(['-server', env.cluster.connectString, '--max-buffer', '1G', 'get', '/plus']);
    assert.deepEqual([g.stdout, g.code], ['b\n', 0]);
    await client.close();
  });
});

describe('stmk', () => {
  it('sets the trace mask it is given; without one it is refused instead of setting 0', async () => {
    const S = env.cluster.connectString;
    const before = (await runCli(['-server', S, 'gtmk'])).stdout.trim();
    const bare = await runCli(['-server', S, 'stmk']);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /stmk takes the trace mask to set/);
    assert.equal((await runCli(['-server', S, 'gtmk'])).stdout.trim(), before, 'nothing was sent');
    const set = await runCli(['-server', S, 'stmk', '0x132']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal((await runCli(['-server', S, 'gtmk'])).stdout.trim(), '306');
  });
});
