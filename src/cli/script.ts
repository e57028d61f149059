import type { Shell } from '../shell/shell.js';

export interface ScriptOptions {
  keepGoing: boolean;
}

/**
 * Runs script lines (from -c, -f or stdin) through the shell. Blank lines and lines starting with #
 * are skipped. The first failing line stops the script (its code is the exit code) unless keepGoing,
 * in which case the last failure's code is returned.
 */
export async function runLines(shell: Shell, lines: Iterable<string> | AsyncIterable<string>, o: ScriptOptions): Promise<number> {
  let failure = 0;
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const code = await shell.execute(line);
    if (code !== 0) {
      failure = code;
      if (!o.keepGoing) return code;
    }
    if (shell.quitRequested) break;
  }
  return failure;
}
