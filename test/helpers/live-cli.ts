import { spawn, type ChildProcess } from 'node:child_process';
import { COMMAND } from './run-cli.js';

/**
 * bin/zk-shell running in the background with stdout and stderr read as they come, for commands that
 * stream (watch): a test waits for a line, makes a change with another client, waits for the next.
 */
export class LiveCli {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[]) {
    this.child = spawn(COMMAND, args, {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString('utf8')));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    this.exited = new Promise((r) => this.child.on('close', (code) => r(code)));
  }

  /** Waits until stdout (or stderr) matches; fails with both on timeout. */
  async waitFor(re: RegExp, stream: 'stdout' | 'stderr' = 'stdout', ms = 15000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const m = this[stream].match(re);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${re} on ${stream}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
  }

  /** Stdout lines without their timestamps. */
  lines(): string[] {
    return this.stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** Ends a process a failed test left running. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
