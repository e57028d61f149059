import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { PtyShell, rawControls } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { Perms } from '../../src/zk/protocol.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-tty-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Retitles the window, clears the screen, returns the cursor, backspaces, and an 8-bit CSI.
const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\r\x08X\u009b31m';
const ESCAPED = '\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x08X\\x9b31m';
const BIDI_NAME = '/bidi\u202egpj.exe';

describe('server strings cannot drive the terminal', () => {
  let zk: ZooKeeperClient;
  before(async () => {
    ({ zk } = await connectClient(env.cluster.connectString));
    // Data, an ACL id (the digest scheme takes any user part) and quota text anyone may write.
    await zk.create('/hostile', Buffer.from(HOSTILE));
    await zk.create('/hostile-acl', null);
    await zk.setACL('/hostile-acl', [
      { perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } },
      { perms: Perms.READ, id: { scheme: 'digest', id: `${HOSTILE}:x8cBvpzcM0RxUuC9dL5prZ3nT4I=` } },
    ]);
    await zk.create('/qnode', null);
    const q = await runCli(['-server', env.cluster.connectString, 'setquota', '-n', '5', '/qnode']);
    assert.equal(q.code, 0, q.stderr);
    await zk.setData('/zookeeper/quota/qnode/zookeeper_limits', Buffer.from(`count=5,bytes=-1${HOSTILE}`));
    // A right-to-left override: "/bidi\u202egpj.exe" is displayed as "/bidiexe.jpg".
    await zk.create(BIDI_NAME, Buffer.from('\u2067isolated\u2069'));
  });
  after(async () => zk.close());

  const authEnv = { ZK_SHELL_AUTH: `digest:${HOSTILE.replace(/:/g, '')}who:pw` };

  it('REPL: data, ACL ids, quota text, whoami, JSON and errors are escaped on the terminal', async (t) => {
    const sh = new PtyShell(['-server', env.cluster.connectString, '--history-file', path.join(dir, 'h')], authEnv);
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    const escaped = ESCAPED.replace(/[\\[\]^$.*+?()|{}]/g, '\\$&');
    assert.match(await sh.line('get /hostile'), new RegExp(escaped));
    // zkCli's jute escaping already writes CR as %0D in ACL ids; the rest is ours.
    assert.match(
      await sh.line('getAcl /hostile-acl'),
      new RegExp(`'digest,'${escaped.replace('\\\\x0d', '%0D')}:x8cB`),
    );
    assert.match(await sh.line('listquota /qnode'), new RegExp(`Output quota for /qnode count=5,bytes=-1${escaped}`));
    assert.match(await sh.line('whoami'), /digest: \\x1b\]0;pwned\\x07\\x1b\[2J\\x0d\\x08X\\x9b31mwho/);
    assert.match(await sh.line('get -s /hostile'), new RegExp(`dataLength = ${Buffer.byteLength(HOSTILE)}\n`));
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
    assert.deepEqual(rawControls(sh.output), []);
  });

  it('one-shot on a terminal: stdout and stderr escaped; JSON escapes DEL/C1 too', async () => {
    const sh = new PtyShell(
      [
        '-server',
        env.cluster.connectString,
        '-c',
        'get /hostile',
        '-c',
        'getAcl /hostile-acl',
        '-c',
        'listquota /qnode',
        '-c',
        'whoami',
        '-c',
        `get /no${HOSTILE}`,
      ],
      authEnv,
    );
    assert.equal(await sh.exited, 2);
    assert.ok(sh.output.includes(ESCAPED), sh.output);
    const ls = new PtyShell(['-server', env.cluster.connectString, '-c', 'ls /', '-c', `get ${BIDI_NAME}`]);
    assert.equal(await ls.exited, 0);
    assert.match(ls.output, /bidi\\u202egpj\.exe/);
    assert.match(ls.output, /\\u2067isolated\\u2069/);
    assert.deepEqual(rawControls(ls.output), []);
    assert.match(sh.output, /Invalid path string "\/no\\x1b\]0;pwned/);
    assert.deepEqual(rawControls(sh.output), []);
    const js = new PtyShell(
      [
        '-server',
        env.cluster.connectString,
        '--format',
        'json',
        '-c',
        'get /hostile',
        '-c',
        'getAcl /hostile-acl',
        '-c',
        'whoami',
      ],
      authEnv,
    );
    assert.equal(await js.exited, 0);
    assert.deepEqual(rawControls(js.output), []);
    const doc = JSON.parse(js.output.replace(/\r\n/g, '\n').split('\n')[0]!) as { data: string };
    assert.equal(doc.data, HOSTILE, 'JSON-escaped, not altered');
  });

  it('colour on a terminal: only errors are red, notes and "Created" are not, and no empty colour pairs', async () => {
    for (const format of ['json', 'zkcli']) {
      const sh = new PtyShell(
        [
          '-server',
          env.cluster.connectString,
          '--format',
          format,
          '-c',
          'listquota /qnode',
          '-c',
          `create /coloured-${format} x`,
          '-c',
          'get /no-such-node',
        ],
        { NO_COLOR: '' },
      );
      assert.equal(await sh.exited, 1);
      const out = sh.output.replace(/\r\n/g, '\n');
      assert.match(out, /(^|\n)absolute path is \/zookeeper\/quota\/qnode\/zookeeper_limits\n/, format);
      if (format === 'zkcli') assert.match(out, /(^|\n)Created \/coloured-zkcli\n/);
      assert.match(out, /\x1b\[31mNode does not exist: \/no-such-node\x1b\[39m\n/, format);
      assert.doesNotMatch(out, /\x1b\[31m\x1b\[39m/, format);
    }
  });

  it('piped output stays byte-exact (as zkCli), JSON stays valid and equal', async () => {
    const r = await runCli(['-server', env.cluster.connectString, '-c', 'get /hostile', '-c', 'listquota /qnode']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `${HOSTILE}\nOutput quota for /qnode count=5,bytes=-1${HOSTILE}\nOutput stat for /qnode count=1,bytes=0\n`,
    );
    const ls = await runCli(['-server', env.cluster.connectString, 'ls', '/']);
    assert.ok(ls.stdout.includes(BIDI_NAME.slice(1)), 'piped: the name as it is');
    const j = await runCli(['-server', env.cluster.connectString, '--format', 'json', 'get', '/hostile']);
    assert.ok(!j.stdout.includes('\u009b') && !j.stdout.includes('\x1b'), 'no raw control bytes in JSON');
    assert.equal((JSON.parse(j.stdout) as { data: string }).data, HOSTILE);
  });
});
