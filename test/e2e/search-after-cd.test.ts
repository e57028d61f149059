// tree, find, grep, du and count after `cd`, through bin/zk-shell: the two halves of issue 10 (navigation
// and search) were built apart, so these check where they meet: the default path, `..`, and -path globs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
/** Runs the lines as a piped script (each after the ones before it, so a `cd` applies to the rest). */
const piped = (...lines: string[]): ReturnType<typeof runCli> =>
  runCli(['-server', env.cluster.connectString], {
    input: `${lines.join('\n')}\n`,
    env: { LC_ALL: 'C.UTF-8' },
    timeoutMs: 60000,
  });

describe('search commands after cd', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
    await zk.create('/sc', null);
    await zk.create('/sc/svc', null);
    for (const s of ['one', 'two']) {
      await zk.create(`/sc/svc/${s}`, Buffer.from(`port 9092 ${s}`));
      await zk.create(`/sc/svc/${s}/config`, Buffer.from('cfg'));
    }
    await zk.create('/sc/other', Buffer.from('port 1'));
    await zk.create('/sc/v[1] (x)', null);
    await zk.create('/sc/v[1] (x)/kid', null);
  });

  it('with no path, tree, find, grep, du and count work on the current path', async () => {
    const r = await piped('cd /sc/svc', 'tree --ascii', 'find', 'grep -l port', 'du -d 0', 'count');
    assert.deepEqual([r.stderr, r.code], ['', 0]);
    assert.equal(
      r.stdout,
      [
        '/sc/svc',
        '|-- one',
        '|   `-- config',
        '`-- two',
        '    `-- config',
        ...['/sc/svc', '/sc/svc/one', '/sc/svc/two', '/sc/svc/one/config', '/sc/svc/two/config'],
        ...['/sc/svc/one', '/sc/svc/two'],
        '32\t5\t/sc/svc',
        '4',
        '',
      ].join('\n'),
    );
  });

  it('a -path glob written relative to the current path matches, as find(1) with ./ and ../', async () => {
    const r = await piped(
      'cd /sc/svc/one',
      "find .. -path '../*'",
      "find -path './config'",
      "find /sc -path '/sc/*'",
      "find /sc -path '**/config'",
    );
    assert.deepEqual([r.stderr, r.code], ['', 0]);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), [
      ...['/sc/svc/one', '/sc/svc/two'],
      '/sc/svc/one/config',
      ...['/sc/other', '/sc/svc', '/sc/v[1] (x)'],
      // A glob that starts with a wildcard is left as it is: it may match anywhere.
      ...['/sc/svc/one/config', '/sc/svc/two/config'],
    ]);
    // A literal first name is relative too (an absolute path never starts without /).
    const rel = await piped('cd /sc/svc', "find -path 'two/*'");
    assert.deepEqual([rel.stdout, rel.code], ['/sc/svc/two/config\n', 0]);
    // The current path's own names are matched as written, even with glob characters in them.
    const odd = await piped("cd '/sc/v[1] (x)'", "find -path './*'", "find .. -path '../v*'");
    assert.deepEqual([odd.stdout, odd.code], ['/sc/v[1] (x)/kid\n/sc/v[1] (x)\n', 0]);
  });
});
