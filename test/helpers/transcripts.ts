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

/** Parses the one-shot cases and the setup lines of a transcript in test/fixtures/zkcli/. */
export function loadTranscript(name: string): { setup: string[]; cases: OneShotCase[] } {
  const text = fs.readFileSync(fixturePath('zkcli', name), 'utf8');
  const setup = [...text.matchAll(/^~~~ {5}(.+)$/gm)].map((m) => m[1]!.trim());
  const cases: OneShotCase[] = [];
  for (const block of text.split(/^=== CASE /m).slice(1)) {
    const head = /^(\d+): (.*?) ===/.exec(block);
    const cmd = /^\$ (?:\w+=\S+ )*zkCli\.sh (.*)$/m.exec(block);
    const out = /--- stdout ---\n([\s\S]*?)--- stderr ---\n([\s\S]*?)--- exit code: (\d+) ---/.exec(block);
    if (!head || !cmd || !out) continue;
    cases.push({ n: Number(head[1]), title: head[2]!, argv: shellWords(cmd[1]!), stdout: lines(out[1]!), stderr: lines(out[2]!), code: Number(out[3]) });
  }
  return { setup, cases };
}

/** zkCli's one-shot stdout less what zk-shell deliberately leaves out: "Connecting to" and the connect event. */
export function resultLines(stdout: readonly string[]): string[] {
  const out = [...stdout];
  if (out[0]?.startsWith('Connecting to ')) out.shift();
  if (out[0] === '' && out[1] === 'WATCHER::' && out[2] === '' && out[3] === 'WatchedEvent state:SyncConnected type:None path:null') out.splice(0, 4);
  return out;
}
