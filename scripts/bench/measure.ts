// Running and timing child processes for the bench.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface Run {
  ms: number;
  rssMB: number;
  code: number | null;
  /** CPU time of the child (user + system), from /proc, ms. */
  cpuMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/** Runs a command, timing it and sampling its peak RSS (VmHWM) and CPU time from /proc until it exits. */
export function measure(
  cmd: string,
  args: string[],
  input?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'], env });
    let hwm = 0;
    let cpu = 0;
    let stderr = '';
    const sample = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]));
        const f = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        cpu = (Number(f[11]) + Number(f[12])) * TICK_MS;
      } catch {
        /* exited */
      }
    };
    const poll = setInterval(sample, 5);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0)
        process.stderr.write(
          `  (exit ${code}: ${cmd} ${args.slice(-3).join(' ')}: ${stderr.trim().split('\n').pop()})\n`,
        );
      resolve({ ms, rssMB: hwm / 1024, code, cpuMs: cpu });
    });
    if (input && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Runs f `runs` times (with `before` ahead of each), sequentially. */
export async function many(runs: number, f: () => Promise<Run>, before?: () => Promise<void>): Promise<Run[]> {
  const out: Run[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    out.push(await f());
  }
  return out;
}

export const medianMs = (rs: readonly Run[]): number => median(rs.map((r) => r.ms));
export const peakRss = (rs: readonly Run[]): number => Math.max(...rs.map((r) => r.rssMB));
