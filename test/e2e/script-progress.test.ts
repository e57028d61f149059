// A long script shows a progress line on a terminal (lines read, rate, elapsed), and nothing when stderr
// is not a terminal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let proxy: FaultProxy;
let dir: string;
let script: string;

describe('script progress', () => {
  before(async () => {
    const [host, port] = env.cluster.connectString.split(':');
    proxy = await startFaultProxy({ host: host!, port: Number(port) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-script-progress-'));
    script = path.join(dir, 'slow.zk');
    // sync lines are never batched: each is a round trip through the slowed proxy.
    fs.writeFileSync(script, Array.from({ length: 40 }, () => 'sync /').join('\n') + '\n');
  });
  after(async () => {
    await proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on a terminal: "script: N lines, R/s, T" on stderr while it runs, and the script still succeeds', async () => {
    proxy.delay(40);
    const sh = new PtyShell(['-server', proxy.address, '-f', script], { ZK_SHELL_PROGRESS_DELAY_MS: '0' });
    await sh.waitFor(/script: [\d,]+ lines, [\d,]+\/s, \d+\.\ds/);
    assert.equal(await sh.exited, 0, sh.text);
    proxy.delay(0);
  });

  it('not a terminal: no progress line', async () => {
    const r = await runCli(['-server', env.cluster.connectString, '-f', script], {
      env: { ZK_SHELL_PROGRESS_DELAY_MS: '0' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /script:/);
  });
});
