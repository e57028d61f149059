import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ensureMan } from '../../src/server/install.js';
import { freePort, startCluster } from '../../src/server/zookeeper-server.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

const ANNOUNCED = /sandbox ZooKeeper on (127\.0\.0\.1:(\d+)) \(data in (\S+); removed on exit\)/;
const PROMPT = /\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 0\] $/;

/** Whether the JVM of a sandbox (found by its data dir on the command line) is gone. */
const noJvm = (dir: string): boolean => spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim() === '';

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

const run = (
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } =>
  spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    input: opts.input ?? '',
    timeout: 180000,
  });

describe('sandbox', () => {
  it('announces its port and superuser, keeps its history apart, and is removed on quit', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-home-'));
    const realHistory = path.join(home, 'real-history');
    try {
      const sh = new PtyShell(['--sandbox'], { HOME: home, ZK_SHELL_HISTORY: realHistory });
      const m = await sh.waitFor(ANNOUNCED, 0, 60000);
      const dir = m[3]!;
      assert.ok(fs.existsSync(dir), 'the sandbox dir exists while the shell runs');
      await sh.waitFor(new RegExp(`zk-shell: port ${m[2]}; AdminServer: admin COMMAND -port \\d+\\n`));
      await sh.waitFor(/zk-shell: superuser: addauth digest super:admin\n/);
      await sh.waitFor(PROMPT, 0, 30000);
      assert.match(await sh.line('create /hello world'), /Created \/hello/);
      assert.match(await sh.line('get /hello'), /\nworld\n/);
      // An ACL that locks everyone out; the announced superuser is the way back.
      await sh.line('setAcl /hello ip:10.9.9.9:cdrwa');
      assert.match(await sh.line('get /hello'), /Insufficient permission : \/hello/);
      await sh.line('addauth digest super:admin');
      assert.match(await sh.line('get /hello'), /\nworld\n/);
      const history = fs.readFileSync(path.join(dir, 'history'), 'utf8');
      assert.match(history, /create \/hello world/);
      assert.doesNotMatch(history, /super:admin/, 'the secret is redacted there too');
      sh.write('quit\r');
      assert.equal(await sh.exited, 0);
      assert.ok(!fs.existsSync(dir), 'the sandbox dir is removed');
      assert.ok(noJvm(dir), 'no sandbox JVM is left running');
      assert.deepEqual(fs.readdirSync(home), [], 'neither ~/.zk_shell_history nor ZK_SHELL_HISTORY was written');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  for (const [sig, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${sig} stops the server, removes the dir and ends the shell; --port picks the port`, async () => {
      const port = await freePort();
      const sh = new PtyShell(['--sandbox', '--port', String(port)]);
      const m = await sh.waitFor(ANNOUNCED, 0, 60000);
      assert.equal(m[1], `127.0.0.1:${port}`);
      const dir = m[3]!;
      await sh.waitFor(PROMPT, 0, 30000);
      assert.ok(await listening(port));
      process.kill(sh.shellPid(), sig);
      assert.equal(await sh.exited, code, sh.text.slice(-500));
      assert.match(sh.text, new RegExp(`zk-shell: ${sig}: stopping the sandbox ZooKeeper`));
      assert.ok(!fs.existsSync(dir), 'the sandbox dir is removed');
      assert.ok(noJvm(dir), 'no sandbox JVM is left running');
      assert.equal(await listening(port), false, 'nothing listens on the port any more');
    });
  }

  it('--port: a bad or busy port is refused before anything starts; without --sandbox it is a usage error', async () => {
    const bad = await runCli(['--sandbox', '--port', '70000']);
    assert.deepEqual([bad.code, bad.stderr], [2, 'zk-shell: --port takes a port number (1-65535), got: 70000\n']);
    const alone = await runCli(['--port', '2181', 'ls', '/']);
    assert.deepEqual(
      [alone.code, alone.stderr],
      [2, 'zk-shell: --port is for --sandbox (to connect to a server, use -server host:port)\n'],
    );
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const r = await runCli(['--sandbox', '--port', String(port)]);
      assert.deepEqual(
        [r.code, r.stderr],
        [3, `zk-shell: cannot start the sandbox: port ${port} is already in use on 127.0.0.1\n`],
      );
    } finally {
      busy.close();
    }
  });

  it('a four-letter word the server does not whitelist prints its message and exits 1', async () => {
    const c = await startCluster(1, { config: { '4lw.commands.whitelist': 'srvr' } });
    try {
      const r = await runCli(['-server', c.connectString, 'ruok']);
      assert.deepEqual(
        [r.code, r.stdout, r.stderr],
        [1, '', 'ruok is not executed because it is not in the whitelist.\n'],
      );
      assert.equal((await runCli(['-server', c.connectString, 'srvr'])).code, 0);
    } finally {
      await c.stop();
    }
  });
});

/** A copy of the sources as a fresh clone has them: no dist/ (node_modules shared, as after npm ci). */
function freshClone(into: string): string {
  const skip = new Set(['node_modules', 'dist', '.git', '.bench']);
  const copy = path.join(into, 'clone');
  fs.cpSync(REPO_ROOT, copy, {
    recursive: true,
    filter: (src) => !(path.dirname(src) === REPO_ROOT && skip.has(path.basename(src))) && !src.endsWith('.tgz'),
  });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

describe('package', () => {
  it(
    'npm pack on a fresh clone builds; the package installs globally and runs, man page included',
    { timeout: 420000 },
    async () => {
      ensureMan();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-pack-'));
      const c = await startCluster(1);
      try {
        const clone = freshClone(dir);
        const fresh = (): number | null =>
          run(process.execPath, ['scripts/build-stamp.mjs', 'fresh'], { cwd: clone }).status;
        assert.equal(fresh(), 1, 'a clone without dist/ needs a build');
        const pack = run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: clone });
        assert.equal(pack.status, 0, pack.stderr);
        const tarball = path.join(dir, pack.stdout.trim().split('\n').pop()!);
        const listing = run('tar', ['tzf', tarball]).stdout;
        assert.match(listing, /package\/bin\/zk-shell\.js/);
        assert.match(listing, /package\/bin\/zk-shell\n/);
        assert.match(listing, /package\/dist\/snapshot\/zk-shell\.cjs/);
        assert.doesNotMatch(
          listing,
          /\.blob/,
          'a start-up snapshot only fits the node that built it: built on install',
        );
        assert.match(listing, /package\/dist\/bundle\/main\.js/);
        assert.match(listing, /package\/man\/zk-shell\.1/);
        assert.doesNotMatch(listing, /package\/(test|src)\//, 'only what runs is shipped');

        // The build stamp: npm run sandbox skips the build until a source's content changes.
        assert.equal(fresh(), 0, 'prepack built it');
        const src = path.join(clone, 'src', 'cli', 'sandbox.ts');
        const text = fs.readFileSync(src, 'utf8');
        fs.utimesSync(src, new Date(), new Date());
        assert.equal(fresh(), 0, 'a new mtime alone changes nothing');
        fs.writeFileSync(src, `${text}// edited\n`);
        assert.equal(fresh(), 1, 'an edit needs a build');
        fs.writeFileSync(src, text);
        const stamp = path.join(clone, 'dist', '.inputs-hash');
        const before = [fs.statSync(stamp).mtimeMs, fs.statSync(path.join(clone, 'dist', 'bundle', 'main.js')).mtimeMs];
        const sandbox = run('npm', ['run', '--silent', 'sandbox'], { cwd: clone, input: 'create /s x\nquit\n' });
        assert.equal(sandbox.status, 0, sandbox.stderr);
        assert.match(sandbox.stderr, /sandbox ZooKeeper on 127\.0\.0\.1:\d+/);
        assert.doesNotMatch(sandbox.stderr, /building/);
        assert.deepEqual(
          [fs.statSync(stamp).mtimeMs, fs.statSync(path.join(clone, 'dist', 'bundle', 'main.js')).mtimeMs],
          before,
          'no rebuild',
        );

        const prefix = path.join(dir, 'global');
        const install = run('npm', [
          'install',
          '-g',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          '--prefix',
          prefix,
          tarball,
        ]);
        assert.equal(install.status, 0, install.stderr);
        const bin = path.join(prefix, 'bin', 'zk-shell');
        const installed = path.join(prefix, 'lib', 'node_modules', 'zk-shell', 'dist', 'snapshot');
        assert.equal(fs.readdirSync(installed).filter((f) => f.endsWith('.blob')).length, 1, 'postinstall built it');
        const v = run(bin, ['--version']);
        assert.equal(v.status, 0, v.stderr);
        assert.match(v.stdout, /^zk-shell \d+\.\d+\.\d+\n$/);
        const ls = run(bin, ['-server', c.connectString, 'ls', '/']);
        assert.deepEqual([ls.status, ls.stdout, ls.stderr], [0, '[zookeeper]\n', '']);
        // The "man" field links the page into the prefix's share/man, as `man zk-shell` finds it after npm i -g.
        const man = run('man', ['-M', path.join(prefix, 'share', 'man'), '-P', 'cat', 'zk-shell'], {
          env: { MANWIDTH: '80' },
        });
        assert.equal(man.status, 0, man.stderr);
        assert.equal(man.stderr, '', 'no groff warnings at 80 columns');
        // (Justified, and on a UTF-8 terminal the dashes may be typeset as Unicode hyphens and minus signs.)
        assert.match(man.stdout, /^NAME\n\s+zk.shell\s+.\s+a\s+fast,\s+scriptable,\s+zkCli.compatible\s+shell/mu);
        assert.ok(
          man.stdout.split('\n').every((l) => l.length <= 80),
          'fits 80 columns',
        );
      } finally {
        await c.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
