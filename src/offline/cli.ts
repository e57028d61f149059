import { UsageError } from '../commands/spec.js';
import { EXIT } from '../shell/exit-codes.js';
import { describeLoad, loadWarnings, openDataDir, OpenFailed } from './open.js';
import type { OfflineZk } from './offline-zk.js';

/**
 * --data-dir DIR [--zxid Z | --at TIME]: the tree to open instead of a session, or the exit code of a
 * one-line failure. Warnings (a truncated log) always go to stderr; the summary only in the REPL.
 */
export function offlineFromCli(
  opts: { dataDir?: string; zxid?: string; at?: string },
  stderr: (line: string) => void,
  interactive: boolean,
): OfflineZk | number {
  if (opts.dataDir === undefined) {
    stderr(`zk-shell: ${opts.zxid !== undefined ? '--zxid' : '--at'} needs --data-dir\n`);
    return EXIT.USAGE.code;
  }
  try {
    const zk = openDataDir(opts.dataDir, opts.zxid, opts.at);
    for (const w of loadWarnings(zk.report)) stderr(`zk-shell: ${w}\n`);
    if (interactive) stderr(`zk-shell: ${describeLoad(zk.report)}\n`);
    return zk;
  } catch (e) {
    if (e instanceof UsageError) {
      stderr(`zk-shell: ${e.message}\n`);
      return EXIT.USAGE.code;
    }
    if (e instanceof OpenFailed) {
      stderr(`zk-shell: ${e.message}\n`);
      return EXIT.FAILED.code;
    }
    throw e;
  }
}
