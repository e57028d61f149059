// watch and txn in the REPL on a pseudo-terminal: Ctrl-C ends a watch with status 0 and the prompt
// comes back; txn asks for lines (refusing a bad one), shows them, asks, and commits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';

const env = useCluster(1);

describe('live views in the REPL', () => {
  it('watch streams until Ctrl-C, which leaves status 0; txn builds, shows, confirms and commits', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    const p = uniquePath('repl-live');
    await zk.create(p, null);
    const sh = new PtyShell(['-server', env.cluster.connectString, '--history-file', '/dev/null']);
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    let from = sh.text.length;
    sh.write(`watch -R ${p}\r`);
    await sh.waitFor(/persistent recursive watch; Ctrl-C stops/, from);
    await zk.create(`${p}/x`, null);
    await sh.waitFor(new RegExp(`Z created  ${p}/x\\n`), from);
    sh.write('\x03');
    await sh.waitFor(/stopped after 1 event \(interrupt\)\n.*\(CONNECTED\) 1\] $/, from);
    // The watch is gone from the session: a change now prints nothing.
    assert.match(await sh.line('session'), /watches: +data 0, exist 0, child 0, persistent 0, persistentRecursive 0/);

    from = sh.text.length;
    sh.write('txn\r');
    await sh.waitFor(/txn 1:/, from);
    sh.write(`create ${p}/y 1\r`);
    await sh.waitFor(/txn 2:/, from);
    sh.write(`bogus ${p}\r`);
    await sh.waitFor(
      /line 2: bogus: a transaction holds only create, set, delete and check lines.*\(not added\)/,
      from,
    );
    await sh.waitFor(/txn 2:(?![\s\S]*txn 2:[\s\S]*txn 2:)/, from);
    sh.write(`set -v 0 ${p}/x 2\r`);
    await sh.waitFor(/txn 3:/, from);
    sh.write('commit\r');
    await sh.waitFor(/Commit these 2 operations\?/, from);
    assert.match(sh.text.slice(from), new RegExp(`transaction:\\n  1  create ${p}/y 1\\n  2  set -v 0 ${p}/x 2\\n`));
    sh.write('y\r');
    await sh.waitFor(/committed \(2 operations\):[\s\S]*\(CONNECTED\) 3\] $/, from);
    assert.equal((await zk.getData(`${p}/y`)).data?.toString(), '1');
    assert.equal((await zk.getData(`${p}/x`)).stat.version, 1);
    sh.write('\x04');
    assert.equal(await sh.exited, 0, 'the last command succeeded');
    await zk.close();
  });
});
