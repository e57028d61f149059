// The harness never leaves a JVM behind: a process killed by a signal runs no exit handler (a test file
// past its timeout, kill -9 of a sandbox), so a watchdog ends the JVM it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { until } from '../helpers/cluster.js';

const SERVER = pathToFileURL(path.join(REPO_ROOT, 'dist', 'src', 'server', 'zookeeper-server.js')).href;

/** Running, not a zombie (an orphan may wait a moment to be reaped). */
function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('server harness', () => {
  it('a JVM does not outlive the process that started it, even one killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startCluster } = await import(${JSON.stringify(SERVER)});
         const c = await startCluster(1);
         console.log(JSON.stringify({ pid: c.servers[0].pid, dir: c.dir }));
         setInterval(() => {}, 1e6);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(() => out.includes('\n'), 'the child started a server', 60000);
      const { pid, dir } = JSON.parse(out) as { pid: number; dir: string };
      try {
        assert.ok(alive(pid), 'the JVM runs while its parent does');
        child.kill('SIGKILL');
        await until(() => !alive(pid), 'the JVM ended after its parent was killed', 10000);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      child.kill('SIGKILL');
    }
  });
});
