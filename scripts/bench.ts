// npm run bench: zk-shell against zkCli.sh (Debian's zookeeper package) and against the server's own
// ceiling (the project's client at full pipelining), on one throwaway server, in one run. Prints a table
// and writes bench/RESULTS.md. A script, not a test: numbers depend on the machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findZooKeeper } from '../src/server/install.js';
import { startCluster } from '../src/server/zookeeper-server.js';
import { deleteTree } from '../src/tree/delete-tree.js';
import { walkTree } from '../src/tree/walk.js';
import { ZooKeeperClient } from '../src/zk/client.js';
import { readCeilings, writeCeilings } from './bench/ceilings.js';
import { many, measure, medianMs, peakRss, type Run } from './bench/measure.js';
import { replLatency } from './bench/repl-latency.js';
import { buildTree, curatorNames } from './bench/trees.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The command as installed: it starts from the start-up snapshot (README "Performance").
const BIN = path.join(ROOT, 'bin', 'zk-shell');
const RAW_GET = path.join(ROOT, 'scripts', 'bench', 'raw-get.mjs');
const RUNS_FAST = Number(process.env['BENCH_RUNS_FAST'] ?? 9);
const RUNS_SLOW = Number(process.env['BENCH_RUNS_SLOW'] ?? 3);
/** BENCH_MILLION=0 skips the million-node part (about two minutes). */
const MILLION = process.env['BENCH_MILLION'] !== '0';

const rows: string[][] = [];
const fmt = (v: number, unit: string): string =>
  `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
/** One table row: what we measured, what it is compared with, the target and whether it is met. */
function row(
  name: string,
  ours: string,
  ref: string,
  ratio: string,
  target: string,
  met: boolean | null,
  note = '',
): void {
  rows.push([name, ours, ref, ratio, target, met === null ? '' : met ? 'met' : 'NOT MET', note]);
}
const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(0)}%`;
const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/**
 * Runs `f` while `zk` writes a node about every millisecond, as a busy cluster does: every reply's zxid moves, so
 * a walk cannot trust the server's counts and lists every node (README "Performance").
 */
async function whileWriting<T>(zk: ZooKeeperClient, f: () => Promise<T>): Promise<{ value: T; writes: number }> {
  if (!(await zk.exists('/bench-busy'))) await zk.create('/bench-busy', null);
  let on = true;
  let writes = 0;
  const loop = (async (): Promise<void> => {
    while (on) {
      await zk.setData('/bench-busy', null);
      writes++;
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  try {
    return { value: await f(), writes };
  } finally {
    on = false;
    await loop;
  }
}

async function main(): Promise<void> {
  const zkInstall = findZooKeeper();
  const nop = '/usr/share/java/slf4j-nop.jar';
  const zkcliCp = zkInstall ? `${zkInstall.classpath.split(':')[0]}${fs.existsSync(nop) ? `:${nop}` : ''}` : null;
  log('starting a throwaway ZooKeeper (3 GB heap, full JIT)…');
  // The tests' server is small (256 MB, C1 only); the bench's must hold a million znodes at full speed.
  const cluster = await startCluster(1, {
    jvm: ['-Xmx3g', '-XX:TieredStopAtLevel=4'],
    config: { snapCount: '2000000' },
  });
  const S = cluster.connectString;
  const zk = await ZooKeeperClient.connect({ connectString: S });
  const zkshell = (...a: string[]): [string, string[]] => [BIN, ['-server', S, '-y', ...a]];
  const zkcli = zkcliCp
    ? (...a: string[]): [string, string[]] => [
        zkInstall!.java,
        ['-cp', zkcliCp, 'org.apache.zookeeper.ZooKeeperMain', '-server', S, ...a],
      ]
    : null;
  const vsZkcli = async (
    name: string,
    args: string[],
    target: number | null,
    before?: () => Promise<void>,
    input?: string,
  ): Promise<{ ours: Run[]; theirs: Run[] | null }> => {
    const [c, a] = zkshell(...args);
    const ours = await many(RUNS_SLOW, () => measure(c, a, input), before);
    const theirs = zkcli
      ? await many(
          RUNS_SLOW,
          () => {
            const [jc, ja] = zkcli(...(input ? [] : args));
            return measure(jc, ja, input);
          },
          before,
        )
      : null;
    const o = medianMs(ours);
    const t = theirs ? medianMs(theirs) : null;
    row(
      name,
      fmt(o, 'ms'),
      t === null ? 'zkCli n/a' : `zkCli ${fmt(t, 'ms')}`,
      t === null ? '' : `${(t / o).toFixed(1)}× faster`,
      target === null ? '' : `≥ ${target}× faster than zkCli`,
      target === null || t === null ? null : t >= target * o,
    );
    return { ours, theirs };
  };

  // --- Ceilings -------------------------------------------------------------------------------------
  log('building the 100,101-node tree (pipelined multi creates)…');
  let t = performance.now();
  const n100k = await buildTree(zk, '/t100k', 100, 1000);
  const build100kMs = performance.now() - t;
  const allPaths: string[] = [];
  for await (const v of walkTree(zk, '/t100k')) allPaths.push(v.path);
  log('measuring the read ceilings…');
  const rc = await readCeilings(zk, allPaths);
  allPaths.length = 0;
  log('measuring the write ceilings…');
  const wc = await writeCeilings(zk, '/ceil-w', 50_000);
  const ceilingLines = [
    `getChildren ${rc.getChildren.toFixed(0)}/s single, ${rc.getChildrenMulti.toFixed(0)}/s in multiRead×50,`,
    `${rc.getChildrenMulti500.toFixed(0)}/s in multiRead×500;`,
    `getData ${rc.getData.toFixed(0)}/s single, ${rc.getDataMulti.toFixed(0)}/s in multiRead×50; exists ${rc.exists.toFixed(0)}/s`,
    `(multiRead cannot carry exists);`,
    `create ${wc.create.toFixed(0)}/s, setData ${wc.setData.toFixed(0)}/s, delete ${wc.delete.toFixed(0)}/s single;`,
    `in multis of ${wc.multiSize}: create ${wc.createMulti.toFixed(0)}/s, setData ${wc.setDataMulti.toFixed(0)}/s, delete ${wc.deleteMulti.toFixed(0)}/s.`,
  ];
  log(ceilingLines.join(' '));

  // --- One-shot start -------------------------------------------------------------------------------
  await zk.create('/bench-get', Buffer.from('value'));
  const oneShot = async (env: NodeJS.ProcessEnv, label: string): Promise<void> => {
    const [c, a] = zkshell('get', '/bench-get');
    const ours = medianMs(await many(RUNS_FAST, () => measure(c, a, undefined, env)));
    const floor = medianMs(
      await many(RUNS_FAST, () => measure(process.execPath, [RAW_GET, S, '/bench-get'], undefined, env)),
    );
    const empty = medianMs(await many(RUNS_FAST, () => measure(process.execPath, ['-e', '0'], undefined, env)));
    row(
      `one-shot \`get\`${label}`,
      fmt(ours, 'ms'),
      `raw floor ${fmt(floor, 'ms')}`,
      `${(ours / floor).toFixed(2)}× the floor`,
      '≤ 1.2× the raw floor',
      ours <= 1.2 * floor,
      `floor: a minimal Node script doing the same handshake, getData and close; \`node -e 0\` takes ${fmt(empty, 'ms')}`,
    );
  };
  const { NODE_EXTRA_CA_CERTS: extraCa, ...plainEnv } = process.env;
  await oneShot(plainEnv, '');
  await oneShot({ ...plainEnv, ZK_SHELL_NO_SNAPSHOT: '1' }, ' without the start-up snapshot');
  // What a one-shot costs before its first request: subtracted from walk times to compare shapes by rate.
  const startMs = medianMs(await many(RUNS_FAST, () => measure(...zkshell('get', '/bench-get'))));
  if (extraCa) await oneShot(process.env, ' with NODE_EXTRA_CA_CERTS');
  if (zkcli) {
    const [c, a] = zkshell('get', '/bench-get');
    const ours = await many(RUNS_FAST, () => measure(c, a, undefined, plainEnv));
    const theirs = await many(RUNS_FAST, () => measure(...zkcli('get', '/bench-get')));
    row(
      'one-shot `get` vs zkCli',
      fmt(medianMs(ours), 'ms'),
      `zkCli ${fmt(medianMs(theirs), 'ms')}`,
      `${(medianMs(theirs) / medianMs(ours)).toFixed(1)}× faster`,
      '≥ 5× faster than zkCli',
      medianMs(theirs) >= 5 * medianMs(ours),
      `peak RSS ${fmt(peakRss(ours), 'MB')} vs ${fmt(peakRss(theirs), 'MB')}`,
    );
  }

  // --- REPL latency ---------------------------------------------------------------------------------
  log('REPL latency…');
  const repl = await replLatency(zk, S, '/bench-get');
  row(
    `REPL: \`get\` through the executor (${repl.commands} commands)`,
    fmt(repl.shellMs, 'ms'),
    `round trip ${repl.rawMs.toFixed(2)} ms`,
    `+${(repl.shellMs - repl.rawMs).toFixed(2)} ms`,
    '≤ round trip + 2 ms',
    repl.shellMs - repl.rawMs <= 2,
  );

  // --- 10k tree against zkCli -----------------------------------------------------------------------
  log('10k tree against zkCli…');
  const n10k = await buildTree(zk, '/t10k', 100, 100);
  await vsZkcli(`\`ls -R\` of ${n10k} nodes`, ['ls', '-R', '/t10k'], 4);
  await vsZkcli(`\`setAcl -R\` of ${n10k} nodes`, ['setAcl', '-R', '/t10k', 'world:anyone:cdrwa'], null);
  const rebuild10k = async (): Promise<void> => {
    if (await zk.exists('/t10k')) await deleteTree(zk, '/t10k');
    await buildTree(zk, '/t10k', 100, 100);
  };
  await vsZkcli(`\`deleteall\` of ${n10k} nodes`, ['deleteall', '/t10k'], 2, rebuild10k);
  const script =
    ['create /s10k', ...Array.from({ length: 10000 }, (_, i) => `create /s10k/n${i} data${i}`)].join('\n') + '\n';
  const scriptFile = path.join(os.tmpdir(), `zk-shell-bench-${process.pid}.zk`);
  fs.writeFileSync(scriptFile, script);
  const cleanScript = async (): Promise<void> => {
    if (await zk.exists('/s10k')) await deleteTree(zk, '/s10k');
  };
  // zk-shell reads the file (-f); zkCli reads the same lines from stdin.
  const sc = await vsZkcli('10,001-line create script', ['-f', scriptFile], 5, cleanScript, script);
  fs.rmSync(scriptFile);
  const scriptRate = 10001 / (medianMs(sc.ours) / 1000);
  row(
    '10,001-line create script: rate',
    fmt(scriptRate / 1000, 'k/s'),
    `multi create ceiling ${fmt(wc.createMulti / 1000, 'k/s')}`,
    pct(scriptRate, wc.createMulti),
    '≥ 50% of the multi create ceiling',
    scriptRate >= 0.5 * wc.createMulti,
    'whole process, start-up included',
  );

  // --- 100k: ls -R, wide shapes, deleteall ------------------------------------------------------------
  log('100k tree: ls -R…');
  const ls100k = await many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', '/t100k')));
  const lsMs100k = medianMs(ls100k);
  const lsRate = n100k / (lsMs100k / 1000);
  row(
    `\`ls -R\` of ${n100k} nodes: rate`,
    fmt(lsRate / 1000, 'k nodes/s'),
    `multiRead listing ceiling ${fmt(rc.getChildrenMulti / 1000, 'k/s')}`,
    pct(lsRate, rc.getChildrenMulti),
    '≥ 50% of the multiRead listing ceiling',
    lsRate >= 0.5 * rc.getChildrenMulti,
    `wall ${fmt(lsMs100k, 'ms')}, CPU ${fmt(medianMs(ls100k.map((r) => ({ ...r, ms: r.cpuMs }))), 'ms')}, start-up included; ` +
      `${pct(lsRate, rc.getChildrenMulti500)} of the server's listing rate in multiRead×500 (the batches ls -R sends)`,
  );
  row(`\`ls -R\` of ${n100k} nodes: peak RSS`, fmt(peakRss(ls100k), 'MB'), '', '', '< 150 MB', peakRss(ls100k) < 150);
  const busy100k = await whileWriting(zk, () => many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', '/t100k'))));
  const busyMs100k = medianMs(busy100k.value);
  const busyRate = n100k / (busyMs100k / 1000);
  row(
    `\`ls -R\` of ${n100k} nodes, a write every ms meanwhile: rate`,
    fmt(busyRate / 1000, 'k nodes/s'),
    `multiRead listing ceiling ${fmt(rc.getChildrenMulti / 1000, 'k/s')}`,
    pct(busyRate, rc.getChildrenMulti),
    '(informational)',
    null,
    `wall ${fmt(busyMs100k, 'ms')}; every node listed (the count cannot be trusted while the tree changes); ` +
      `${busy100k.writes} writes`,
  );

  log('wide shapes…');
  const nCurator = await buildTree(zk, '/curator', 60, 500, curatorNames);
  const nWide = await buildTree(zk, '/wide', 1, 60_000);
  const walkRate = (n: number, ms: number): number => n / (Math.max(1, ms - startMs) / 1000);
  const lsWalkRate = walkRate(n100k, lsMs100k);
  const busyWalkRate = walkRate(n100k, busyMs100k);
  for (const [label, root, n] of [
    ['Curator discovery (60 × 500 long names)', '/curator', nCurator],
    ['one node with 60,000 children', '/wide', nWide],
  ] as const) {
    const r = medianMs(await many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', root))));
    const rateShape = walkRate(n, r);
    row(
      `\`ls -R\` ${label}: rate`,
      fmt(rateShape / 1000, 'k nodes/s'),
      `regular 100k tree ${fmt(lsWalkRate / 1000, 'k/s')}`,
      pct(rateShape, lsWalkRate),
      'within 20% of the regular tree',
      rateShape >= 0.8 * lsWalkRate,
      `${n} nodes, wall ${fmt(r, 'ms')}; rates leave out the one-shot start (${fmt(startMs, 'ms')})`,
    );
    const busy = await whileWriting(zk, () => many(RUNS_SLOW, () => measure(...zkshell('ls', '-R', root))));
    const busyShape = walkRate(n, medianMs(busy.value));
    row(
      `\`ls -R\` ${label}, a write every ms meanwhile: rate`,
      fmt(busyShape / 1000, 'k nodes/s'),
      `regular 100k tree, same writes ${fmt(busyWalkRate / 1000, 'k/s')}`,
      pct(busyShape, busyWalkRate),
      '(informational)',
      null,
      `wall ${fmt(medianMs(busy.value), 'ms')}; every node listed`,
    );
  }
  await deleteTree(zk, '/curator');
  await deleteTree(zk, '/wide');

  log('100k tree: deleteall…');
  let rebuilt = false;
  const del100k = await many(
    RUNS_SLOW,
    () => measure(...zkshell('deleteall', '/t100k')),
    async () => {
      if (rebuilt) await buildTree(zk, '/t100k', 100, 1000);
      rebuilt = true;
    },
  );
  const delMs100k = medianMs(del100k);
  const delRate = n100k / (delMs100k / 1000);
  row(
    `\`deleteall\` of ${n100k} nodes: rate`,
    fmt(delRate / 1000, 'k nodes/s'),
    `multi delete ceiling ${fmt(wc.deleteMulti / 1000, 'k/s')}`,
    pct(delRate, wc.deleteMulti),
    '≥ 50% of the multi delete ceiling',
    delRate >= 0.5 * wc.deleteMulti,
    `wall ${fmt(delMs100k, 'ms')}, peak RSS ${fmt(peakRss(del100k), 'MB')}`,
  );

  // --- A million nodes ----------------------------------------------------------------------------------
  if (MILLION) {
    log('building a 1,000,001-node tree…');
    t = performance.now();
    const n1m = await buildTree(zk, '/t1m', 1000, 1000);
    const build1mMs = performance.now() - t;
    row(
      `build ${n1m} nodes (bench's own pipelined multi creates)`,
      fmt(build1mMs, 'ms'),
      `100k: ${fmt(build100kMs, 'ms')}`,
      `${(build1mMs / build100kMs).toFixed(1)}× the 100k time`,
      '',
      null,
      `${fmt(n1m / (build1mMs / 1000) / 1000, 'k nodes/s')}`,
    );
    log('1M: ls -R…');
    const ls1m = await measure(...zkshell('ls', '-R', '/t1m'));
    row(
      `\`ls -R\` of ${n1m} nodes`,
      fmt(ls1m.ms, 'ms'),
      `100k: ${fmt(lsMs100k, 'ms')}`,
      `${(ls1m.ms / lsMs100k).toFixed(1)}× the 100k time`,
      '≤ 11× the 100k time; peak RSS < 200 MB',
      ls1m.code === 0 && ls1m.ms <= 11 * lsMs100k && ls1m.rssMB < 200,
      `peak RSS ${fmt(ls1m.rssMB, 'MB')}; ${fmt(n1m / (ls1m.ms / 1000) / 1000, 'k nodes/s')}`,
    );
    log('1M: deleteall…');
    const del1m = await measure(...zkshell('deleteall', '/t1m'));
    row(
      `\`deleteall\` of ${n1m} nodes`,
      fmt(del1m.ms, 'ms'),
      `100k: ${fmt(delMs100k, 'ms')}`,
      `${(del1m.ms / delMs100k).toFixed(1)}× the 100k time`,
      '≤ 11× the 100k time; peak RSS < 200 MB',
      del1m.code === 0 && del1m.ms <= 11 * delMs100k && del1m.rssMB < 200,
      `peak RSS ${fmt(del1m.rssMB, 'MB')}; ${fmt(n1m / (del1m.ms / 1000) / 1000, 'k nodes/s')}`,
    );
  }

  await zk.close();
  await cluster.stop();

  // The feature benches (search, backup, forensics) run as their own processes on their own servers;
  // their tables go into RESULTS.md after this one.
  const sections: string[] = [];
  for (const [title, script] of [
    ['Search: find, grep, du, tree, count against ls -R', 'bench-search.js'],
    ['Backup: export, import, cp against the server ceilings', 'bench-backup.js'],
    ['Forensics: loading a data dir against the server', 'bench-offline.js'],
  ] as const) {
    const file = path.join(ROOT, 'dist', 'scripts', script);
    if (!fs.existsSync(file)) continue;
    log(`${title}…`);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const body = r.status === 0 ? r.stdout.trim() : `failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`;
    sections.push(`## ${title}`, '', body.startsWith('|') ? body : `\`\`\`\n${body}\n\`\`\``, '');
  }

  const head = ['benchmark', 'zk-shell', 'compared with', 'ratio', 'target', 'met', 'note'];
  const md = [
    `# Benchmark results`,
    '',
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,`,
    `load average ${os.loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}, zkCli and server from ${zkInstall?.source ?? 'n/a'};`,
    `one throwaway standalone server on loopback. Medians of ${RUNS_FAST} runs (one-shot) or ${RUNS_SLOW} (the rest);`,
    `wall times include process start.`,
    '',
    `Server ceilings (the project's client at full pipelining, same run): ${ceilingLines.join(' ')}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...sections,
  ].join('\n');
  fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
  const results = path.join(ROOT, 'bench', 'RESULTS.md');
  // Keep the profile notes written by hand below the generated table.
  const notesMark = '\n## Profile notes';
  const old = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '';
  const notes = old.includes(notesMark) ? old.slice(old.indexOf(notesMark)) : '';
  fs.writeFileSync(results, md + notes);
  process.stdout.write(md);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
