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

  // Both starts: the command as installed (start-up snapshot) and the plain bundle.
  const starts = [`"${COMMAND}"`, `"${process.execPath}" "${BIN}"`];

  it('ls -R | head -1: one line out, exit 141, nothing on stderr', () => {
    for (const start of starts) {
      const r = spawnSync(
        'bash',
        ['-c', `set -o pipefail; ${start} -server ${env.cluster.connectString} ls -R /pipe | head -1`],
        { encoding: 'utf8' },
      );
      assert.deepEqual([r.stdout, r.stderr, r.status], ['/pipe\n', '', 141], start);
    }
  });

  it('a full disk (> /dev/full): one line saying so, exit 1, no stack trace', () => {
    for (const start of starts)
      for (const args of [['--version'], ['-server', env.cluster.connectString, 'ls', '-R', '/pipe']]) {
        const quoted = args.map((a) => `'${a}'`).join(' ');
        const r = spawnSync('sh', ['-c', `${start} ${quoted} > /dev/full`], { encoding: 'utf8' });
        assert.deepEqual(
          [r.stderr, r.status],
          ['zk-shell: cannot write to standard output: ENOSPC\n', 1],
          `${start} ${quoted}`,
        );
      }
  });
});
