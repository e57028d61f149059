import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, startCluster } from '../../src/server/zookeeper-server.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

const ANNOUNCED = /sandbox ZooKeeper on (127\.0\.0\.1:(\d+)) \(data in (\S+); removed on exit\)/;
const PROMPT = /\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 0\] $/;

/** Whether the JVM of a sandbox (found by its data dir on the command line) is gone. */
const noJvm = (dir: string): boolean => spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim() === '';

const listening = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
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

  for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
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
    assert.deepEqual([alone.code, alone.stderr], [2, 'zk-shell: --port is for --sandbox (to connect to a server, use -server host:port)\n']);
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const r = await runCli(['--sandbox', '--port', String(port)]);
      assert.deepEqual([r.code, r.stderr], [3, `zk-shell: cannot start the sandbox: port ${port} is already in use on 127.0.0.1\n`]);
    } finally {
      busy.close();
    }
  });

  it('a four-letter word the server does not whitelist prints its message and exits 1', async () => {
    const c = await startCluster(1, { config: { '4lw.commands.whitelist': 'srvr' } });
    try {
      const r = await runCli(['-server', c.connectString, 'ruok']);
      assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'ruok is not executed because it is not in the whitelist.\n']);
      assert.equal((await runCli(['-server', c.connectString, 'srvr'])).code, 0);
    } finally {
      await c.stop();
    }
  });
});

describe('package', () => {
  it('npm pack produces a package that installs globally and runs', { timeout: 240000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-pack-'));
    try {
      const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
      const tarball = path.join(dir, out);
      const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' });
      assert.match(listing, /package\/bin\/zk-shell\.js/);
      assert.match(listing, /package\/dist\/bundle\/main\.js/);
      assert.match(listing, /package\/man\/zk-shell\.1/);
      assert.doesNotMatch(listing, /package\/(test|src)\//, 'only what runs is shipped');
      const prefix = path.join(dir, 'global');
      execFileSync('npm', ['install', '-g', '--silent', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { stdio: 'pipe' });
      const v = spawnSync(path.join(prefix, 'bin', 'zk-shell'), ['--version'], { encoding: 'utf8' });
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, /^zk-shell \d+\.\d+\.\d+\n$/);
      const h = spawnSync(path.join(prefix, 'bin', 'zk-shell'), ['help', 'ls'], { encoding: 'utf8' });
      assert.match(h.stdout, /^ls - list the children of a znode/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
