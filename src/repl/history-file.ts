import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactLine } from '../shell/redact.js';

export const MAX_HISTORY = 1000;

export const defaultHistoryFile = (): string => path.join(os.homedir(), '.zk_shell_history');

/** Oldest-first lines of the history file (missing or unreadable: none). */
export function loadHistory(file: string): string[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .slice(-MAX_HISTORY);
  } catch {
    return [];
  }
}

/**
 * Makes an existing history file readable by the owner only. Returns a one-line note when it was
 * not (an older zk-shell, a copied file, a umask), null otherwise.
 */
export function tightenHistoryFile(file: string): string | null {
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0) return null;
    fs.chmodSync(file, 0o600);
    return `history file ${file} was readable by others (mode ${mode.toString(8).padStart(4, '0')}); it is now 0600`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? null : `cannot make history file ${file} private: ${code ?? (e as Error).message}`;
  }
}

/** Writes oldest-first lines, redacted, readable by the owner only. Failures are reported once, not fatal. */
export function saveHistory(file: string, linesOldestFirst: readonly string[]): string | null {
  try {
    const text = linesOldestFirst.slice(-MAX_HISTORY).map(redactLine).join('\n');
    // The mode of open() applies only to a new file: an existing one is made 0600 before anything is written.
    const fd = fs.openSync(file, 'w', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
      fs.writeSync(fd, text.length ? `${text}\n` : '');
    } finally {
      fs.closeSync(fd);
    }
    return null;
  } catch (e) {
    return `cannot write history file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
