import path from 'node:path';
import type timers from 'node:timers/promises';
import { builtin } from '../zk/builtin.js';
import { CommandFailed } from '../commands/spec.js';
import { gapText, isGap, listDataDir, logsFrom, DataDirError } from './data-dir.js';
import { CorruptFileError, hexZxid } from './integrity.js';
import { entriesOf, matches, pastEnd, type TxnEntry, type TxnFilter } from './txn-view.js';
import { isStop, TxnLogReader } from './txnlog-reader.js';

const timersPromises = builtin<typeof timers>('node:timers/promises');

/** A line for stderr in the middle of the stream (a truncated log). */
export interface TxnNote {
  note: string;
}

export interface StreamOptions {
  filter: TxnFilter;
  /** Keep reading as the server appends, like tail -f, until the signal aborts. */
  follow: boolean;
  signal: AbortSignal;
  pollMs?: number;
}

/**
 * The logged transactions of a data dir, oldest first, filtered. A cut-off log tail is a note, not an
 * error; a corrupted record ends the stream with an error naming the file and offset. Following, the
 * newest log is polled and a newer log file (the server rolls one after each snapshot) is taken up.
 */
export async function* streamTxns(dir: string, o: StreamOptions): AsyncGenerator<TxnEntry | TxnNote> {
  let files;
  try {
    files = listDataDir(dir);
  } catch (e) {
    if (e instanceof DataDirError) throw new CommandFailed(e.message);
    throw e;
  }
  const from = o.filter.from && 'zxid' in o.filter.from ? o.filter.from.zxid : 0n;
  let queue = logsFrom(files, from).map((l) => l.file);
  let lastZxid = 0n;
  let current = queue.length > 0 ? path.basename(queue[queue.length - 1]!) : '';
  while (queue.length > 0 && !o.signal.aborted) {
    const file = queue.shift()!;
    current = path.basename(file);
    let reader: TxnLogReader;
    try {
      reader = new TxnLogReader(file);
    } catch (e) {
      if (e instanceof CorruptFileError) throw new CommandFailed(e.message);
      throw e;
    }
    try {
      for (;;) {
        let r;
        try {
          r = reader.next();
        } catch (e) {
          if (e instanceof CorruptFileError) throw new CommandFailed(e.message);
          throw e;
        }
        if (!isStop(r)) {
          if (isGap(lastZxid, r.hdr.zxid)) yield { note: gapText({ after: lastZxid, next: r.hdr.zxid, file }) };
          lastZxid = r.hdr.zxid;
          for (const e of entriesOf(r)) {
            if (pastEnd(e, o.filter) && !o.follow) return;
            if (matches(e, o.filter)) yield e;
          }
          continue;
        }
        const newer = o.follow ? newerLogs(dir, current) : [];
        if (queue.length > 0 || newer.length > 0 || !o.follow) {
          if (r.stop === 'truncated')
            yield {
              note: `${file}: truncated at offset ${r.offset}; last good transaction ${hexZxid(lastZxid)}`,
            };
          if (queue.length === 0) queue = newer;
          break;
        }
        // Following the newest log: wait for the server to write more.
        try {
          await timersPromises().setTimeout(o.pollMs ?? 200, undefined, { signal: o.signal });
        } catch {
          return;
        }
        reader.refresh();
      }
    } finally {
      reader.close();
    }
  }
}

/** Log files newer than `name`, oldest first. */
function newerLogs(dir: string, name: string): string[] {
  const files = listDataDir(dir);
  const cur = files.logs.find((l) => path.basename(l.file) === name)?.zxid ?? -1n;
  return files.logs.filter((l) => l.zxid > cur).map((l) => l.file);
}
