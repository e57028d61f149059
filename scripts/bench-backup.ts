// Backup speed (issue 15), standalone so the main bench can wire it in: on two throwaway servers, a 100k-node
// tree is exported, imported and copied by bin/zk-shell, against the server's own ceilings measured in the same
// run (multiRead getData for export, pipelined multi creates for import). Run after a build:
//   node dist/scripts/bench-backup.js     (BENCH_NODES=100000, BENCH_RUNS=3)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../src/server/zookeeper-server.js';
import { deleteTree } from '../src/tree/delete-tree.js';
import { ZooKeeperClient, type MultiOp } from '../src/zk/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'zk-shell');
const NODES = Number(process.env['BENCH_NODES'] ?? 100_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const FAN = 1000;

interface Run {
  ms: number;
  rssMB: number;
}

/** Runs zk-shell, timing it and sampling its peak RSS (VmHWM) until it exits; a failure ends the bench. */
function zkShell(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let hwm = 0;
    let stderr = '';
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
      } catch {
        /* exited */
      }
    }, 5);
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`zk-shell ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ ms: performance.now() - t0, rssMB: hwm / 1024 });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The tree's paths, parents first: root, FAN-wide groups, leaves. */
function treePaths(root: string, n: number): string[] {
  const out = [root];
  for (let g = 0; out.length < n; g++) {
    const group = `${root}/g${String(g).padStart(4, '0')}`;
    out.push(group);
    for (let i = 0; i < FAN - 1 && out.length < n; i++) out.push(`${group}/n${String(i).padStart(5, '0')}`);
  }
  return out;
}

/**
 * Runs task(0..n-1) with at most `inFlight` running, starting the next as each ends. (A Promise.race over the
 * running set costs O(inFlight) per task: at 1,000 in flight that was the client's CPU, not the server's.)
 */
function pipelined(n: number, inFlight: number, task: (i: number) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let live = 0;
    const start = (): void => {
      while (live < inFlight && next < n) {
        live++;
        task(next++).then(() => {
          live--;
          if (next >= n && live === 0) resolve();
          else start();
        }, reject);
      }
    };
    if (n === 0) resolve();
    else start();
  });
}

/** Pipelined multi creates (1,000 ops a batch, 8 batches in flight): the server's write ceiling. */
async function createAll(zk: ZooKeeperClient, paths: string[], data: Buffer): Promise<number> {
  const t0 = performance.now();
  await pipelined(Math.ceil(paths.length / 1000), 8, (b) =>
    zk.multi(paths.slice(b * 1000, b * 1000 + 1000).map((p): MultiOp => ({ type: 'create', path: p, data }))),
  );
  return paths.length / ((performance.now() - t0) / 1000);
}

/** multiRead getData over known paths (50 a request, 40 requests in flight): the server's read ceiling. */
async function readAll(zk: ZooKeeperClient, paths: string[]): Promise<number> {
  const t0 = performance.now();
  await pipelined(Math.ceil(paths.length / 50), 40, (b) =>
    zk.multiRead(paths.slice(b * 50, b * 50 + 50).map((x) => ({ type: 'getData' as const, path: x }))),
  );
  return paths.length / ((performance.now() - t0) / 1000);
}

/** getACL over known paths, 1,000 in flight: there is no multi form, so this bounds an export with ACLs. */
async function aclAll(zk: ZooKeeperClient, paths: string[]): Promise<number> {
  const t0 = performance.now();
  await pipelined(paths.length, 1000, (i) => zk.getACL(paths[i]!));
  return paths.length / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const log = (l: string): void => void process.stderr.write(`${l}\n`);
  const [a, b] = await Promise.all([startCluster(1), startCluster(1)]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-bench-backup-'));
  const za = await ZooKeeperClient.connect({ connectString: a.connectString });
  const zb = await ZooKeeperClient.connect({ connectString: b.connectString });
  try {
    const paths = treePaths('/tree', NODES);
    const data = Buffer.from('leaf data of a typical size: {"host":"10.0.0.1","port":9092}');
    log(`building ${paths.length} nodes…`);
    await createAll(za, paths, data);
    // Each ceiling is measured next to the command it bounds, round by round: the server's state (its heap,
    // the garbage of the last delete) drifts over a run, and a ceiling taken only at the start flattered it.
    const file = path.join(dir, 'tree.jsonl');
    const readCeilings: number[] = [];
    const aclCeilings: number[] = [];
    const exports: Run[] = [];
    const noAcl: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      readCeilings.push(await readAll(za, paths));
      exports.push(await zkShell(['-server', a.connectString, 'export', '/tree', '-o', file]));
      aclCeilings.push(await aclAll(za, paths));
      noAcl.push(await zkShell(['-server', a.connectString, 'export', '--no-acl', '/tree', '-o', `${file}.noacl`]));
    }
    const readCeiling = median(readCeilings);
    const aclCeiling = median(aclCeilings);
    const writeCeilings: number[] = [];
    const imports: Run[] = [];
    const cps: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      writeCeilings.push(await createAll(zb, treePaths('/ceiling', NODES), data));
      await deleteTree(zb, '/ceiling');
      imports.push(await zkShell(['-server', b.connectString, 'import', file, '/imported']));
      await deleteTree(zb, '/imported');
      cps.push(await zkShell(['-server', a.connectString, 'cp', '-R', '/tree', `zk://${b.connectString}/copied`]));
      await deleteTree(zb, '/copied');
    }
    const writeCeiling = median(writeCeilings);
    const ex = median(exports.map((r) => r.ms));
    const im = median(imports.map((r) => r.ms));
    const exNoAcl = median(noAcl.map((r) => r.ms));
    const cp = median(cps.map((r) => r.ms));
    const rate = (ms: number): number => paths.length / (ms / 1000);
    const pct = (x: number, of: number): string => `${((100 * x) / of).toFixed(0)}%`;
    const rows = [
      '| measure | value | target |',
      '|---|---:|---|',
      `| export of ${paths.length} nodes (whole process) | ${rate(ex).toFixed(0)} nodes/s, ${ex.toFixed(0)} ms | ≥ 50% of the multiRead getData ceiling: ${pct(rate(ex), readCeiling)} |`,
      `| server ceiling: multiRead getData | ${readCeiling.toFixed(0)} nodes/s | |`,
      `| server ceiling: pipelined getACL (no multi form exists) | ${aclCeiling.toFixed(0)} nodes/s | bounds an export with ACLs: ${pct(rate(ex), aclCeiling)} of it |`,
      `| export --no-acl | ${rate(exNoAcl).toFixed(0)} nodes/s, ${exNoAcl.toFixed(0)} ms | ${pct(rate(exNoAcl), readCeiling)} of the multiRead ceiling |`,
      `| export peak RSS | ${median(exports.map((r) => r.rssMB)).toFixed(0)} MB | < 150 MB |`,
      `| import of that export (whole process) | ${rate(im).toFixed(0)} nodes/s, ${im.toFixed(0)} ms | ≥ 50% of the multi-create ceiling: ${pct(rate(im), writeCeiling)} |`,
      `| server ceiling: pipelined multi create | ${writeCeiling.toFixed(0)} nodes/s | |`,
      `| import peak RSS | ${median(imports.map((r) => r.rssMB)).toFixed(0)} MB | |`,
      `| cp -R between the two servers | ${rate(cp).toFixed(0)} nodes/s, ${cp.toFixed(0)} ms | no slower than export + import (${(ex + im).toFixed(0)} ms): ${cp <= ex + im ? 'yes' : 'no'} |`,
      `| cp peak RSS | ${median(cps.map((r) => r.rssMB)).toFixed(0)} MB | |`,
    ];
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    await za.close();
    await zb.close();
    await Promise.all([a.stop(), b.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench-backup: ${(e as Error).message}\n`);
  process.exit(1);
});
