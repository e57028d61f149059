// Builds the V8 start-up snapshot that bin/zk-shell starts from (~40 ms less per run; README
// "Performance"). A blob only loads in the node binary that built it, and a mismatch can crash node
// before any of our code runs, so its name carries that binary's inode and size, which bin/zk-shell
// checks (with `ls -iL`) before using it. Run by the build and on install; a failure here only means
// the slower plain start, so it warns and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'snapshot');
const bundle = path.join(dir, 'zk-shell.cjs');

/** The name bin/zk-shell looks for: this node binary's inode and size. */
export function blobName(nodeBinary = process.execPath) {
  const st = fs.statSync(nodeBinary);
  return `zk-shell-${st.ino}-${st.size}.blob`;
}

export function buildSnapshot() {
  if (!fs.existsSync(bundle)) return; // a source checkout before its first build (npm ci's install step)
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.blob') || f.endsWith('.blob.tmp')) fs.rmSync(path.join(dir, f));
  const blob = path.join(dir, blobName());
  const tmp = `${blob}.${process.pid}.tmp`;
  const r = spawnSync(process.execPath, ['--snapshot-blob', tmp, '--build-snapshot', bundle], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' / ');
    console.warn(`zk-shell: no start-up snapshot (runs start ~40 ms slower): ${why}`);
    return;
  }
  // Newer than the bundle and the node binary, as bin/zk-shell requires, even on a file system that
  // keeps whole seconds; written under a temporary name so that a half-written blob is never used.
  const st = [bundle, process.execPath].map((f) => fs.statSync(f).mtimeMs);
  const t = new Date(Math.max(Date.now(), ...st) + 2000);
  fs.utimesSync(tmp, t, t);
  fs.renameSync(tmp, blob);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildSnapshot();
