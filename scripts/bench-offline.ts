// Offline forensics speed: load + replay of a generated data dir (100k nodes by default) by zk-shell,
// against the server's own start from the same files. Standalone: node dist/scripts/bench-offline.js [nodes]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataDir } from '../src/offline/data-dir.js';
import { startCluster } from '../src/server/zookeeper-server.js';
import { ZooKeeperClient } from '../src/zk/client.js';
import { createNodes } from '../test/helpers/bulk-create.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODES = Number(process.argv[2] ?? 100000);

/** The server's own measure of loading its database ("Snapshot loaded in N ms"), from its log. */
function serverLoadMs(log: string, from: number): number | null {
  const text = fs.readFileSync(log, 'utf8').slice(from);
  const m = [...text.matchAll(/Snapshot loaded in (\d+) ms/g)].at(-1);
  return m ? Number(m[1]) : null;
}

export async function benchOffline(nodes = NODES): Promise<Record<string, number | string>> {
  // A snapshot mid-way, so loading is snapshot + replay as in production.
  const cluster = await startCluster(1, { config: { snapCount: String(Math.max(1000, Math.floor(nodes / 2))) } });
  try {
    const zk = await ZooKeeperClient.connect({ connectString: cluster.connectString }, 15000);
    const specs = [{ path: '/bench' }];
    for (let i = 0; i < nodes; i++) specs.push({ path: `/bench/n${i}` });
    // 100 ops per multi: many transactions in the logs, not a handful of huge ones.
    await createNodes(zk, specs, { batchOps: 100 });
    await zk.close();
    const server = cluster.servers[0]!;
    const dir = path.join(server.cfg.dir, 'data');
    const t0 = performance.now();
    const { tree, report } = loadDataDir(dir);
    const inProcess = performance.now() - t0;
    if (tree.countBelow('/bench') !== nodes) throw new Error(`offline tree has ${tree.countBelow('/bench')} nodes`);
    const c0 = performance.now();
    const cli = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/zk-shell.js'), '--data-dir', dir, 'getAllChildrenNumber', '/bench'],
      {
        encoding: 'utf8',
      },
    );
    const cliMs = performance.now() - c0;
    if (cli.stdout.trim() !== String(nodes)) throw new Error(`zk-shell said ${cli.stdout} ${cli.stderr}`);
    const logSize = fs.statSync(server.logFile).size;
    const s0 = performance.now();
    await server.restart();
    const serverStart = performance.now() - s0;
    const serverLoad = serverLoadMs(server.logFile, logSize);
    return {
      nodes,
      snapshot: report.snapshot ? path.basename(report.snapshot.file) : 'none',
      replayedTxns: report.replayed,
      offlineLoadReplayMs: Math.round(inProcess),
      offlineCliWallMs: Math.round(cliMs),
      serverLoadMs: serverLoad ?? 'not logged',
      serverStartToServingMs: Math.round(serverStart),
    };
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await benchOffline();
  for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(24)} ${v}\n`);
}
