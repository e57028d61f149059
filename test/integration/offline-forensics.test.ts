// A real server writes snapshots and logs (snapCount=20) while the test drives a known history; the
// offline tree at each recorded zxid must equal the live tree at that moment, node by node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { listDataDir, loadDataDir } from '../../src/offline/data-dir.js';
import { isStop, TxnLogReader } from '../../src/offline/txnlog-reader.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { OfflineZk } from '../../src/offline/offline-zk.js';
import type { ACL, Stat, ZooKeeperClient } from '../../src/zk/client.js';
import { digestId } from '../../src/zk/acl.js';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';

const env = useCluster(1, {
  config: { snapCount: '20', preAllocSize: '64' },
  // Empty containers and expired TTL nodes are removed within a second (deleteContainer txns).
  properties: { 'znode.container.checkIntervalMs': '200', 'znode.container.maxPerMinute': '10000' },
});

interface Reader {
  getChildren(p: string): Promise<string[]>;
  getData(p: string): Promise<{ data: Buffer | null; stat: Stat }>;
  getACL(p: string): Promise<{ acl: ACL[]; stat: Stat }>;
}
type Snapshot = Map<string, { data: string | null; acl: ACL[]; stat: Stat }>;

/** Every node under /f (and /f itself): data, ACL and stat. */
async function capture(zk: Reader, root = '/f'): Promise<Snapshot> {
  const out: Snapshot = new Map();
  const visit = async (p: string): Promise<void> => {
    const { data, stat } = await zk.getData(p);
    const { acl } = await zk.getACL(p);
    out.set(p, { data: data === null ? null : data.toString('base64'), acl, stat });
    for (const c of (await zk.getChildren(p)).sort()) await visit(`${p}/${c}`);
  };
  await visit(root);
  return out;
}

const lastZxid = async (): Promise<bigint> => {
  const s = await fourLetterWord('127.0.0.1', env.cluster.servers[0]!.cfg.clientPort, 'srvr');
  return BigInt(/^Zxid: (0x[0-9a-f]+)/m.exec(s)![1]!);
};

const checkpoints: { name: string; zxid: bigint; tree: Snapshot; count: number; ephemerals?: string[] }[] = [];
let dataDir = '';
let zk: ZooKeeperClient;
let otherSession = 0n;
let deleteZxid = 0n;

/** Separate transactions, so the server rolls snapshots and logs mid-history. */
const churn = async (n: number): Promise<void> => {
  await Promise.all(Array.from({ length: n }, (_, i) => zk.setData('/f/churn', Buffer.from(`c${i}`))));
};

async function checkpoint(name: string, ephemerals?: string[]): Promise<void> {
  checkpoints.push({
    name,
    zxid: await lastZxid(),
    tree: await capture(zk),
    count: await zk.getAllChildrenNumber('/f'),
    ...(ephemerals ? { ephemerals } : {}),
  });
}

describe('offline tree from a data dir', () => {
  before(async () => {
    dataDir = path.join(env.cluster.servers[0]!.cfg.dir, 'data');
    ({ zk } = await connectClient(env.cluster.connectString));
    // The superuser sees digest ACLs unmasked (others get 'bob:x'), as the files hold them.
    await zk.addAuth('digest', SUPER_AUTH);
    await zk.multi([
      { type: 'create', path: '/f', data: Buffer.from('root') },
      { type: 'create', path: '/f/a', data: Buffer.from('a1') },
      { type: 'create', path: '/f/b', data: Buffer.from('b1') },
      { type: 'create', path: '/f/churn', data: null },
    ]);
    await checkpoint('multi create');
    await churn(25);
    await zk.setData('/f/a', Buffer.from('a2'));
    await zk.setData('/f/a', Buffer.from([0, 1, 2, 255]));
    await checkpoint('setData');
    await zk.setACL('/f/b', [
      { perms: 31, id: { scheme: 'digest', id: digestId('bob:pw') } },
      { perms: 1, id: { scheme: 'world', id: 'anyone' } },
    ]);
    await churn(25);
    await checkpoint('setACL');
    const { zk: zk2 } = await connectClient(env.cluster.connectString);
    otherSession = zk2.sessionId;
    await zk2.create('/f/e1', Buffer.from('eph'), { mode: CreateMode.EPHEMERAL });
    await zk2.create('/f/seq-', null, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
    await zk.create('/f/c', null, { mode: CreateMode.CONTAINER });
    await zk.create('/f/c/x', Buffer.from('x'));
    await zk.create('/f/t', Buffer.from('ttl'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 300 });
    await checkpoint('ephemerals, container, ttl', (await zk2.getEphemerals('/f')).sort());
    await zk2.close();
    await churn(22);
    await checkpoint('session closed');
    await zk.delete('/f/b');
    deleteZxid = (await zk.exists('/f'))!.pzxid;
    // A multi that fails is logged too (as errors) and changes nothing.
    await zk
      .multi([
        { type: 'create', path: '/f/never', data: null },
        { type: 'check', path: '/f/a', version: 99 },
      ])
      .catch(() => undefined);
    await zk.delete('/f/c/x');
    await until(async () => !(await zk.exists('/f/c')) && !(await zk.exists('/f/t')), 'container and TTL removal');
    await checkpoint('deletes and containers');
    await churn(5);
    await checkpoint('end');
  });

  after(async () => {
    await zk?.close();
  });

  it('the server wrote several snapshots and logs', () => {
    const names = fs.readdirSync(path.join(dataDir, 'version-2'));
    assert.ok(names.filter((n) => n.startsWith('snapshot.')).length >= 3, names.join(' '));
    assert.ok(names.filter((n) => n.startsWith('log.')).length >= 3, names.join(' '));
  });

  it('equals the live tree at every recorded zxid, node by node', async () => {
    for (const c of checkpoints) {
      const { tree, report } = loadDataDir(dataDir, { zxid: c.zxid });
      const off = new OfflineZk(tree, report);
      assert.equal(report.zxid, c.zxid, c.name);
      assert.deepEqual(await capture(off), c.tree, `${c.name} at 0x${c.zxid.toString(16)}`);
      assert.equal(await off.getAllChildrenNumber('/f'), c.count, c.name);
      if (c.ephemerals) assert.deepEqual(await off.getEphemerals('/f'), c.ephemerals, c.name);
    }
  });

  it('picks a snapshot that is complete by the target, and starts from one when it can', () => {
    const end = checkpoints.at(-1)!;
    const { report } = loadDataDir(dataDir, { zxid: end.zxid });
    assert.ok(report.snapshot, 'a snapshot was used');
    assert.ok(report.snapshot.fuzzyEnd <= end.zxid);
    assert.ok(report.replayed < Number(end.zxid), 'not everything was replayed from the logs');
  });

  it('--at TIME gives the tree of the last transaction logged by then', async () => {
    const c = checkpoints.find((k) => k.name === 'setData')!;
    const time = Number(c.tree.get('/f/a')!.stat.mtime);
    const { tree, report } = loadDataDir(dataDir, { time });
    assert.ok(report.zxid >= c.tree.get('/f/a')!.stat.mzxid);
    assert.equal(tree.get('/f/a')!.data!.toString('hex'), '000102ff');
  });
});

const hex = (z: bigint): string => `0x${z.toString(16)}`;

/** Offsets and zxids of the records of a log file. */
function records(file: string): { offset: number; zxid: bigint }[] {
  const r = new TxnLogReader(file);
  const out: { offset: number; zxid: bigint }[] = [];
  for (let x = r.next(); !isStop(x); x = r.next()) out.push({ offset: x.offset, zxid: x.hdr.zxid });
  r.close();
  return out;
}

/** A copy of the data dir and the copy of its newest log that has records. */
function copyWithNewestLog(): { dir: string; log: string; recs: { offset: number; zxid: bigint }[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-forensics-'));
  fs.cpSync(dataDir, dir, { recursive: true });
  const files = listDataDir(dir);
  for (const l of files.logs.reverse()) {
    const recs = records(l.file);
    if (recs.length < 3) continue;
    // Earlier tests may have rolled a short newer log; a crash truncates only the newest, so drop what follows.
    for (const f of files.logs) if (f.zxid > l.zxid) fs.rmSync(f.file);
    for (const f of files.snapshots) if (f.zxid >= recs.at(-1)!.zxid) fs.rmSync(f.file);
    return { dir, log: l.file, recs };
  }
  throw new Error('no log with records');
}

describe('txnlog on the same history', () => {
  it('"who deleted it": --path and --type delete find the one delete, with its zxid and session', async () => {
    const r = await runCli(['txnlog', dataDir, '--path', '/f/b', '--type', 'delete']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0]!, new RegExp(`^\\S+Z ${hex(deleteZxid)} ${hex(zk.sessionId)} delete /f/b$`));
  });

  it('a path glob also finds the ephemerals a closing session deleted', async () => {
    const r = await runCli(['txnlog', dataDir, '--path', '/f/e*', '--type', 'closeSession']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^\\S+ 0x[0-9a-f]+ ${hex(otherSession)} closeSession - deleted=\\[.*/f/e1.*\\]\n$`),
    );
  });

  it('--session, --type multi, --from/--to and JSON Lines', async () => {
    const s = await runCli(['txnlog', dataDir, '--session', hex(otherSession)]);
    assert.equal(s.code, 0, s.stderr);
    const types = s.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[3]);
    assert.deepEqual(types, ['createSession', 'create', 'create', 'closeSession']);
    const m = await runCli(['--format', 'json', 'txnlog', dataDir, '--type', 'multi']);
    const docs = m.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { multi?: boolean; type: string; path?: string });
    assert.ok(docs.length >= 6 && docs.every((d) => d.multi === true), m.stdout);
    assert.ok(docs.some((d) => d.type === 'create' && d.path === '/f/a'));
    assert.ok(
      docs.some((d) => d.type === 'error'),
      'the failed multi is logged as errors',
    );
    const [from, to] = [checkpoints[1]!.zxid, checkpoints[2]!.zxid];
    const w = await runCli(['--format', 'json', 'txnlog', dataDir, '--from', hex(from), '--to', hex(to)]);
    const zxids = w.stdout
      .trim()
      .split('\n')
      .map((l) => BigInt((JSON.parse(l) as { zxid: string }).zxid));
    assert.equal(zxids[0], from);
    assert.equal(zxids.at(-1), to);
    const bad = await runCli(['txnlog', dataDir, '--type', 'remove']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^unknown --type remove/);
  });

  it('-f prints transactions as the server logs them', async () => {
    const child = spawn(process.execPath, [BIN, 'txnlog', dataDir, '--path', '/f/followed', '-f'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await new Promise((r) => setTimeout(r, 500));
      const { zk: writer } = await connectClient(env.cluster.connectString);
      await writer.create('/f/followed', Buffer.from('live'));
      await writer.close();
      await until(() => out.includes('create /f/followed data="live"'), 'the followed create', 10000);
    } finally {
      child.kill('SIGINT');
    }
  });

  it('a truncated log is reported with the last good zxid, not as an error', async () => {
    const { dir, log, recs } = copyWithNewestLog();
    try {
      const last = recs.at(-1)!;
      fs.truncateSync(log, last.offset + 20);
      const r = await runCli(['txnlog', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stderr,
        `${log}: truncated at offset ${last.offset}; last good transaction ${hex(recs.at(-2)!.zxid)}\n`,
      );
      assert.ok(!r.stdout.includes(` ${hex(last.zxid)} `));
      const o = await runCli(['--data-dir', dir, 'ls', '/f']);
      assert.equal(o.code, 0, o.stderr);
      assert.match(o.stderr, /truncated at offset \d+; last good transaction 0x[0-9a-f]+ \(a crash leaves this\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a flipped bit fails, naming the file and the offset', async () => {
    const { dir, log, recs } = copyWithNewestLog();
    try {
      const rec = recs[1]!;
      const fd = fs.openSync(log, 'r+');
      const b = Buffer.alloc(1);
      fs.readSync(fd, b, 0, 1, rec.offset + 30);
      b[0] = b[0]! ^ 0x10;
      fs.writeSync(fd, b, 0, 1, rec.offset + 30);
      fs.closeSync(fd);
      const want = `${log}: checksum mismatch (Adler32) in transaction record at offset ${rec.offset}\n`;
      const r = await runCli(['txnlog', dir]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, want);
      const o = await runCli(['--data-dir', dir, 'ls', '/']);
      assert.equal(o.code, 1);
      assert.equal(o.stderr, `zk-shell: ${want}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the shell on a data dir: reads as on a server, writes refused, bad input in one line', async () => {
    const r = await runCli(['--data-dir', dataDir, '-c', 'get /f/a', '-c', 'getAcl /f', '-c', 'create /f/new']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `\u0000\u0001\u0002\ufffd\n'world,'anyone\n: cdrwa\n`);
    assert.equal(r.stderr, 'read-only: this is a snapshot\n');
    // Bulk writes too: the refusal alone, no "stopped: 0 of N deleted … outcome unknown" account.
    for (const cmd of ['deleteall /f', 'setAcl -R /f world:anyone:r']) {
      const bulk = await runCli(['--data-dir', dataDir, '-y', '-c', cmd]);
      assert.deepEqual([bulk.code, bulk.stderr], [1, 'read-only: this is a snapshot\n'], cmd);
    }
    // Commands that need a live session do not dial the default connect string behind the user's back.
    const live = await runCli(['--data-dir', dataDir, '-c', 'session']);
    assert.equal(live.code, 1);
    assert.match(live.stderr, /is open \(read-only\); "connect host:port" goes back to a server\n$/);
    const old = await runCli(['--data-dir', dataDir, '--zxid', hex(checkpoints[0]!.zxid), 'get', '/f/a']);
    assert.equal(old.stdout, 'a1\n');
    const none = await runCli(['--data-dir', path.join(dataDir, 'nope'), 'ls', '/']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^zk-shell: cannot open data dir .*nope: ENOENT\n$/);
    const z = await runCli(['--zxid', '5', 'ls', '/']);
    assert.equal(z.code, 2);
    assert.equal(z.stderr, 'zk-shell: --zxid needs --data-dir\n');
  });
});
