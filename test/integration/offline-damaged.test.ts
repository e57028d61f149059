// Data dirs damaged as incidents leave them: a snapshot cut off while written, a log missing its middle,
// binary data in the log. A real server (snapCount=10) writes the files; copies of them are damaged.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listDataDir } from '../../src/offline/data-dir.js';
import { isStop, TxnLogReader } from '../../src/offline/txnlog-reader.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1, { config: { snapCount: '10', preAllocSize: '64' } });
let zk: ZooKeeperClient;
let dataDir = '';
const copies: string[] = [];

/** A copy of the data dir's version-2 that the test may damage. */
function copy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-damaged-'));
  copies.push(dir);
  fs.cpSync(path.join(dataDir, 'version-2'), path.join(dir, 'version-2'), { recursive: true });
  return dir;
}

describe('damaged data dirs', () => {
  before(async () => {
    dataDir = path.join(env.cluster.servers[0]!.cfg.dir, 'data');
    ({ zk } = await connectClient(env.cluster.connectString));
    await zk.create('/d', Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x5c, 0x0a]));
    for (let i = 0; i < 60; i++) await zk.create(`/d/n${i}`, Buffer.from(`v${i}`));
    await zk.setData('/d', Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xac]));
  });

  after(async () => {
    await zk?.close();
    for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
  });

  it('txnlog shows bytes that are not UTF-8 as \\xNN, never as one replacement character', async () => {
    const r = await runCli(['txnlog', dataDir, '--path', '/d']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0]!, / create \/d data="\\xff\\xfe\\u0000\\x80\\\\\\n" /);
    assert.match(lines[1]!, / setData \/d data="\\xc3\(€" version=1$/);
  });

  it('a newest snapshot cut off while written: an older one is used, with a warning', async () => {
    const dir = copy();
    const newest = listDataDir(dir).snapshots[0]!.file;
    fs.truncateSync(newest, Math.floor(fs.statSync(newest).size / 2));
    const r = await runCli(['--data-dir', dir, 'getAllChildrenNumber', '/d']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '60\n');
    assert.match(
      r.stderr,
      new RegExp(`^zk-shell: ${newest}: truncated or malformed snapshot .*; used an older snapshot\n$`),
    );
  });

  it('a log cut off in the middle of the history: the missing transactions are named', async () => {
    const dir = copy();
    const { logs, snapshots } = listDataDir(dir);
    // Only the oldest snapshot stays, so the load replays across the cut.
    for (const s of snapshots.slice(0, -1)) fs.rmSync(s.file);
    const log = logs.find((l, i) => i < logs.length - 1 && l.zxid > 1n)!;
    const reader = new TxnLogReader(log.file);
    const recs: { zxid: bigint; offset: number }[] = [];
    for (let r = reader.next(); !isStop(r); r = reader.next()) recs.push({ zxid: r.hdr.zxid, offset: r.offset });
    reader.close();
    assert.ok(recs.length >= 3, `${log.file} holds ${recs.length} records`);
    fs.truncateSync(log.file, recs[1]!.offset + 10);
    const hex = (z: bigint): string => `0x${z.toString(16)}`;
    const next = logs[logs.indexOf(log) + 1]!;
    const missing = `transactions ${hex(recs[1]!.zxid)}..${hex(next.zxid - 1n)} are missing from the logs (${next.file} goes on at ${hex(next.zxid)})`;
    const t = await runCli(['txnlog', dir]);
    assert.equal(t.code, 0, t.stderr);
    assert.ok(t.stderr.includes(`${missing}\n`), t.stderr);
    const o = await runCli(['--data-dir', dir, 'ls', '/']);
    assert.equal(o.code, 0, o.stderr);
    assert.ok(o.stderr.includes(`zk-shell: ${missing}: the tree past ${hex(recs[0]!.zxid)} may be wrong\n`), o.stderr);
    // A target inside the hole: the tree stops before it, and the logs do not "end" there.
    const mid = await runCli(['--data-dir', dir, '--zxid', hex(recs[2]!.zxid), 'ls', '/']);
    assert.equal(mid.code, 0, mid.stderr);
    assert.ok(!mid.stderr.includes('the logs end'), mid.stderr);
  });
});
