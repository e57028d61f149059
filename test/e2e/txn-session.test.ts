// txn -f through bin/zk-shell (committed, rejected, bad lines) and session / session_info.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
let dir: string;
const cli = (...args: string[]): ReturnType<typeof runCli> => runCli(['-server', env.cluster.connectString, ...args]);
const file = (name: string, text: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const data = async (p: string): Promise<string | null> => (await zk.getData(p)).data?.toString() ?? null;

describe('txn -f', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-txn-'));
  });
  after(async () => {
    await zk.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits every line at once and prints what each did', async () => {
    const p = uniquePath('txn');
    await zk.create(p, null);
    await zk.create(`${p}/old`, Buffer.from('o'));
    const f = file(
      'ok.txn',
      [
        '# deploy',
        `create ${p}/a "x y"`,
        `create -s ${p}/seq- ""`,
        '',
        `set -v 0 ${p}/a z`,
        `check ${p}/a 1`,
        `delete -v 0 ${p}/old`,
      ].join('\n'),
    );
    const r = await cli('txn', '-f', f);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        'committed (5 operations):',
        `  2  create ${p}/a "x y"     created ${p}/a`,
        `  3  create -s ${p}/seq- ""  created ${p}/seq-0000000002`,
        `  5  set -v 0 ${p}/a z       version 1`,
        `  6  check ${p}/a 1          ok`,
        `  7  delete -v 0 ${p}/old    deleted`,
        '',
      ].join('\n'),
    );
    assert.equal(await data(`${p}/a`), 'z');
    assert.equal(await zk.exists(`${p}/old`), null);
  });

  it('a rejected transaction: each line with its outcome, nothing applied, exit 1', async () => {
    const p = uniquePath('txn-rej');
    await zk.create(p, Buffer.from('v0'));
    const f = file('rej.txn', [`create ${p}/new`, `set -v 5 ${p} v1`, `delete ${p}/missing`].join('\n'));
    const r = await cli('txn', '-f', f);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      [
        'transaction rejected (line 2 failed); nothing was applied',
        `  1  create ${p}/new      ok, rolled back`,
        `  2  set -v 5 ${p} v1     failed: version No is not valid : ${p}`,
        `  3  delete ${p}/missing  not run`,
        '',
      ].join('\n'),
    );
    assert.equal(await zk.exists(`${p}/new`), null);
    assert.equal(await data(p), 'v0');
  });

  it('a bad line is a usage error naming it (exit 2) and nothing is sent', async () => {
    const p = uniquePath('txn-bad');
    const cases: [string, RegExp][] = [
      [`create ${p}\nls /\n`, /^line 2: ls: a transaction holds only create, set, delete and check lines/],
      [`create ${p}\ncheck ${p} x\n`, /^line 2: version must be an int value, got: x$/m],
      [`create ${p}\ncheck ${p}\n`, /^line 2: usage: check path version$/m],
      [`create ${p}\nset -q ${p} x\n`, /^line 2: Unrecognized option: -q$/m],
      ['\n# nothing\n', /^the transaction has no operations$/m],
    ];
    for (const [text, msg] of cases) {
      const r = await cli('txn', '-f', file('bad.txn', text));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, msg);
      assert.equal(await zk.exists(p), null);
    }
    const missing = await cli('txn', '-f', path.join(dir, 'nope.txn'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^cannot read .*nope\.txn: ENOENT$/m);
    const noFile = await cli('txn');
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /^txn reads its lines from -f FILE outside the interactive shell$/m);
  });

  it('relative paths are taken from the current path (cd); a bad path names its line', async () => {
    const p = uniquePath('txn-rel');
    await zk.create(p, null);
    const f = file('rel.txn', `create child one\ncheck ./child 0\nset -v 0 child two\n`);
    const r = await runCli(['-server', env.cluster.connectString], { input: `cd ${p}\ntxn -f ${f}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await data(`${p}/child`), 'two');
    const bad = await cli('txn', '-f', file('badpath.txn', `create ${p}/ok\ncheck ${p}//x 0\n`));
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /^line 2: Invalid path string/m);
    assert.equal(await zk.exists(`${p}/ok`), null);
  });

  it('--format json: the committed lines with their results', async () => {
    const p = uniquePath('txn-json');
    const r = await cli('--format', 'json', 'txn', '-f', file('j.txn', `create ${p} d\nset ${p} e\n`));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      committed: true,
      ops: [
        { line: 1, text: `create ${p} d`, type: 'create', path: p, created: p },
        { line: 2, text: `set ${p} e`, type: 'setData', path: p, version: 1 },
      ],
    });
  });
});

describe('session / session_info', () => {
  it('id, state, server, timeouts, identities and the watch counts of this session', async () => {
    const S = env.cluster.connectString;
    const r = await runCli([
      '-server',
      S,
      '-timeout',
      '8000',
      '--format',
      'json',
      '-c',
      'addauth digest sess:pw',
      '-c',
      'get -w /',
      '-c',
      'addWatch /zz',
      '-c',
      'session_info',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    assert.match(String(doc['sessionId']), /^0x[0-9a-f]+$/);
    assert.equal(doc['state'], 'CONNECTED');
    assert.equal(doc['server'], S);
    assert.equal(doc['readOnly'], false);
    assert.equal(doc['requestedTimeout'], 8000);
    assert.equal(doc['negotiatedTimeout'], 8000);
    assert.equal(doc['identitiesFrom'], 'server');
    assert.deepEqual(doc['identities'], [
      { scheme: 'digest', user: 'sess' },
      { scheme: 'ip', user: '127.0.0.1' },
    ]);
    assert.deepEqual(doc['watches'], { data: 1, exist: 0, child: 0, persistent: 0, persistentRecursive: 1 });
    const text = await runCli(['-server', S, 'session']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^session id: +0x[0-9a-f]+\nstate: +CONNECTED\nserver: +127\.0\.0\.1:\d+\nread-only: +no\n/,
    );
    assert.match(text.stdout, /^auth \(whoami\): +ip:127\.0\.0\.1$/m);
  });
});

describe('cons, wchc and wchp --by-client', () => {
  it('group connections and watches by client address, with the sessions of each', async () => {
    const S = env.cluster.connectString;
    const sessions = await Promise.all([1, 2, 3].map(() => connectClient(S)));
    const base = uniquePath('byclient');
    const { zk: w } = await connectClient(S);
    await w.create(base, null);
    for (let i = 0; i < 5; i++) await w.create(`${base}/n${i}`, null);
    // 5 watches over the three sessions: 2 + 2 + 1.
    for (let i = 0; i < 5; i++) await sessions[i % 3]!.zk.getData(`${base}/n${i}`, () => undefined);
    const ids = sessions.map((s) => `0x${s.zk.sessionId.toString(16)}`);
    for (const word of ['wchc', 'wchp']) {
      const r = await runCli(['-server', S, '--format', 'json', word, '--by-client']);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        word: string;
        clients: { client: string; watches: number; sessions: string[]; paths: string[] }[];
      };
      assert.equal(doc.word, word);
      const local = doc.clients.find((c) => c.client === '127.0.0.1');
      assert.ok(local, r.stdout);
      assert.equal(local.watches, 5, `${word}: ${r.stdout}`);
      for (const id of ids) assert.ok(local.sessions.includes(id), `${word} lists ${id}`);
      assert.equal(local.paths.length, 3, 'a few example paths');
    }
    const cons = await runCli(['-server', S, 'cons', '--by-client']);
    assert.equal(cons.code, 0, cons.stderr);
    const lines = cons.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^client +connections +sessions +queued +received +sent$/);
    const row = lines.find((l) => l.startsWith('127.0.0.1 '))!.split(/ +/);
    assert.ok(Number(row[1]) >= 4, `4 sessions and cons itself: ${cons.stdout}`);
    assert.ok(Number(row[2]) >= 4, cons.stdout);
    const plain = await runCli(['-server', S, 'srvr', '--by-client']);
    assert.equal(plain.code, 2, 'only cons, wchc and wchp group by client');
    for (const s of sessions) await s.zk.close();
    await w.close();
  });
});
