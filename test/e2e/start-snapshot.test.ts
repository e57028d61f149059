// bin/zk-shell starts node from a V8 start-up snapshot when one was built for this node binary, and
// from the plain bundle otherwise. Both starts must behave the same, and a blob that does not fit
// (another node, older than the bundle, half-written) must never be used: node can crash on one.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { version } from '../../src/commands/version.js';
import { connectClient, useCluster } from '../helpers/cluster.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { PtyShell } from '../helpers/pty.js';
import { COMMAND, runCli } from '../helpers/run-cli.js';

const env = useCluster(1);

/** The node command line a run of `command` ends up as (the wrapper execs node), read from /proc. */
async function startedAs(command: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const child = spawn(command, ['-server', env.cluster.connectString, '-f', '-'], {
    env: { ...process.env, ...extraEnv },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    for (let i = 0; i < 200; i++) {
      const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
      // Before the exec it is sh (or, for a moment, a fork of this test's node).
      if (argv.some((a) => a.endsWith('zk-shell.cjs') || a.endsWith('zk-shell.js'))) return argv;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${command} did not exec node within 5 s; stderr: ${stderr}`);
  } finally {
    child.stdin.end('ls /\n');
    assert.equal(await exited, 0, stderr);
  }
}

const usesSnapshot = (argv: string[]): boolean => argv.includes('--snapshot-blob');

/** A copy of the installed package (command, bundles, snapshot builder) to spoil without touching the repo. */
function packageCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-snap-'));
  for (const part of ['bin', 'dist/bundle', 'dist/snapshot', 'scripts/build-snapshot.mjs', 'package.json'])
    fs.cpSync(path.join(REPO_ROOT, part), path.join(dir, part), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}
const blobsIn = (pkg: string): string[] =>
  fs.readdirSync(path.join(pkg, 'dist', 'snapshot')).filter((f) => f.endsWith('.blob'));

describe('start-up snapshot', () => {
  const copies: string[] = [];
  before(async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await zk.create('/snap', Buffer.from('snapshot'));
    await zk.create('/snap/child', Buffer.from([0, 1, 2]));
    await zk.close();
  });
  after(() => {
    for (const d of copies) fs.rmSync(d, { recursive: true, force: true });
  });

  it('the build leaves one blob, and the command starts from it', async () => {
    assert.equal(blobsIn(REPO_ROOT).length, 1);
    const argv = await startedAs(COMMAND);
    assert.ok(usesSnapshot(argv), argv.join(' '));
    assert.equal(argv[0], spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim());
  });

  it('prints and exits exactly as the plain start does', async () => {
    const S = env.cluster.connectString;
    const runs: [string[], Record<string, string>][] = [
      [['--version'], {}],
      [['--help'], {}],
      [['-server', S, 'get', '-s', '/snap'], { TZ: 'Asia/Tokyo' }],
      [['-server', S, 'stat', '/snap/child'], { TZ: 'America/New_York' }],
      [['-server', S, '--format', 'json', 'get', '/snap/child'], {}],
      [['-server', S, 'ls', '-R', '/snap'], {}],
      [['-server', S, 'get', '/missing'], {}],
      [['-server', S, 'nosuchcommand'], {}],
      [['--timeout', 'soon', 'ls', '/'], {}],
    ];
    for (const [args, extra] of runs) {
      const snap = await runCli(args, { env: extra });
      const plain = await runCli(args, { env: { ...extra, ZK_SHELL_NO_SNAPSHOT: '1' } });
      assert.deepEqual(
        { out: snap.stdout, err: snap.stderr, code: snap.code },
        { out: plain.stdout, err: plain.stderr, code: plain.code },
        args.join(' '),
      );
    }
    // The time zone is the run's, not the build's.
    assert.match((await runCli(['-server', S, 'stat', '/snap'], { env: { TZ: 'Asia/Tokyo' } })).stdout, / GMT\+9 /);
  });

  it('the interactive shell works from both starts (its modules load on demand)', async () => {
    for (const extra of [{}, { ZK_SHELL_NO_SNAPSHOT: '1' }]) {
      const sh = new PtyShell(['-server', env.cluster.connectString], extra);
      try {
        await sh.waitFor(/\] $/);
        assert.match(await sh.line('ls /snap'), /\[child\]/);
        sh.write('quit\r');
        assert.equal(await sh.exited, 0, JSON.stringify(extra));
      } finally {
        sh.kill();
      }
    }
  });

  it('a blob older than the bundle, made by another node binary or damaged is not used', async () => {
    const pkg = packageCopy();
    copies.push(pkg);
    const command = path.join(pkg, 'bin', 'zk-shell');
    const snap = path.join(pkg, 'dist', 'snapshot');
    assert.ok(usesSnapshot(await startedAs(command)), 'the copy starts from its blob');
    const [name] = blobsIn(pkg);
    const blob = path.join(snap, name!);
    const fresh = (f: string): void => fs.utimesSync(f, new Date(), new Date(Date.now() + 60_000));

    // Cut short (a copy that stopped): node would crash on it.
    const whole = fs.readFileSync(blob);
    fs.writeFileSync(blob, whole.subarray(0, 1000));
    fresh(blob);
    assert.ok(!usesSnapshot(await startedAs(command)), 'a truncated blob');
    fs.writeFileSync(blob, whole);
    fresh(blob);
    assert.ok(usesSnapshot(await startedAs(command)), 'whole again');

    const cjs = path.join(snap, 'zk-shell.cjs');
    const later = new Date(fs.statSync(blob).mtimeMs + 5000);
    fs.utimesSync(cjs, later, later); // a rebuilt bundle
    assert.ok(!usesSnapshot(await startedAs(command)), 'older than the bundle');

    const other = path.join(snap, `zk-shell-1-2-${whole.length}.blob`);
    fs.renameSync(blob, other);
    fresh(other);
    assert.ok(!usesSnapshot(await startedAs(command)), 'another binary’s blob');

    const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
    assert.deepEqual([r.stdout, r.status], [`zk-shell ${version()}\n`, 0]);
  });

  it('NODE_DEBUG (which a snapshot ignores) means the plain start; ls settings change nothing', async () => {
    assert.ok(!usesSnapshot(await startedAs(COMMAND, { NODE_DEBUG: 'net' })));
    const lsEnv = { QUOTING_STYLE: 'c', BLOCK_SIZE: 'K', LS_BLOCK_SIZE: '1M', TIME_STYLE: 'full-iso' };
    assert.ok(usesSnapshot(await startedAs(COMMAND, lsEnv)));
  });

  it('found on PATH and run as `bash zk-shell`, it still finds its package', () => {
    const r = spawnSync('bash', ['zk-shell', '--version'], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(COMMAND)}:${process.env['PATH']}` },
    });
    assert.deepEqual([r.stdout, r.stderr, r.status], [`zk-shell ${version()}\n`, '', 0]);
  });

  it('NODE_OPTIONS (which a blob cannot take) means the plain start, which works', async () => {
    assert.ok(!usesSnapshot(await startedAs(COMMAND, { NODE_OPTIONS: '--max-old-space-size=300' })));
    const r = await runCli(['-server', env.cluster.connectString, 'get', '/snap'], {
      env: { NODE_OPTIONS: '--max-old-space-size=300' },
    });
    assert.deepEqual([r.stdout, r.code], ['snapshot\n', 0]);
  });

  it('runs through a symlink, as npm installs the command', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-bin-'));
    copies.push(dir);
    fs.symlinkSync(path.relative(dir, COMMAND), path.join(dir, 'zk-shell'));
    assert.ok(usesSnapshot(await startedAs(path.join(dir, 'zk-shell'))));
  });

  it('the build runs a get and an ls against its fake server (compiled into the blob) without a word', () => {
    const pkg = packageCopy();
    copies.push(pkg);
    const r = spawnSync(process.execPath, [path.join(pkg, 'scripts', 'build-snapshot.mjs')], { encoding: 'utf8' });
    // A warm-up the client no longer understands would say "warm-up failed" here.
    assert.deepEqual([r.status, r.stderr], [0, '']);
    assert.equal(blobsIn(pkg).length, 1);
  });

  it('a build that fails leaves no blob, warns, and the command still works', async () => {
    const pkg = packageCopy();
    copies.push(pkg);
    const snap = path.join(pkg, 'dist', 'snapshot');
    const build = (): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [path.join(pkg, 'scripts', 'build-snapshot.mjs')], {
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'net' }, // kept from the builder: it would flood its stderr
      });
    // What an interrupted build leaves is removed by the next one.
    fs.writeFileSync(path.join(snap, '.zk-shell.blob.12345.tmp'), 'partial');
    fs.appendFileSync(path.join(snap, 'zk-shell.cjs'), '\nthrow new Error("broken bundle");\n');
    const r = build();
    assert.equal(r.status, 0);
    assert.match(String(r.stderr), /^zk-shell: no start-up snapshot \(runs start ~35 ms slower\): .*broken bundle/);
    assert.deepEqual(fs.readdirSync(snap), ['zk-shell.cjs']);
    const started = spawnSync(path.join(pkg, 'bin', 'zk-shell'), ['--version'], { encoding: 'utf8' });
    assert.deepEqual([started.stdout, started.status], [`zk-shell ${version()}\n`, 0]);

    // An old blob it cannot remove: a warning, not a stack trace, and the new blob is there and used.
    fs.writeFileSync(
      path.join(snap, 'zk-shell.cjs'),
      fs.readFileSync(path.join(REPO_ROOT, 'dist/snapshot/zk-shell.cjs')),
    );
    fs.mkdirSync(path.join(snap, 'zk-shell-1-2-3.blob', 'x'), { recursive: true });
    const stuck = build();
    assert.equal(stuck.status, 0);
    assert.match(
      String(stuck.stderr),
      /^zk-shell: cannot remove the old start-up snapshot zk-shell-1-2-3\.blob: \w+\n$/,
    );
    assert.equal(blobsIn(pkg).length, 2);
    assert.ok(usesSnapshot(await startedAs(path.join(pkg, 'bin', 'zk-shell'))), 'the new blob, beside the old');
  });

  it('the blob is as readable as the bundle, whatever the umask of the build or the path it is run by', () => {
    const pkg = packageCopy();
    copies.push(pkg);
    for (const f of blobsIn(pkg)) fs.rmSync(path.join(pkg, 'dist', 'snapshot', f));
    // Through a symlinked directory, as `npm root -g` can be.
    const link = `${pkg}-link`;
    fs.symlinkSync(pkg, link);
    copies.push(link);
    const r = spawnSync('sh', ['-c', `umask 077 && "${process.execPath}" "${link}/scripts/build-snapshot.mjs"`], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, String(r.stderr));
    const snap = path.join(pkg, 'dist', 'snapshot');
    const mode = (f: string): number => fs.statSync(path.join(snap, f)).mode & 0o777;
    assert.equal(mode(blobsIn(pkg)[0]!), mode('zk-shell.cjs'));
  });
});
