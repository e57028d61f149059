// Builds the V8 start-up snapshot that bin/zk-shell starts from (~35 ms less per run; README
// "Performance"). A blob only loads in the node binary that built it, and a mismatched or damaged one
// can crash node before any of our code runs, so its name carries that binary's inode and size and the
// blob's own size, which bin/zk-shell checks (with `ls -iL`) before using it. Run by the build and on
// install; a failure here only means the slower plain start, so it warns and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'snapshot');
const bundle = path.join(dir, 'zk-shell.cjs');

/** The name bin/zk-shell looks for: this node binary's inode and size, then the blob's size. */
export function blobName(blobBytes, nodeBinary = process.execPath) {
  const st = fs.statSync(nodeBinary);
  return `zk-shell-${st.ino}-${st.size}-${blobBytes}.blob`;
}

/** The line of a failed build that says why: node prints a native stack after it, and warnings before. */
function reason(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim());
  const why = lines.find(
    (l) => /error|failed|cannot|assert/i.test(l) && !/not yet fully verified|^\d+: 0x/.test(l) && !l.startsWith('at '),
  );
  return why ?? lines.filter(Boolean).pop() ?? 'no reason given';
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

export function buildSnapshot() {
  if (!fs.existsSync(bundle)) return; // a source checkout before its first build (npm ci's install step)
  const warn = (why) => console.warn(`zk-shell: no start-up snapshot (runs start ~35 ms slower): ${why}`);
  const tmp = path.join(dir, `.zk-shell.blob.${process.pid}.tmp`);
  let name;
  try {
    // What an interrupted build left (not the file of a build running now).
    for (const f of fs.readdirSync(dir)) {
      const pid = /^\.zk-shell\.blob\.(\d+)\.tmp$/.exec(f)?.[1];
      if (pid && !running(Number(pid))) fs.rmSync(path.join(dir, f), { force: true });
    }
    const r = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', bundle], {
      cwd: dir,
      encoding: 'utf8',
      // Neither may reach the builder: V8 flags make a blob that node refuses, NODE_DEBUG floods stderr.
      env: { ...process.env, NODE_OPTIONS: '', NODE_DEBUG: '' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(r.error?.message ?? reason(r.stderr ?? ''));
    // The blob works without its warm-up (snapshot-warmup.ts), only slower: say so, and go on.
    const cold = /^zk-shell snapshot: .*$/m.exec(r.stderr ?? '');
    if (cold) console.warn(cold[0]);
    // Readable by whoever may run the bundle (a root install with umask 027 would lock others out), newer
    // than the bundle and the node binary as bin/zk-shell requires, even on a file system that keeps whole
    // seconds; written under a temporary name so that a half-written blob is never used.
    fs.chmodSync(tmp, fs.statSync(bundle).mode & 0o666);
    const st = [bundle, process.execPath].map((f) => fs.statSync(f).mtimeMs);
    const t = new Date(Math.max(Date.now(), ...st) + 2000);
    fs.utimesSync(tmp, t, t);
    name = blobName(fs.statSync(tmp).size);
    fs.renameSync(tmp, path.join(dir, name));
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // A directory we cannot write: the warning below names the cause.
    }
    warn(e.code ? `${e.code}: ${e.path ?? e.message}` : e.message);
    removeOldBlobs((f, bundleTime) => fs.statSync(path.join(dir, f)).mtimeMs <= bundleTime);
    return;
  }
  removeOldBlobs((f) => f !== name);
}

/**
 * Blobs for another node or an older bundle: after a build (a run that chose one a moment ago can still
 * open it), or when a build fails, those the bundle has outdated (bin/zk-shell would not use them).
 */
function removeOldBlobs(old) {
  const bundleTime = fs.statSync(bundle).mtimeMs;
  for (const f of readdirOrNone(dir)) {
    if (!f.startsWith('zk-shell-') || !f.endsWith('.blob')) continue;
    try {
      if (old(f, bundleTime)) fs.rmSync(path.join(dir, f));
    } catch (e) {
      console.warn(`zk-shell: cannot remove the old start-up snapshot ${f}: ${e.code ?? e.message}`);
    }
  }
}

function readdirOrNone(d) {
  try {
    return fs.readdirSync(d);
  } catch {
    return [];
  }
}

// Run as a script (import.meta.url has symlinks resolved, argv[1] may not: `npm root -g` under a symlink).
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) buildSnapshot();
