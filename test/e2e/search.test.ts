import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { comparePreorder } from '../../src/tree/walk.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';
import { buildSearchTrees, jsonLines, lines } from '../helpers/search-trees.js';

// tree, find, grep, du and count through bin/zk-shell on production-shaped trees, checked against what
// the builders made (and the server holds), including bad input and a subtree the shell may not read.
const env = useCluster(1);
let S = '';
let zk: ZooKeeperClient;
let kafka: string[] = [];
let disco: string[] = [];
let locks: string[] = [];
let data = new Map<string, Buffer>();
// Box-drawing needs a UTF-8 locale; the run's own locale must not decide what the tests expect.
const UTF8 = { LC_ALL: 'C.UTF-8' };
const cli = (...args: string[]): ReturnType<typeof runCli> =>
  runCli(['-server', S, ...args], { timeoutMs: 60000, env: UTF8 });
const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
/** The run printed exactly these lines. */
const prints = (r: { stdout: string }, want: string[]): void => assert.deepEqual(lines(r.stdout), want);
const NO_STACK = /^\s+at |Error: /m;

describe('tree, find, grep, du and count', () => {
  before(async () => {
    S = env.cluster.connectString;
    zk = (await connectClient(S)).zk;
    ({ kafka, disco, locks, data } = await buildSearchTrees(zk));
  });

  it('find prints exactly the matching paths in ls -R order (-name, -path, -regex, -maxdepth)', async () => {
    const states = await cli('find', '/kafka', '-name', 'state');
    assert.deepEqual([states.code, states.stderr], [0, '']);
    const isState = (p: string): boolean => base(p) === 'state';
    prints(states, kafka.filter(isState));
    const topicConfig = (p: string): boolean => /^\/kafka\/config\/topics\/orders-[^/]*$/.test(p);
    prints(await cli('find', '/kafka', '-path', '/kafka/config/topics/orders-*'), kafka.filter(topicConfig));
    const instance = (p: string): boolean => /\/ip-[0-9a-f]{5}-/.test(p);
    prints(await cli('find', '/disco', '-regex', '.*/ip-[0-9a-f]{5}-.*'), disco.filter(instance));
    const shallow = (p: string): boolean => p.split('/').length <= 4;
    prints(await cli('find', '/kafka', '-maxdepth', '2'), kafka.filter(shallow));
    assert.deepEqual(lines((await cli('find', '/kafka', '-maxdepth', '0')).stdout), ['/kafka']);
    const all = await cli('find', '/wide');
    assert.equal(lines(all.stdout).length, 3001);
    const none = await cli('find', '/kafka', '-name', 'no-such-name');
    assert.deepEqual([none.code, none.stdout, none.stderr], [0, '', ''], 'nothing found is not an error');
  });

  it('find -type, -empty and -newer-than read the stat', async () => {
    const kinds = async (t: string): Promise<string[]> => lines((await cli('find', '/kinds', '-type', t)).stdout);
    assert.deepEqual(await kinds('e'), ['/kinds/eph']);
    // The server hides these kinds from clients (ephemeralOwner 0): find says so rather than guess.
    const c = await cli('find', '/kinds', '-type', 'c');
    assert.deepEqual([c.code, c.stdout], [0, '']);
    assert.match(c.stderr, /ZooKeeper shows container and TTL nodes to clients as persistent/);
    assert.deepEqual(await kinds('t'), []);
    assert.deepEqual(await kinds('s'), ['/kinds/seq-0000000003']);
    assert.deepEqual(await kinds('p'), [
      '/kinds',
      '/kinds/box',
      '/kinds/plain',
      '/kinds/seq-0000000003',
      '/kinds/ttl',
      '/kinds/box/item',
    ]);
    assert.deepEqual(await kinds('e,s'), ['/kinds/eph', '/kinds/seq-0000000003']);
    assert.deepEqual(lines((await cli('find', '/kinds', '-empty')).stdout), [
      '/kinds/eph',
      '/kinds/seq-0000000003',
      '/kinds/ttl',
    ]);
    prints(
      await cli('find', '/locks', '-type', 's'),
      locks.filter((p) => /\d{10}$/.test(p)),
    );
    assert.deepEqual(lines((await cli('find', '/locks', '-newer-than', '1h')).stdout), locks);
    assert.deepEqual(lines((await cli('find', '/locks', '-newer-than', '0s')).stdout), []);
    const json = await cli('--format', 'json', 'find', '/kinds', '-type', 'e');
    assert.deepEqual(jsonLines('find', json.stdout), [{ path: '/kinds/eph' }]);
  });

  it('bad globs, expressions, types, durations and numbers are usage errors before anything is read', async () => {
    for (const [args, msg] of [
      [['find', '/kafka', '-name', '[abc'], /^-name: bad glob \[abc: /],
      [['find', '/kafka', '-regex', '(x'], /^-regex: bad regular expression: /],
      [['find', '/kafka', '-type', 'x'], /^-type: unknown type x \(p persistent/],
      [['find', '/kafka', '-newer-than', '5 years'], /^-newer-than: not a duration: 5 years/],
      [['find', '/kafka', '-maxdepth', 'x'], /^-maxdepth must be an int value, got: x/],
      [['grep', '-E', '(x', '/kafka'], /^-E: bad regular expression: /],
      [['grep', '\\(x', '/kafka'], /^pattern: bad regular expression: /],
      [['du', '-d', 'x', '/kafka'], /^-d must be an int value, got: x/],
      [['du', '--top', '0', '/kafka'], /^--top must be 1 or more/],
      [['tree', '-d', '-2', '/kafka'], /^-d must be 0 or more/],
      [['grep'], /^missing argument: pattern/],
    ] as const) {
      const r = await cli(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, msg);
      assert.match(r.stderr, /\nusage: \w+ /);
      assert.doesNotMatch(r.stderr, NO_STACK);
    }
  });

  it('a missing start node is zkCli\'s "Node does not exist", exit 1, for every command', async () => {
    for (const args of [
      ['tree', '/nope'],
      ['find', '/nope'],
      ['grep', 'x', '/nope'],
      ['du', '/nope'],
      ['count', '/nope'],
    ]) {
      const r = await cli(...args);
      assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'Node does not exist: /nope\n'], args.join(' '));
    }
  });

  it('tree draws every node once, sorted, with box lines; -d and -s; JSON in preorder', async () => {
    const t = await cli('tree', '/kinds');
    assert.equal(t.code, 0, t.stderr);
    const c = await runCli(['-server', S, 'tree', '/kinds/box'], { env: { LC_ALL: 'C' } });
    assert.equal(c.stdout, '/kinds/box\n`-- item\n', 'a locale that is not UTF-8 gets ASCII');
    assert.equal(
      t.stdout,
      ['/kinds', '├── box', '│   └── item', '├── eph', '├── plain', '├── seq-0000000003', '└── ttl', ''].join('\n'),
    );
    const s = await cli('tree', '-s', '--ascii', '/kinds');
    assert.equal(
      s.stdout,
      [
        '/kinds [0 B, 5 children]',
        '|-- box [0 B, 1 child]',
        '|   `-- item [1 B, 0 children]',
        '|-- eph [0 B, 0 children] (ephemeral)',
        '|-- plain [1 B, 0 children]',
        '|-- seq-0000000003 [0 B, 0 children]',
        '`-- ttl [0 B, 0 children]',
        '',
      ].join('\n'),
    );
    const big = await cli('--format', 'json', 'tree', '/kafka');
    assert.deepEqual(
      jsonLines('tree', big.stdout).map((o) => o['path']),
      [...kafka].sort(comparePreorder),
    );
    const d1 = await cli('tree', '-d', '1', '/kafka');
    assert.equal(lines(d1.stdout).length, kafka.filter((p) => p.split('/').length <= 3).length);
    const table = await cli('--format', 'table', 'tree', '-s', '/kinds/box');
    assert.match(table.stdout, /│ {3}item +│ 1 +│ 0 +│ persistent │/);
  });

  it('grep: lines, -l, -c, -i, -E, binary data, and exit 1 when nothing matches', async () => {
    const brokers = kafka.filter((p) => data.get(p)!.includes('PLAINTEXT://kafka-'));
    assert.equal(brokers.length, 6);
    const l = await cli('grep', '-l', 'PLAINTEXT://kafka-[0-9]', '/kafka');
    assert.equal(l.code, 0, l.stderr);
    assert.deepEqual(lines(l.stdout), brokers);
    const c = await cli('grep', '-c', '9092', '/kafka');
    prints(
      c,
      kafka.filter((p) => data.get(p)!.includes('9092')).map((p) => `${p}: 1`),
    );
    const full = await cli('grep', 'rack', '/kafka/brokers/ids/1');
    assert.deepEqual(lines(full.stdout), [`/kafka/brokers/ids/1: ${data.get('/kafka/brokers/ids/1')!.toString()}`]);
    const compact = kafka.filter((p) => data.get(p)!.includes('"compact"'));
    assert.deepEqual(lines((await cli('grep', '-l', '-i', 'COMPACT"', '/kafka')).stdout), compact);
    assert.deepEqual(lines((await cli('grep', '-l', '-E', '"cleanup.policy":"(compact)"', '/kafka')).stdout), compact);
    // Without -E, ( ) are literal as in grep(1).
    assert.equal((await cli('grep', '-l', '(compact)', '/kafka')).code, 1);
    const bin = await cli('grep', 'key=', '/bin');
    assert.deepEqual([bin.code, bin.stdout], [0, '/bin: \\x00key=\\xff\n']);
    const binJson = await cli('--format', 'json', 'grep', 'no', '/bin');
    assert.deepEqual(jsonLines('grep', binJson.stdout), [{ path: '/bin', lineNumber: 2, line: 'no', binary: true }]);
    const none = await cli('grep', 'zzz-no-such-text', '/kafka');
    assert.deepEqual([none.code, none.stdout, none.stderr], [1, '', '']);
  });

  it('du sums data bytes and nodes per subtree; --top sorts; -h; count agrees with the tree', async () => {
    const sum = (root: string): { bytes: number; nodes: number } => {
      const under = kafka.filter((p) => p === root || p.startsWith(`${root}/`));
      return { bytes: under.reduce((n, p) => n + data.get(p)!.length, 0), nodes: under.length };
    };
    const children = kafka.filter((p) => p.split('/').length === 3);
    const r = await cli('--format', 'json', 'du', '/kafka');
    assert.equal(r.code, 0, r.stderr);
    const rows = jsonLines('du', r.stdout);
    assert.deepEqual(rows.map((o) => o['path']).sort(), ['/kafka', ...children].sort());
    for (const o of rows) {
      const want = sum(o['path'] as string);
      assert.deepEqual([o['bytes'], o['nodes']], [want.bytes, want.nodes], o['path'] as string);
    }
    assert.equal(rows.at(-1)!['path'], '/kafka', 'the parent comes after its children');
    const top = await cli('du', '--top', '3', '-d', '2', '/kafka');
    const topRows = lines(top.stdout).map((l) => l.split('\t'));
    assert.equal(topRows.length, 3);
    assert.equal(topRows[0]![2], '/kafka');
    assert.ok(Number(topRows[1]![0]) >= Number(topRows[2]![0]));
    assert.match(
      (await cli('du', '-d', '0', '-h', '/disco')).stdout,
      new RegExp(`^\\d+(\\.\\d)?K\t${disco.length}\t/disco\n$`),
    );
    assert.deepEqual(lines((await cli('count', '/kafka')).stdout), [String(kafka.length - 1)]);
    const cj = await cli('--format', 'json', 'count', '/wide');
    assert.deepEqual(JSON.parse(cj.stdout), { path: '/wide', count: 3000 });
  });

  it('a node it may not read: reported where met, the rest is printed, exit 1, no stack trace', async () => {
    const denied = 'Insufficient permission : /prot/secret\n';
    const f = await cli('find', '/prot');
    assert.deepEqual(lines(f.stdout), ['/prot', '/prot/open', '/prot/secret', '/prot/z']);
    assert.equal(f.code, 1);
    assert.equal(f.stderr, `${denied}find: 1 node could not be read; the output is incomplete\n`);
    const t = await cli('tree', '/prot');
    assert.equal(t.stdout, '/prot\n├── open\n├── secret\n└── z\n');
    assert.deepEqual([t.code, t.stderr], [1, `${denied}tree: 1 node could not be read; the output is incomplete\n`]);
    const g = await cli('grep', '9092', '/prot');
    assert.deepEqual([g.code, g.stdout], [1, '/prot/open: port 9092\n']);
    assert.equal(g.stderr, `${denied}grep: 1 node could not be read; the output is incomplete\n`);
    const d = await cli('--format', 'json', 'du', '-d', '0', '/prot');
    assert.equal(d.code, 1);
    const docs = jsonLines('du', d.stdout);
    assert.deepEqual(docs[0], {
      path: '/prot/secret',
      error: 'NOAUTH',
      message: 'Insufficient permission : /prot/secret',
    });
    // exists needs no permission: the locked node's bytes still count.
    assert.deepEqual(docs[1], { path: '/prot', bytes: 25, nodes: 4, depth: 0 });
    for (const r of [f, t, g, d]) assert.doesNotMatch(r.stderr, NO_STACK);
  });

  it('grep names a node whose data is over --max-buffer as such (it said MarshallingError)', async () => {
    await zk.create('/gbig', null);
    await zk.create('/gbig/a', Buffer.from('port 9092'));
    await zk.create('/gbig/big', Buffer.alloc(300_000, 0x39));
    await zk.create('/gbig/z', Buffer.from('9092 too'));
    const g = await cli('--max-buffer', '100000', 'grep', '-l', '9092', '/gbig');
    assert.deepEqual([g.code, g.stdout], [1, '/gbig/a\n/gbig/z\n']);
    assert.match(
      g.stderr,
      /^reply of \d+ bytes exceeds the client limit of 100000 \(raise with --max-buffer\): \/gbig\/big\ngrep: 1 node could not be read; the output is incomplete\n$/,
    );
  });

  it('the same in scripts: -c, piped stdin, and --format table', async () => {
    const piped = await runCli(['-server', S], { input: 'count /kinds\nfind /kinds -type e\ngrep -l v /kinds\n' });
    assert.deepEqual([piped.code, piped.stdout], [0, '6\n/kinds/eph\n/kinds/plain\n']);
    const c = await cli('-c', 'find /kinds -name nothing', '-c', 'tree -d 0 /kinds');
    assert.deepEqual([c.code, c.stdout], [0, '/kinds\n']);
    // grep that matches nothing fails the script line, as grep(1) would in sh -e.
    const failing = await runCli(['-server', S], { input: 'grep zzz /kinds\ncount /kinds\n' });
    assert.deepEqual([failing.code, failing.stdout], [1, '']);
    const t = await cli('--format', 'table', 'find', '/kinds', '-type', 'p');
    assert.match(t.stdout, /^┌/);
    assert.match(t.stdout, /│ \/kinds\/plain +│/);
    const dt = await cli('--format', 'table', 'du', '/kinds');
    assert.match(dt.stdout, /│ bytes │ nodes │ path/);
    // Not a terminal: never a progress line, however long the work.
    const quiet = await runCli(['-server', S, 'du', '/wide'], { env: { ZK_SHELL_PROGRESS_DELAY_MS: '0' } });
    assert.deepEqual([quiet.code, quiet.stderr], [0, '']);
  });

  it('on a terminal: a progress line on stderr, bars in du; Ctrl-C stops a walk mid-reply and says how far it got', async (t) => {
    const [host, port] = S.split(':');
    const proxy = await startFaultProxy({ host: host!, port: Number(port) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-search-'));
    const sh = new PtyShell(['-server', proxy.address, '--history-file', path.join(dir, 'h')], {
      ZK_SHELL_PROGRESS_DELAY_MS: '0',
      ...UTF8,
    });
    t.after(async () => {
      sh.kill();
      await proxy.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    const bars = await sh.line('du /kinds');
    assert.match(bars, /\n +2 +7 +█+ +\/kinds\n/, 'the whole subtree has the full bar');
    // A slow link: the walk is still running when the progress line is drawn.
    proxy.delay(100);
    let from = sh.text.length;
    sh.write('find /wide -name nothing\r');
    await sh.waitFor(/find: [\d,]+ nodes, [\d,]+\/s, \d+\.\ds/, from);
    // Replies stop coming: Ctrl-C must not wait for them.
    proxy.stallReplies();
    sh.write('\x03');
    await sh.waitFor(/find interrupted after [\d,]+ nodes \(\d+\.\ds\)\n\[zk: [^\n]*\(\w+\) 2\] $/, from);
    proxy.resume();
    proxy.delay(20);
    from = sh.text.length;
    sh.write('setAcl -R -y /locks world:anyone:cdrwa\r');
    await sh.waitFor(/setAcl -R: [\d,]+ nodes/, from);
    await sh.waitFor(/\(CONNECTED\) 3\] $/, from);
    from = sh.text.length;
    sh.write('deleteall -y /locks\r');
    await sh.waitFor(/deleteall: [\d,]+ nodes/, from);
    await sh.waitFor(/\(CONNECTED\) 4\] $/, from);
    assert.equal(await zk.exists('/locks'), null);
    assert.doesNotMatch(sh.text, /\n\s+at |internal error/);
  });
});
