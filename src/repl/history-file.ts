import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactLine } from '../shell/redact.js';

export const MAX_HISTORY = 1000;

export const defaultHistoryFile = (): string => path.join(os.homedir(), '.zk_shell_history');

/** Oldest-first lines of the history file (missing or unreadable: none). */
export function loadHistory(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0).slice(-MAX_HISTORY);
  } catch {
    return [];
  }
}

/** Writes oldest-first lines, redacted, readable by the owner only. Failures are reported once, not fatal. */
export function saveHistory(file: string, linesOldestFirst: readonly string[]): string | null {
  try {
    const text = linesOldestFirst.slice(-MAX_HISTORY).map(redactLine).join('\n');
    fs.writeFileSync(file, text.length ? `${text}\n` : '', { mode: 0o600 });
    return null;
  } catch (e) {
    return `cannot write history file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
