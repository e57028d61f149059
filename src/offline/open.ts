import path from 'node:path';
import { UsageError } from '../commands/spec.js';
import { DataDirError, gapText, loadDataDir, type LoadReport, type Target } from './data-dir.js';
import { CorruptFileError, hexZxid } from './integrity.js';
import { OfflineZk } from './offline-zk.js';

/** A zxid as written by people and by the server's file names: 0x1a2b or decimal. */
export function parseZxid(text: string, what = '--zxid'): bigint {
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(t))
    throw new UsageError(`${what} takes a zxid (0x1a2b or decimal), got: ${text}`);
  const z = BigInt(t);
  if (z > 0x7fffffffffffffffn) throw new UsageError(`${what} is out of range: ${text}`);
  return z;
}

/** A point in time: ISO 8601 (2024-05-01T12:00:00Z, local time without a zone) or milliseconds since the epoch. */
export function parseTime(text: string, what = '--at'): number {
  const t = text.trim();
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms)) throw new UsageError(`${what} takes a time (ISO 8601 or epoch ms), got: ${text}`);
  return ms;
}

/** Zxid or time: what --from/--to of txnlog take. */
export function parseZxidOrTime(text: string, what: string): { zxid: bigint } | { time: number } {
  return /^(0x[0-9a-fA-F]+|\d{1,12})$/.test(text.trim())
    ? { zxid: parseZxid(text, what) }
    : { time: parseTime(text, what) };
}

/** Any failure to read a data dir becomes one line naming the file (and offset when it is corruption). */
export class OpenFailed extends Error {
  override name = 'OpenFailed';
}

/** One line describing what was loaded (shown when the shell opens). */
export function describeLoad(r: LoadReport): string {
  const from = r.snapshot
    ? `${path.basename(r.snapshot.file)} + ${r.replayed} transactions`
    : `${r.replayed} transactions`;
  return `opened ${r.dir} at zxid ${hexZxid(r.zxid)} (${from}, ${Math.round(r.ms)} ms); read-only`;
}

/** Warnings a load leaves: truncated logs (what a crash leaves) and a target past the end of the logs. */
export function loadWarnings(r: LoadReport): string[] {
  const out = r.truncations.map(
    (t) =>
      `${t.file}: truncated at offset ${t.offset}; last good transaction ${hexZxid(t.lastGoodZxid)} (a crash leaves this)`,
  );
  for (const u of r.unreadableSnapshots) out.push(`${u}; used an older snapshot`);
  for (const g of r.gaps) out.push(`${gapText(g)}: the tree past ${hexZxid(g.after)} may be wrong`);
  if (r.beyondEnd) out.push(`the logs end at zxid ${hexZxid(r.zxid)}, before the target`);
  return out;
}

/** Loads DIR at the target given as --zxid / --at text; usage errors for bad targets, OpenFailed otherwise. */
export function openDataDir(dir: string, zxid?: string, at?: string): OfflineZk {
  if (zxid !== undefined && at !== undefined) throw new UsageError('give --zxid or --at, not both');
  const target: Target = {};
  if (zxid !== undefined) target.zxid = parseZxid(zxid);
  if (at !== undefined) target.time = parseTime(at);
  try {
    const { tree, report } = loadDataDir(dir, target);
    return new OfflineZk(tree, report);
  } catch (e) {
    if (e instanceof DataDirError || e instanceof CorruptFileError) throw new OpenFailed(e.message);
    throw e;
  }
}
