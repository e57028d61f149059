import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startCluster } from '../../src/server/zookeeper-server.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

describe('sandbox, whitelist refusal, packaging', () => {
  it('--sandbox starts a throwaway ZooKeeper, opens the shell on it, and removes it on exit', async () => {
    const sh = new PtyShell(['--sandbox', '--history-file', path.join(os.tmpdir(), `zk-shell-sandbox-${process.pid}.history`)]);
    const m = await sh.waitFor(/sandbox ZooKeeper on (127\.0\.0\.1:\d+) \(data in (\S+); removed on exit\)/, 0, 60000);
    const dir = m[2]!;
    assert.ok(fs.existsSync(dir), 'the sandbox data dir exists while the shell runs');
    await sh.waitFor(/\[zk: 127\.0\.0\.1:\d+\(CONNECTED\) 0\] $/, 0, 30000);
    assert.match(await sh.line('create /hello world'), /Created \/hello/);
    assert.match(await sh.line('get /hello'), /\nworld\n/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
    assert.ok(!fs.existsSync(dir), 'the sandbox data dir is removed');
    const jvms = spawnSync('pgrep', ['-f', dir], { encoding: 'utf8' }).stdout.trim();
    assert.equal(jvms, '', 'no sandbox JVM is left running');
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
