import fs from 'node:fs';
import { fixturePath } from './fixtures.js';

/** One one-shot case of a zkCli reference transcript. */
export interface OneShotCase {
  n: number;
  title: string;
  /** argv after `zkCli.sh` (shell-quoted words split back). */
  argv: string[];
  stdout: string[];
  stderr: string[];
  code: number;
  /** Environment assignments written before the command (e.g. TZ=America/New_York). */
  env: Record<string, string>;
  /** Setup lines that the transcript runs after the previous case and before this one. */
  setupBefore: string[];
}

/** Splits a shell-quoted command line as the capture harness wrote it ('…' quoting only). */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2]!);
  return out;
}

const lines = (block: string): string[] => (block.trim() === '<<empty>>' ? [] : block.replace(/\n$/, '').split('\n'));

/** Parses the one-shot cases of a transcript in test/fixtures/zkcli/, each with the setup lines before it. */
export function loadTranscript(name: string): { cases: OneShotCase[] } {
  const text = fs.readFileSync(fixturePath('zkcli', name), 'utf8');
  const setupOf = (t: string): string[] => [...t.matchAll(/^~~~ {5}(.+)$/gm)].map((m) => m[1]!.trim());
  const cases: OneShotCase[] = [];
  const blocks = text.split(/^=== CASE /m);
  let pending = setupOf(blocks[0] ?? '');
  for (const block of blocks.slice(1)) {
    const head = /^(\d+): (.*?) ===/.exec(block);
    // A command may span lines (a quoted argument with a newline): it runs up to the stdout marker.
    const cmd = /^\$ ((?:\w+=\S+ )*)zkCli\.sh ([\s\S]*?)\n--- stdout ---/m.exec(block);
    const out = /--- stdout ---\n([\s\S]*?)--- stderr ---\n([\s\S]*?)--- exit code: (\d+) ---/.exec(block);
    // Setup lines after a case's result belong to the cases that follow.
    const tail = out ? block.slice(out.index + out[0].length) : block;
    if (head && cmd && out) {
      const env = Object.fromEntries(
        cmd[1]!
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((a) => a.split('=') as [string, string]),
      );
      cases.push({
        n: Number(head[1]),
        title: head[2]!,
        argv: shellWords(cmd[2]!),
        stdout: lines(out[1]!),
        stderr: lines(out[2]!),
        code: Number(out[3]),
        env,
        setupBefore: [...pending, ...setupOf(block.slice(0, out.index))],
      });
      pending = [];
    } else pending.push(...setupOf(block.slice(0, block.length - tail.length)));
    pending.push(...setupOf(tail));
  }
  return { cases };
}

/** Lines with values that differ on every run (zxids, session ids, times) made comparable. */
export function normalize(l: readonly string[]): string[] {
  return l.map((x) =>
    x
      .replace(/^(cZxid|mZxid|pZxid|ephemeralOwner) = 0x[0-9a-f]+$/, '$1 = 0x<n>')
      .replace(/^(ctime|mtime) = \w{3} \w{3} \d\d \d\d:\d\d:\d\d [A-Z][A-Za-z+:0-9]* \d{4}$/, (m, k: string) =>
        m.includes(' 1970') ? m : `${k} = <date>`,
      ),
  );
}

/** zkCli's one-shot stdout less what zk-shell deliberately leaves out: "Connecting to" and the connect event. */
export function resultLines(stdout: readonly string[]): string[] {
  const out = [...stdout];
  if (out[0]?.startsWith('Connecting to ')) out.shift();
  if (
    out[0] === '' &&
    out[1] === 'WATCHER::' &&
    out[2] === '' &&
    out[3] === 'WatchedEvent state:SyncConnected type:None path:null'
  )
    out.splice(0, 4);
  return out;
}
