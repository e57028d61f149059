// npm run bench: zk-shell against zkCli.sh (Debian's zookeeper package) and against the server's own
// ceiling, on one throwaway server, in one run. Prints a table of medians and ratios and writes
// bench/RESULTS.md. A script, not a test: numbers depend on the machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findZooKeeper } from '../src/server/install.js';
import { startCluster } from '../src/server/zookeeper-server.js';
import { deleteTree } from '../src/tree/delete-tree.js';
import { walkTree } from '../src/tree/walk.js';
import { ZooKeeperClient } from '../src/zk/client.js';
import { joinPath } from '../src/zk/path.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'zk-shell.js');
const RUNS_FAST = Number(process.env['BENCH_RUNS_FAST'] ?? 9);
const RUNS_SLOW = Number(process.env['BENCH_RUNS_SLOW'] ?? 3);

interface Run {
  ms: number;
  rssMB: number;
  code: number | null;
}

/** Runs a command, timing it and sampling its peak RSS (VmHWM) from /proc until it exits. */
function measure(cmd: string, args: string[], input?: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'], env });
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
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0)
        process.stderr.write(
          `  (exit ${code}: ${cmd} ${args.slice(-3).join(' ')}: ${stderr.trim().split('\n').pop()})\n`,
        );
      resolve({ ms, rssMB: hwm / 1024, code });
    });
    if (input && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function buildTree(zk: ZooKeeperClient, root: string, fan1: number, fan2: number): Promise<number> {
  await zk.create(root, null);
  const level1 = Array.from({ length: fan1 }, (_, i) => joinPath(root, `d${String(i).padStart(4, '0')}`));
  await Promise.all(level1.map((p) => zk.create(p, Buffer.from('x'))));
  const leaves: string[] = [];
  for (const p of level1) for (let j = 0; j < fan2; j++) leaves.push(joinPath(p, `n${String(j).padStart(5, '0')}`));
  for (let i = 0; i < leaves.length; i += 5000)
    await Promise.all(leaves.slice(i, i + 5000).map((p) => zk.create(p, Buffer.from('leaf'))));
  return 1 + fan1 + leaves.length;
}

async function main(): Promise<void> {
  const zkInstall = findZooKeeper();
  const nop = '/usr/share/java/slf4j-nop.jar';
  const zkcliCp = zkInstall ? `${zkInstall.classpath.split(':')[0]}${fs.existsSync(nop) ? `:${nop}` : ''}` : null;
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };
  log('starting a throwaway ZooKeeper…');
  const cluster = await startCluster(1);
  const S = cluster.connectString;
  const zk = await ZooKeeperClient.connect({ connectString: S });
  const zkshell = (...a: string[]): [string, string[]] => [process.execPath, [BIN, '-server', S, '-y', ...a]];
  const zkcli = zkcliCp
    ? (...a: string[]): [string, string[]] => [
        zkInstall!.java,
        ['-cp', zkcliCp, 'org.apache.zookeeper.ZooKeeperMain', '-server', S, ...a],
      ]
    : null;
  const rows: string[][] = [];
  const row = (
    name: string,
    ours: number,
    theirs: number | null,
    unit: string,
    target: string,
    met: boolean | null,
    note = '',
  ): void => {
    rows.push([
      name,
      `${ours.toFixed(unit === 'ms' ? 0 : 1)} ${unit}`,
      theirs === null ? 'n/a' : `${theirs.toFixed(unit === 'ms' ? 0 : 1)} ${unit}`,
      theirs === null ? '' : `${(theirs / ours).toFixed(1)}×`,
      target,
      met === null ? '' : met ? 'yes' : 'NO',
      note,
    ]);
  };
  const many = async (runs: number, f: () => Promise<Run>, before?: () => Promise<void>): Promise<Run[]> => {
    const out: Run[] = [];
    for (let i = 0; i < runs; i++) {
      if (before) await before();
      out.push(await f());
    }
    return out;
  };

  // The server's ceiling, with the project's own client: strictly sequential vs 1,000 in flight.
  await zk.create('/bench-get', Buffer.from('value'));
  const seqN = 5000;
  let t = performance.now();
  for (let i = 0; i < seqN; i++) await zk.getData('/bench-get');
  const seqRate = seqN / ((performance.now() - t) / 1000);
  const pipeN = 50000;
  t = performance.now();
  for (let i = 0; i < pipeN; i += 1000) await Promise.all(Array.from({ length: 1000 }, () => zk.getData('/bench-get')));
  const pipeRate = pipeN / ((performance.now() - t) / 1000);
  log(`getData: sequential ${seqRate.toFixed(0)}/s, pipelined (1000 in flight) ${pipeRate.toFixed(0)}/s`);

  // One-shot get.
  const getOurs = await many(RUNS_FAST, () => measure(...zkshell('get', '/bench-get')));
  const getTheirs = zkcli ? await many(RUNS_FAST, () => measure(...zkcli('get', '/bench-get'))) : null;
  const go = median(getOurs.map((r) => r.ms));
  const gt = getTheirs ? median(getTheirs.map((r) => r.ms)) : null;
  row('one-shot `get` wall time', go, gt, 'ms', '≤ 1/5 of zkCli', gt === null ? null : go * 5 <= gt);
  if (process.env['NODE_EXTRA_CA_CERTS']) {
    // Node parses this CA bundle at every start, before any of our code runs; zkCli's JVM does not.
    const { NODE_EXTRA_CA_CERTS: _unused, ...plainEnv } = process.env;
    const [c, a] = zkshell('get', '/bench-get');
    const noCa = median((await many(RUNS_FAST, () => measure(c, a, undefined, plainEnv))).map((r) => r.ms));
    const nodeBoot = median((await many(RUNS_FAST, () => measure(process.execPath, ['-e', '0']))).map((r) => r.ms));
    const nodeBootPlain = median(
      (await many(RUNS_FAST, () => measure(process.execPath, ['-e', '0'], undefined, plainEnv))).map((r) => r.ms),
    );
    row(
      'one-shot `get`, NODE_EXTRA_CA_CERTS unset',
      noCa,
      gt,
      'ms',
      '≤ 1/5 of zkCli',
      gt === null ? null : noCa * 5 <= gt,
      `this machine sets NODE_EXTRA_CA_CERTS: an empty \`node -e 0\` takes ${nodeBoot.toFixed(0)} ms with it, ${nodeBootPlain.toFixed(0)} ms without`,
    );
  }
  row(
    'one-shot `get` peak RSS',
    median(getOurs.map((r) => r.rssMB)),
    getTheirs ? median(getTheirs.map((r) => r.rssMB)) : null,
    'MB',
    '',
    null,
  );

  // 10k tree: ls -R, against the ceiling of a raw pipelined getChildren over the same known paths.
  log('building a 10,101-node tree…');
  const n10k = await buildTree(zk, '/t10k', 100, 100);
  const allPaths: string[] = [];
  for await (const v of walkTree(zk, '/t10k')) allPaths.push(v.path);
  t = performance.now();
  for (let i = 0; i < allPaths.length; i += 1000)
    await Promise.all(allPaths.slice(i, i + 1000).map((p) => zk.getChildren(p)));
  const ceiling = allPaths.length / ((performance.now() - t) / 1000);
  const lsOurs = await many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', '/t10k')));
  const lsTheirs = zkcli ? await many(RUNS_SLOW, () => measure(...zkcli('ls', '-R', '/t10k'))) : null;
  const lo = median(lsOurs.map((r) => r.ms));
  const lt = lsTheirs ? median(lsTheirs.map((r) => r.ms)) : null;
  row(`\`ls -R\` of ${n10k} nodes`, lo, lt, 'ms', '≥ 4× faster', lt === null ? null : lt >= 4 * lo);
  const rate10k = n10k / (lo / 1000);
  row(
    '`ls -R` traversal rate vs server ceiling',
    rate10k / 1000,
    null,
    'k nodes/s',
    '≥ 70% of ceiling',
    rate10k >= 0.7 * ceiling,
    `${((100 * rate10k) / ceiling).toFixed(0)}% of the ceiling (${(ceiling / 1000).toFixed(1)} k nodes/s); whole process, start-up included`,
  );

  // setAcl -R, then deleteall (rebuilding the tree before each run).
  const aclOurs = await many(RUNS_SLOW, () => measure(...zkshell('setAcl', '-R', '/t10k', 'world:anyone:cdrwa')));
  const aclTheirs = zkcli
    ? await many(RUNS_SLOW, () => measure(...zkcli('setAcl', '-R', '/t10k', 'world:anyone:cdrwa')))
    : null;
  const ao = median(aclOurs.map((r) => r.ms));
  const at = aclTheirs ? median(aclTheirs.map((r) => r.ms)) : null;
  row(`\`setAcl -R\` of ${n10k} nodes`, ao, at, 'ms', '', null);
  const rebuild = async (): Promise<void> => {
    if (await zk.exists('/t10k')) await deleteTree(zk, '/t10k');
    await buildTree(zk, '/t10k', 100, 100);
  };
  const delOurs = await many(RUNS_SLOW, () => measure(...zkshell('deleteall', '/t10k')), rebuild);
  const delTheirs = zkcli ? await many(RUNS_SLOW, () => measure(...zkcli('deleteall', '/t10k')), rebuild) : null;
  const dO = median(delOurs.map((r) => r.ms));
  const dT = delTheirs ? median(delTheirs.map((r) => r.ms)) : null;
  row(`\`deleteall\` of ${n10k} nodes`, dO, dT, 'ms', '≥ 2× faster', dT === null ? null : dT >= 2 * dO);

  // A 10,101-line create script: -f for zk-shell, piped into zkCli.
  const script =
    ['create /s10k', ...Array.from({ length: 10000 }, (_, i) => `create /s10k/n${i} data${i}`)].join('\n') + '\n';
  const scriptFile = path.join(os.tmpdir(), `zk-shell-bench-${process.pid}.zk`);
  fs.writeFileSync(scriptFile, script);
  const clean = async (): Promise<void> => {
    if (await zk.exists('/s10k')) await deleteTree(zk, '/s10k');
  };
  const scOurs = await many(RUNS_SLOW, () => measure(...zkshell('-f', scriptFile)), clean);
  const scTheirs = zkcli
    ? await many(
        RUNS_SLOW,
        () => {
          const [c, a] = zkcli();
          return measure(c, a, script);
        },
        clean,
      )
    : null;
  fs.rmSync(scriptFile);
  const so = median(scOurs.map((r) => r.ms));
  const st = scTheirs ? median(scTheirs.map((r) => r.ms)) : null;
  row('10,001-line create script', so, st, 'ms', '≥ 5× faster', st === null ? null : st >= 5 * so);

  // 100k tree: streaming ls -R, memory and linear cost.
  log('building a 100,101-node tree…');
  const n100k = await buildTree(zk, '/t100k', 100, 1000);
  const big = await many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', '/t100k')));
  const bo = median(big.map((r) => r.ms));
  const rss = Math.max(...big.map((r) => r.rssMB));
  row(`\`ls -R\` of ${n100k} nodes: peak RSS`, rss, null, 'MB', '< 150 MB', rss < 150);
  const rate100k = n100k / (bo / 1000);
  row(
    `\`ls -R\` of ${n100k} nodes: rate`,
    rate100k / 1000,
    null,
    'k nodes/s',
    'same as at 10k',
    rate100k >= 0.9 * rate10k,
    `${((100 * rate100k) / rate10k).toFixed(0)}% of the 10k rate; wall ${(bo / 1000).toFixed(2)} s`,
  );

  await zk.close();
  await cluster.stop();

  const head = ['benchmark', 'zk-shell', 'zkCli', 'zkCli / zk-shell', 'target', 'met', 'note'];
  const md = [
    `# Benchmark results`,
    '',
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,`,
    `Node ${process.version}, zkCli and server from ${zkInstall?.source ?? 'n/a'}; one throwaway standalone server on loopback.`,
    `Medians of ${RUNS_FAST} runs (one-shot get) or ${RUNS_SLOW} runs (the rest); wall times include process start.`,
    `Server ceiling with the project's client: getData ${seqRate.toFixed(0)}/s strictly sequential, ${pipeRate.toFixed(0)}/s with 1,000 in flight;`,
    `getChildren over the 10k tree with 1,000 in flight: ${ceiling.toFixed(0)} nodes/s.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'RESULTS.md'), md);
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
