import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './fixtures.js';

/** The plain entry (`node bin/zk-shell.js`), for tests that start node themselves. */
export const BIN = path.join(REPO_ROOT, 'bin', 'zk-shell.js');
/** The command as installed: starts from the start-up snapshot when one fits (bin/zk-shell). */
export const COMMAND = path.join(REPO_ROOT, 'bin', 'zk-shell');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
  ms: number;
}

/** Runs the zk-shell command with argv as given (no shell), optional stdin; stdout, stderr and code apart. */
export function runCli(
  args: readonly string[],
  opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(COMMAND, args, {
      env: { ...process.env, NO_COLOR: '1', HOME: process.env['HOME'] ?? '/tmp', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `zk-shell ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 30000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 30000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, ms: Date.now() - t0 });
    });
    child.stdin.end(opts.input ?? '');
  });
}
