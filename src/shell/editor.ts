import type childProcess from 'node:child_process';
import fs from 'node:fs';
import type osT from 'node:os';
import path from 'node:path';
import { builtin } from '../zk/builtin.js';

const loadChildProcess = builtin<typeof childProcess>('node:child_process');
const os = builtin<typeof osT>('node:os');

/** The editor command line: $VISUAL, else $EDITOR, else vi (as git and crontab choose). */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env['VISUAL']?.trim() || env['EDITOR']?.trim() || 'vi';
}

/** How the editor ended: its exit status, or the signal that ended it. */
export type EditorExit = { status: number } | { signal: string };

/**
 * Opens `text` in the user's editor and returns what the file holds when the editor exits. The file is
 * created 0600 in a fresh 0700 directory (node data may be secret) and both are removed afterwards,
 * whatever happens. `name` becomes the file name (sanitised), so the editor can pick a syntax.
 * The editor line is run by sh, as git runs it, so `EDITOR="code -w"` works.
 */
export async function editText(
  text: Buffer,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ exit: EditorExit; text: Buffer }> {
  const dir = fs.mkdtempSync(path.join(os().tmpdir(), 'zk-shell-edit-'));
  try {
    const file = path.join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'znode');
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    const exit = await new Promise<EditorExit>((resolve, reject) => {
      // A script piped on stdin must not be read by the editor: it gets stdin only from a terminal.
      const stdin = process.stdin.isTTY ? 'inherit' : 'ignore';
      const child = loadChildProcess().spawn('sh', ['-c', `${editorCommand(env)} "$1"`, 'sh', file], {
        stdio: [stdin, 'inherit', 'inherit'],
        env,
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(signal ? { signal } : { status: code ?? 1 }));
    });
    return { exit, text: fs.readFileSync(file) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
