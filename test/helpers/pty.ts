import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { COMMAND } from './run-cli.js';

/** Puts itself in a new foreground process group (as bash does for a job), then execs argv. */
const JOB =
  'import os,signal,sys; os.setpgid(0,0); signal.signal(signal.SIGTTOU,signal.SIG_IGN); ' +
  'os.tcsetpgrp(0,os.getpgrp()); signal.signal(signal.SIGTTOU,signal.SIG_DFL); os.execv(sys.argv[1],sys.argv[1:])';

/** Removes ANSI escape sequences and carriage returns, so the screen text can be searched. */
export const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/**
 * bin/zk-shell on a real pseudo-terminal (util-linux `script`), so the REPL sees a TTY as a person's
 * terminal would be. Keys are written to the pty; output is collected as it arrives.
 */
export class PtyShell {
  private readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;

  /** `jobs`: run the shell as a job-control shell would (own foreground process group, parent in the session), so Ctrl-Z can stop it. */
  constructor(args: readonly string[], env: Record<string, string> = {}, jobs = false) {
    const quoted = [COMMAND, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    // "; exit": a last command alone would be exec'd by sh, leaving python the session leader.
    const run = jobs ? `python3 -c "${JOB}" ${quoted}; exit $?` : `exec ${quoted}`;
    this.child = spawn('script', ['-qfec', `stty cols 200 rows 50; ${run}`, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (c: Buffer) => {
      this.output += c.toString('utf8');
    });
    this.child.stderr!.on('data', (c: Buffer) => {
      this.output += c.toString('utf8');
    });
    this.exited = new Promise((r) => this.child.on('close', (code) => r(code)));
  }

  /** The pid of the shell itself (the child of `script`, or of the sh that runs it for `jobs`), once it has started. */
  shellPid(): number {
    let pid = this.child.pid!;
    for (;;) {
      // Down through script (and sh for jobs) to the node process; never into what the shell itself
      // started (the sandbox's JVM is a child of zk-shell).
      const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
      const kids = r.stdout
        .trim()
        .split('\n')
        .map(Number)
        .filter((n) => n > 0);
      const next = kids.find(
        (k) => !/java/.test(spawnSync('ps', ['-o', 'comm=', '-p', String(k)], { encoding: 'utf8' }).stdout),
      );
      if (next === undefined) break;
      const isNode = /node/.test(spawnSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).stdout);
      if (isNode && pid !== this.child.pid) break;
      pid = next;
    }
    if (pid === this.child.pid) throw new Error(`no shell process under script (pid ${this.child.pid})`);
    return pid;
  }

  get text(): string {
    return plain(this.output);
  }

  write(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** Waits until the screen text (from `from` on) matches; fails with the screen on timeout. */
  async waitFor(re: RegExp, from = 0, ms = 15000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const m = this.text.slice(from).match(re);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${re}; screen:\n${this.text.slice(-2000)}`);
  }

  /** Types a line and waits for the next prompt after it. */
  async line(l: string): Promise<string> {
    const from = this.text.length;
    this.write(`${l}\r`);
    // The current path follows the number once `cd` left / ("… 3 /app] ").
    await this.waitFor(/\[zk: [^\]]*\(\w+\) \d+( [^\]]*)?\] $/, from + l.length);
    return this.text.slice(from);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

/**
 * Control bytes on the screen that neither the terminal (CR LF) nor readline's own cursor and
 * line-editing sequences account for: each is a place a server string reached the terminal raw.
 * Returns a readable context for each (empty: the screen is clean).
 */
export function rawControls(screen: string): string[] {
  const stripped = screen
    // The terminal's line endings (echo of Enter, then the output's newline): harmless.
    .replace(/\r+\n/g, '\n')
    // readline: cursor to column (G), erase line (K) or below (0J), moves (A-D), bracketed paste.
    .replace(/\x1b\[(?:\d+)?[GABCD]|\x1b\[[012]?K|\x1b\[0?J|\x1b\[\?2004[hl]/g, '');
  const out: string[] = [];

  const re = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  for (let m = re.exec(stripped); m; m = re.exec(stripped)) {
    out.push(JSON.stringify(stripped.slice(Math.max(0, m.index - 20), m.index + 20)));
  }
  return out;
}
