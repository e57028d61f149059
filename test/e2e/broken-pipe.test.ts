// A reader that goes away mid-output (`zk-shell … | head -1`): no stack trace, and exit 141 as a process
// killed by SIGPIPE, so `set -o pipefail` does not take a cut listing for a complete one. Any other write
// error (a full disk) is a failed command, said in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { BIN, COMMAND } from '../helpers/run-cli.js';
import { wideNode } from '../helpers/shapes.js';

const env = useCluster(1);

describe('broken pipe', () => {
  before(async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await wideNode(zk, '/pipe', { children: 20_000 });
    await zk.close();
  });

  it('ls -R | head -1: one line out, exit 141, nothing on stderr', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${BIN}" -server ${env.cluster.connectString} ls -R /pipe | head -1`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.stdout, '/pipe\n');
    assert.equal(r.stderr, '');
    assert.equal(r.status, 141);
  });

  it('a full disk (> /dev/full): one line saying so, exit 1, no stack trace', () => {
    for (const args of [['--version'], ['-server', env.cluster.connectString, 'ls', '-R', '/pipe']]) {
      const quoted = args.map((a) => `'${a}'`).join(' ');
      const r = spawnSync('sh', ['-c', `"${COMMAND}" ${quoted} > /dev/full`], { encoding: 'utf8' });
      assert.deepEqual([r.stderr, r.status], ['zk-shell: cannot write to standard output: ENOSPC\n', 1], quoted);
    }
  });
});
