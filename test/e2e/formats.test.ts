// Every command through bin/zk-shell with --format json (checked against the shape its spec declares,
// the one the man page prints) and --format table (a table fitted to COLUMNS, nothing, or a refusal).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commands, findCommand } from '../../src/commands/index.js';
import { shapeErrors } from '../../src/output/json-shape.js';
import { FOUR_LETTER_WORDS } from '../../src/zk/four-letter.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
const WIDTH = 72;
/** Export files of the backup cases (removed after). */
const BACKUP_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-fmt-'));
const BACKUP = path.join(BACKUP_DIR, 'fmt');
after(() => fs.rmSync(BACKUP_DIR, { recursive: true, force: true }));

interface Case {
  /** The registered command whose shape the last JSON document must have. */
  command: string;
  /** Script lines; `{f}` becomes the format, so state-changing lines never collide. */
  lines: string[];
  /** What --format table prints: tables (default), nothing on stdout, or a refusal (exit 2). */
  table?: 'rows' | 'empty' | 'refused';
  /** The line fails in every format (exit code and stderr). */
  fails?: { code: number; stderr: RegExp };
}

const CASES: Case[] = [
  { command: 'addauth', lines: ['addauth digest fmtuser -E FMT_PW'], table: 'empty' },
  { command: 'addWatch', lines: ['addWatch /fmt'], table: 'empty' },
  { command: 'admin', lines: ['admin ruok -port ADMIN_PORT'] },
  { command: 'cd', lines: ['cd /fmt'] },
  { command: 'cd', lines: ['cd /fmt/bin', 'cd -'] },
  { command: 'close', lines: ['close'], table: 'empty' },
  { command: 'cluster', lines: ['cluster --admin-port ADMIN_PORT'] },
  { command: 'config', lines: ['config'], table: 'empty' },
  { command: 'config', lines: ['config -s'] },
  { command: 'connect', lines: ['connect'], table: 'empty' },
  { command: 'count', lines: ['count /fmt'] },
  { command: 'create', lines: ['create /fmt-{f}-new x'], table: 'empty' },
  { command: 'cp', lines: ['cp -R /fmt /fmt-cp-{f}'] },
  { command: 'diff', lines: ['diff /fmt /fmt'], table: 'refused' },
  { command: 'export', lines: [`export /fmt -o ${BACKUP}-{f}.jsonl`] },
  { command: 'import', lines: [`export /fmt -o ${BACKUP}-i-{f}.jsonl`, `import ${BACKUP}-i-{f}.jsonl /fmt-i-{f}`] },
  {
    command: 'import',
    lines: [`export /fmt -o ${BACKUP}-d-{f}.jsonl`, `import --dry-run ${BACKUP}-d-{f}.jsonl /fmt-d-{f}`],
  },
  { command: 'delete', lines: ['delete /fmt/del-{f}'], table: 'empty' },
  { command: 'election', lines: ['create /fmt/el-{f} x', 'create -e -s /fmt/el-{f}/n_ a', 'election /fmt/el-{f}'] },
  { command: 'deleteall', lines: ['deleteall /fmt/tree-{f}'], table: 'empty' },
  { command: 'setquota', lines: ['setquota -n 5 /fmt/q-{f}'], table: 'empty' },
  { command: 'listquota', lines: ['listquota /fmt/q-{f}'] },
  { command: 'locks', lines: ['create /fmt/lk-{f} x', 'create -e -s /fmt/lk-{f}/lock- 10.0.0.1', 'locks /fmt/lk-{f}'] },
  { command: 'delquota', lines: ['delquota /fmt/q-{f}'], table: 'empty' },
  { command: 'edit', lines: ['edit /fmt'] },
  { command: 'exists', lines: ['exists /fmt'] },
  { command: 'exists', lines: ['exists -s /fmt'] },
  { command: 'du', lines: ['du -d 2 /fmt'] },
  { command: 'find', lines: ['find /fmt -name bin'] },
  // stmk needs the mask to set (306 is the server's default).
  ...FOUR_LETTER_WORDS.map((w): Case => ({ command: '4lw', lines: [w === 'stmk' ? 'stmk 306' : w] })),
  { command: '4lw', lines: ['create -e /fmt/eph-{f}', 'get -w /fmt', 'wchc'] },
  { command: '4lw', lines: ['create -e /fmt/eph2-{f}', 'get -w /fmt', 'wchp'] },
  { command: '4lw', lines: ['create -e /fmt/eph3-{f}', 'dump'] },
  // With a live session cons lists 16 fields per connection: still within the width.
  { command: '4lw', lines: ['ls /fmt', 'cons'] },
  { command: '4lw', lines: ['get -w /fmt', 'wchp --by-client'] },
  { command: 'get', lines: ['get /fmt'] },
  { command: 'get', lines: ['get -s /fmt'] },
  { command: 'get', lines: ['get -x /fmt/bin'] },
  { command: 'get', lines: ['get -b /fmt/bin'] },
  { command: 'getAcl', lines: ['getAcl -s /fmt'] },
  { command: 'getAllChildrenNumber', lines: ['getAllChildrenNumber /fmt'] },
  { command: 'getEphemerals', lines: ['create -e /fmt/e-{f}', 'getEphemerals /fmt'] },
  { command: 'grep', lines: ['grep -E v[0-9] /fmt'] },
  { command: 'grep', lines: ['grep -c v /fmt'] },
  { command: 'help', lines: ['help'] },
  { command: 'help', lines: ['help ls'] },
  { command: 'history', lines: ['ls /', 'history'] },
  { command: 'ls', lines: ['ls /fmt'] },
  { command: 'ls', lines: ['ls -s /fmt'] },
  { command: 'ls', lines: ['ls -R /fmt'], table: 'refused' },
  { command: 'ls2', lines: ['ls2 /fmt'] },
  { command: 'members', lines: ['create /fmt/m-{f} x', 'create -e /fmt/m-{f}/i1 10.0.0.1:9092', 'members /fmt/m-{f}'] },
  { command: 'mv', lines: ['cd /fmt/mv-{f}', 'mv a moved'] },
  { command: 'printwatches', lines: ['printwatches'] },
  { command: 'printwatches', lines: ['printwatches on'], table: 'empty' },
  { command: 'pwd', lines: ['cd /fmt', 'pwd'] },
  {
    command: 'reconfig',
    lines: ['reconfig -remove 3'],
    fails: { code: 1, stderr: /^KeeperErrorCode = Reconfig is disabled\n$/ },
  },
  { command: 'get', lines: ['get /fmt', 'redo 0'] },
  { command: 'removewatches', lines: ['get -w /fmt', 'removewatches /fmt'], table: 'empty' },
  { command: 'set', lines: ['set /fmt v2'], table: 'empty' },
  { command: 'set', lines: ['set -s /fmt v3'] },
  { command: 'setAcl', lines: ['setAcl /fmt world:anyone:cdrwa'], table: 'empty' },
  { command: 'setAcl', lines: ['setAcl -s /fmt world:anyone:cdrwa'] },
  { command: 'stat', lines: ['stat /fmt'] },
  { command: 'sync', lines: ['sync /fmt'] },
  { command: 'txnlog', lines: ['txnlog DATA_DIR --path /fmt'] },
  { command: 'open', lines: ['open DATA_DIR'], table: 'empty' },
  { command: 'tree', lines: ['create /fmt/t-{f}', 'create /fmt/t-{f}/x', 'tree -s /fmt/t-{f}'] },
  { command: 'version', lines: ['version'] },
  { command: 'session', lines: ['get -w /fmt', 'session'] },
  { command: 'txn', lines: ['txn -f TXN_FILE'] },
  { command: 'watch', lines: ['watch --timeout 200ms /fmt'], table: 'empty' },
  { command: 'whoami', lines: ['whoami'] },
  { command: 'quit', lines: ['quit'], table: 'empty' },
];

/** The JSON documents of a run, in order (ls -R spans lines, everything else is one line). */
function jsonDocs(out: string): unknown[] {
  const docs: unknown[] = [];
  let buf = '';
  for (const line of out.split('\n')) {
    buf += `${line}\n`;
    if (!buf.trim()) continue;
    try {
      docs.push(JSON.parse(buf));
      buf = '';
    } catch {
      /* the document goes on */
    }
  }
  assert.equal(buf.trim(), '', `output that is not JSON: ${buf}`);
  return docs;
}

let S = '';
let adminPort = '';
let dataDir = '';
let txnFile = '';
const run = (format: string, c: Case, extra: Record<string, string> = {}): ReturnType<typeof runCli> =>
  runCli(
    [
      '-server',
      S,
      '--format',
      format,
      ...c.lines.flatMap((l) => [
        '-c',
        l
          .replace('{f}', format)
          .replace('ADMIN_PORT', adminPort)
          .replace('DATA_DIR', dataDir)
          .replace('TXN_FILE', txnFile),
      ]),
    ],
    // edit's editor: `true` leaves the text as it is.
    { env: { FMT_PW: 'fmt-secret-1', COLUMNS: String(WIDTH), EDITOR: 'true', VISUAL: '', ...extra } },
  );

describe('--format json and table for every command', () => {
  before(async () => {
    S = env.cluster.connectString;
    adminPort = String(env.cluster.servers[0]!.cfg.adminPort);
    dataDir = `${env.cluster.servers[0]!.cfg.dir}/data`;
    txnFile = path.join(BACKUP_DIR, 'check.txn');
    fs.writeFileSync(txnFile, 'check /fmt -1\n');
    const { zk } = await connectClient(S);
    await zk.create('/fmt', Buffer.from('v1'));
    await zk.create('/fmt/bin', Buffer.from([0, 1, 2, 0xff, 0xfe]));
    for (const f of ['json', 'table']) {
      await zk.create(`/fmt/del-${f}`, null);
      await zk.create(`/fmt/tree-${f}`, null);
      await zk.create(`/fmt/tree-${f}/x`, null);
      await zk.create(`/fmt/q-${f}`, null);
      await zk.create(`/fmt/mv-${f}`, null);
      await zk.create(`/fmt/mv-${f}/a`, null);
    }
    await zk.close();
  });

  it('the cases cover every command and every four-letter word', () => {
    const covered = new Set(CASES.map((c) => c.command));
    for (const c of commands)
      assert.ok(
        covered.has(c.name) || (c.name === 'redo' && CASES.some((k) => k.lines.some((l) => l.startsWith('redo')))),
        c.name,
      );
    for (const w of FOUR_LETTER_WORDS)
      assert.ok(
        CASES.some((c) => c.command === '4lw' && c.lines.at(-1)?.split(' ')[0] === w),
        w,
      );
  });

  for (const c of CASES) {
    it(`${c.lines.join(' ; ')}`, async () => {
      const spec = findCommand(c.command);
      assert.ok(spec, c.command);
      const json = await run('json', c);
      const table = await run('table', c);
      if (c.fails) {
        for (const r of [json, table]) {
          assert.equal(r.code, c.fails.code, r.stderr);
          assert.match(r.stderr, c.fails.stderr);
        }
        return;
      }
      assert.equal(json.code, 0, json.stderr);
      const doc = jsonDocs(json.stdout).at(-1);
      assert.deepEqual(shapeErrors(spec.json, doc), [], JSON.stringify(doc).slice(0, 400));
      const expect = c.table ?? 'rows';
      if (expect === 'refused') {
        assert.equal(table.code, 2);
        assert.equal(table.stdout, '');
        assert.match(table.stderr, /^(ls -R|diff) has no table form \(it streams\); use --format zkcli or json\n$/);
        return;
      }
      assert.equal(table.code, 0, table.stderr);
      const last = c.lines.at(-1)!;
      if (expect === 'empty') {
        // Only the earlier lines of the case may print (they are tables too).
        if (c.lines.length === 1) assert.equal(table.stdout, '', last);
      } else {
        assert.match(table.stdout, /^┌/, `${last} prints a table`);
        assert.doesNotMatch(table.stdout, /^[^┌│├└]/m, `${last}: nothing but tables`);
      }
      for (const l of table.stdout.split('\n')) assert.ok([...l].length <= WIDTH, `fits ${WIDTH} columns: ${l}`);
    });
  }
});

describe('what the documents say', () => {
  it('four-letter words are key/value objects with numbers as numbers', async () => {
    const port = env.cluster.servers[0]!.cfg.clientPort;
    const doc = async (w: string): Promise<Record<string, unknown>> => {
      const r = await runCli(['-server', S, '--format', 'json', w]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const mntr = await doc('mntr');
    const mv = mntr['values'] as Record<string, unknown>;
    assert.equal(mv['zk_server_state'], 'standalone');
    assert.equal(typeof mv['zk_znode_count'], 'number');
    assert.equal(typeof mv['zk_avg_latency'], 'number');
    const conf = (await doc('conf'))['values'] as Record<string, unknown>;
    assert.equal(conf['clientPort'], port);
    const srvr = (await doc('srvr'))['values'] as Record<string, unknown>;
    assert.equal(srvr['mode'], 'standalone');
    assert.ok(Number.isInteger(srvr['node_count']) && Number.isInteger(srvr['latency_max']), JSON.stringify(srvr));
    assert.match(String(srvr['zxid']), /^0x[0-9a-f]+$/);
    const stat = await doc('stat');
    assert.ok((stat['clients'] as unknown[]).length >= 1, 'stat lists its own connection');
    assert.deepEqual(await doc('ruok'), { word: 'ruok', server: S, ok: true });
  });

  it("version is {version, zookeeperProtocol}; zkcli keeps zkCli's line", async () => {
    const j = await runCli(['--format', 'json', 'version']);
    const doc = JSON.parse(j.stdout) as { version: string; zookeeperProtocol: string };
    assert.match(doc.version, /^\d+\.\d+\.\d+/);
    assert.match(doc.zookeeperProtocol, /^3\.\d+$/);
    const z = await runCli(['version']);
    assert.equal(z.stdout, `ZooKeeper CLI version: zk-shell-${doc.version}\n`);
  });

  it('listquota gives numbers for the quota and the usage', async () => {
    const r = await runCli([
      '-server',
      S,
      '--format',
      'json',
      '-c',
      'create /fmtq',
      '-c',
      'setquota -n 7 /fmtq',
      '-c',
      'listquota /fmtq',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = jsonDocs(r.stdout).at(-1) as { limits: Record<string, unknown>; stats: Record<string, unknown> };
    assert.equal(doc.limits['count'], 7);
    assert.equal(doc.stats['count'], 1);
  });

  it('piped tables without COLUMNS keep natural widths: one line per mntr key', async () => {
    const r = await runCli(['-server', S, '--format', 'table', 'mntr'], { env: { COLUMNS: '' } });
    assert.equal(r.code, 0, r.stderr);
    const keys = JSON.parse((await runCli(['-server', S, '--format', 'json', 'mntr'])).stdout) as { values: object };
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('│'));
    assert.equal(rows.length, Object.keys(keys.values).length + 1, 'no row wraps');
    const widest = Math.max(...Object.keys(keys.values).map((k) => k.length));
    assert.equal(rows[0]!.indexOf('│', 1), widest + 3, 'the key column is as wide as the longest key');
  });
});
