// find, grep, du, tree and count over a 100k-node tree next to ls -R, through bin/zk-shell, on a
// throwaway server: `node dist/scripts/bench-search.js` (after a build). scripts/bench.ts can call
// benchSearch() with its own server and tree instead. Numbers depend on the machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../src/server/zookeeper-server.js';
import { ZooKeeperClient } from '../src/zk/client.js';
import { joinPath } from '../src/zk/path.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'zk-shell');
const RUNS = Number(process.env['BENCH_RUNS_SLOW'] ?? 3);

const GNU_TIME = '/usr/bin/time';
const haveTime = fs.existsSync(GNU_TIME);

/**
 * Wall time and client CPU (user + system, from GNU time when installed) of one run of bin/zk-shell,
 * stdout discarded. CPU is the steadier number on a shared machine. Rejects on an unexpected exit code.
 */
function time(connect: string, args: string[], okCodes = [0]): Promise<{ ms: number; cpuMs: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const argv = [BIN, '-server', connect, ...args];
    const child = haveTime
      ? spawn(GNU_TIME, ['-f', 'cpu %U %S', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
      if (!okCodes.includes(code ?? -1)) reject(new Error(`${args.join(' ')}: exit ${code}: ${err.trim()}`));
      else resolve({ ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** bench.ts's 100k shape: ROOT / 100 directories / 1000 leaves, small data on every node. */
export async function buildTree(zk: ZooKeeperClient, root: string, fan1 = 100, fan2 = 1000): Promise<number> {
  await zk.create(root, null);
  const level1 = Array.from({ length: fan1 }, (_, i) => joinPath(root, `d${String(i).padStart(4, '0')}`));
  await Promise.all(level1.map((p) => zk.create(p, Buffer.from('x'))));
  const leaves: string[] = [];
  for (const p of level1) for (let j = 0; j < fan2; j++) leaves.push(joinPath(p, `n${String(j).padStart(5, '0')}`));
  for (let i = 0; i < leaves.length; i += 5000)
    await Promise.all(leaves.slice(i, i + 5000).map((p, k) => zk.create(p, Buffer.from(`leaf ${i + k}`))));
  return 1 + fan1 + leaves.length;
}

export interface SearchRow {
  command: string;
  ms: number;
  /** Client CPU (user + system); null without GNU time. */
  cpuMs: number | null;
  /** Wall time relative to ls -R of the same tree. */
  ratio: number;
  cpuRatio: number | null;
}

/** Medians of each search command over `root` next to ls -R; the first row is ls -R itself. */
export async function benchSearch(connect: string, root: string, runs = RUNS): Promise<SearchRow[]> {
  const cases: [string, string[], number[]?][] = [
    ['ls -R', ['ls', '-R', root]],
    ['find -name (path tests only)', ['find', root, '-name', 'n0000*']],
    ['find -type e (reads every stat)', ['find', root, '-type', 'e']],
    ['tree', ['tree', root]],
    ['tree -s', ['tree', '-s', root]],
    ['grep -l (reads all data)', ['grep', '-l', 'leaf 9999', root]],
    ['grep, no match (exit 1)', ['grep', 'no-such-text', root], [1]],
    ['du -d 1', ['du', root]],
    ['count (getAllChildrenNumber)', ['count', root]],
  ];
  const out: SearchRow[] = [];
  for (const [name, args, codes] of cases) {
    await time(connect, args, codes); // warm-up: page cache, JIT of the server
    const runs_: { ms: number; cpuMs: number | null }[] = [];
    for (let i = 0; i < runs; i++) runs_.push(await time(connect, args, codes));
    const ms = median(runs_.map((r) => r.ms));
    const cpuMs = runs_.every((r) => r.cpuMs !== null) ? median(runs_.map((r) => r.cpuMs!)) : null;
    const base = out[0] ?? { ms, cpuMs };
    out.push({
      command: name,
      ms,
      cpuMs,
      ratio: ms / base.ms,
      cpuRatio: cpuMs !== null && base.cpuMs ? cpuMs / base.cpuMs : null,
    });
  }
  return out;
}

export function searchTable(nodes: number, rows: readonly SearchRow[]): string {
  const cpu = (r: SearchRow): string =>
    r.cpuMs === null ? 'n/a' : `${(r.cpuMs / 1000).toFixed(2)} s (${r.cpuRatio!.toFixed(2)}×)`;
  return [
    `| command over ${nodes} nodes | wall (median) | vs ls -R | client CPU (vs ls -R) |`,
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| \`${r.command}\` | ${(r.ms / 1000).toFixed(2)} s | ${r.ratio.toFixed(2)}× | ${cpu(r)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  // BENCH_SEARCH_SERVER=host:port BENCH_SEARCH_ROOT=/t100k: time a tree that is already there.
  const server = process.env['BENCH_SEARCH_SERVER'];
  if (server) {
    const root = process.env['BENCH_SEARCH_ROOT'] ?? '/search100k';
    const zk = await ZooKeeperClient.connect({ connectString: server }, 30000);
    const n = (await zk.getAllChildrenNumber(root)) + 1;
    await zk.close();
    process.stdout.write(`${searchTable(n, await benchSearch(server, root))}\n`);
    return;
  }
  const cluster = await startCluster(1, { log: () => undefined });
  try {
    const zk = await ZooKeeperClient.connect({ connectString: cluster.connectString }, 30000);
    const n = await buildTree(zk, '/search100k');
    await zk.close();
    process.stdout.write(`${searchTable(n, await benchSearch(cluster.connectString, '/search100k'))}\n`);
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await main();
