import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

const MODULE = new URL('../../src/cli/unfinished.js', import.meta.url).href;

/** Runs a module script that hands `promise` (source text) to untilFinished and exits with its status. */
function run(promise: string): { code: number | null; stderr: string } {
  const src = `import { untilFinished } from ${JSON.stringify(MODULE)};
untilFinished(${promise}).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stderr: r.stderr };
}

describe('a command that never finishes', () => {
  it('exits 70 with one line when Node is about to exit with the command still pending (not a silent 0)', () => {
    const r = run('new Promise(() => {})');
    assert.equal(r.code, 70);
    assert.equal(r.stderr, 'zk-shell: internal error: the command stopped without finishing (please report it)\n');
  });

  it('a command that finishes keeps its own status, even after a wait, and says nothing', () => {
    assert.deepEqual(run('Promise.resolve(3)'), { code: 3, stderr: '' });
    assert.deepEqual(run('new Promise((r) => setTimeout(() => r(0), 50))'), { code: 0, stderr: '' });
  });
});
