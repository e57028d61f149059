import fs from 'node:fs';
import path from 'node:path';
import { DataTree } from './data-tree.js';
import { CorruptFileError, hexZxid } from './integrity.js';
import { readSnapshot, zxidFromName, type SnapshotInfo } from './snapshot.js';
import { isStop, TxnLogReader, type LogRecord } from './txnlog-reader.js';

/** A data dir that cannot be opened at all (missing, empty, no snapshot old enough). */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

export interface DataDirFiles {
  dir: string;
  /** Newest first. */
  snapshots: { file: string; zxid: bigint }[];
  /** Oldest first. */
  logs: { file: string; zxid: bigint }[];
}

/** The files of a data dir: `DIR/version-2` when it exists (dataDir as configured), else DIR itself. */
export function listDataDir(dir: string): DataDirFiles {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw new DataDirError(`cannot open data dir ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!st.isDirectory()) throw new DataDirError(`${dir} is not a directory`);
  const v2 = path.join(dir, 'version-2');
  const base = fs.existsSync(v2) && fs.statSync(v2).isDirectory() ? v2 : dir;
  const snapshots: DataDirFiles['snapshots'] = [];
  const logs: DataDirFiles['logs'] = [];
  for (const name of fs.readdirSync(base)) {
    const s = zxidFromName(name, 'snapshot');
    if (s !== null) snapshots.push({ file: path.join(base, name), zxid: s });
    const l = zxidFromName(name, 'log');
    if (l !== null && !name.includes('.', 4)) logs.push({ file: path.join(base, name), zxid: l });
  }
  snapshots.sort((a, b) => (a.zxid < b.zxid ? 1 : a.zxid > b.zxid ? -1 : 0));
  logs.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
  if (snapshots.length === 0 && logs.length === 0)
    throw new DataDirError(`no ZooKeeper snapshot or transaction log in ${base}`);
  return { dir: base, snapshots, logs };
}

/** The logs that may hold transactions after `zxid` (FileTxnLog.getLogFiles): the one it falls in, and later. */
export function logsFrom(files: DataDirFiles, zxid: bigint): DataDirFiles['logs'] {
  let start = 0n;
  for (const l of files.logs) if (l.zxid <= zxid && l.zxid > start) start = l.zxid;
  return files.logs.filter((l) => l.zxid >= start);
}

/** A log that ended inside a record: reading went on with the next file, or stopped here. */
export interface Truncation {
  file: string;
  offset: number;
  /** The last transaction read intact before the cut (0 when none). */
  lastGoodZxid: bigint;
}

/** Transactions after..next (exclusive) that no log holds: a log cut off, or a log file missing. */
export interface Gap {
  after: bigint;
  next: bigint;
  /** The log holding `next`. */
  file: string;
}

/**
 * Whether zxids `prev` and `next` leave transactions out: within an epoch (the high 32 bits) the server
 * numbers them without holes; a new epoch starts its counter again.
 */
export const isGap = (prev: bigint, next: bigint): boolean =>
  prev !== 0n && next > prev + 1n && next >> 32n === prev >> 32n;

/** The gap as a line for stderr. */
export const gapText = (g: Gap): string =>
  `transactions ${hexZxid(g.after + 1n)}..${hexZxid(g.next - 1n)} are missing from the logs ` +
  `(${g.file} goes on at ${hexZxid(g.next)})`;

/** Every record of the logs from `after` + 1 on, in zxid order; truncations and gaps are reported, not thrown. */
export function* logRecords(
  files: DataDirFiles,
  after: bigint,
  onTruncated: (t: Truncation) => void,
  onGap: (g: Gap) => void = () => undefined,
): Generator<LogRecord> {
  let last = 0n;
  for (const l of logsFrom(files, after + 1n)) {
    const reader = new TxnLogReader(l.file);
    try {
      for (;;) {
        const r = reader.next();
        if (isStop(r)) {
          if (r.stop === 'truncated') onTruncated({ file: l.file, offset: r.offset, lastGoodZxid: last });
          break;
        }
        const prev = last > after ? last : after;
        last = r.hdr.zxid;
        if (r.hdr.zxid <= after) continue;
        if (isGap(prev, r.hdr.zxid)) onGap({ after: prev, next: r.hdr.zxid, file: l.file });
        yield r;
      }
    } finally {
      reader.close();
    }
  }
}

export interface Target {
  /** Replay up to and including this zxid (default: everything in the logs). */
  zxid?: bigint;
  /** Replay the transactions logged at or before this time (ms since the epoch). */
  time?: number;
}

export interface LoadReport {
  dir: string;
  snapshot: SnapshotInfo | null;
  /** Transactions applied on top of the snapshot. */
  replayed: number;
  /** The zxid the tree is at. */
  zxid: bigint;
  truncations: Truncation[];
  /** Snapshots that could not be read (why, naming the file), so an older one was used. */
  unreadableSnapshots: string[];
  /** Transactions missing between two logged ones: the tree past `after` may be wrong. */
  gaps: Gap[];
  /** The target lies beyond the last logged transaction. */
  beyondEnd: boolean;
  ms: number;
}

/** The zxid of the last transaction logged at or before `time` (zxids grow with time). */
export function zxidAtTime(files: DataDirFiles, time: number): bigint | null {
  let found: bigint | null = null;
  for (const r of logRecords(files, 0n, () => undefined)) {
    if (Number(r.hdr.time) > time) break;
    found = r.hdr.zxid;
  }
  return found;
}

/**
 * Rebuilds the tree at a target: the newest snapshot that is complete by then (its fuzzy range ends at or
 * before the target), then the logged transactions up to the target.
 */
export function loadDataDir(dir: string, target: Target = {}): { tree: DataTree; report: LoadReport } {
  const t0 = performance.now();
  const files = listDataDir(dir);
  let zxid = target.zxid;
  if (target.time !== undefined) {
    const z = zxidAtTime(files, target.time);
    if (z === null) throw new DataDirError(`no transaction logged at or before ${new Date(target.time).toISOString()}`);
    zxid = z;
  }
  let tree: DataTree | null = null;
  let snapshot: SnapshotInfo | null = null;
  const skipped: string[] = [];
  const unreadable: string[] = [];
  for (const s of files.snapshots) {
    if (zxid !== undefined && s.zxid > zxid) continue;
    let loaded;
    try {
      loaded = readSnapshot(s.file);
    } catch (e) {
      // As the server does on start (a crash while writing one leaves it cut off): try an older one.
      if (!(e instanceof CorruptFileError)) throw e;
      unreadable.push(e.message);
      continue;
    }
    if (zxid !== undefined && loaded.info.fuzzyEnd > zxid) {
      skipped.push(path.basename(s.file));
      continue;
    }
    tree = loaded.tree;
    snapshot = loaded.info;
    break;
  }
  if (!tree) {
    // Without a snapshot the logs must reach back to the first transaction of the database.
    const first = files.logs[0];
    if ((!first || first.zxid > 1n) && unreadable.length > 0) throw new DataDirError(unreadable[0]);
    if (!first || first.zxid > 1n)
      throw new DataDirError(
        `no snapshot ${zxid !== undefined ? `complete at ${hexZxid(zxid)} ` : ''}in ${files.dir}` +
          (skipped.length > 0 ? ` (${skipped.join(', ')} hold later transactions)` : ''),
      );
    tree = new DataTree();
  }
  const truncations: Truncation[] = [];
  const gaps: Gap[] = [];
  let replayed = 0;
  let more = false;
  for (const r of logRecords(
    files,
    tree.lastZxid,
    (t) => truncations.push(t),
    (g) => gaps.push(g),
  )) {
    if (zxid !== undefined && r.hdr.zxid > zxid) {
      more = true;
      break;
    }
    tree.apply(r.hdr, r.body);
    replayed++;
  }
  tree.refreshQuotaStats();
  const report: LoadReport = {
    dir: files.dir,
    snapshot,
    replayed,
    zxid: tree.lastZxid,
    truncations,
    unreadableSnapshots: unreadable,
    gaps,
    beyondEnd: zxid !== undefined && tree.lastZxid < zxid && !more,
    ms: performance.now() - t0,
  };
  return { tree, report };
}

export { CorruptFileError };
