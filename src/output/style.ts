// The only module that imports chalk: colour is decided once, from the terminal and the options.
// chalk (and the terminal probing it brings) is loaded only when colour is on.
import type { ChalkInstance } from 'chalk';

export interface Style {
  readonly enabled: boolean;
  error(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  path(s: string): string;
  event(s: string): string;
  prompt(s: string): string;
}

const plain = (s: string): string => s;
const PLAIN: Style = {
  enabled: false,
  error: plain,
  warn: plain,
  dim: plain,
  path: plain,
  event: plain,
  prompt: plain,
};

/** Colour only on a terminal, never with --no-color or NO_COLOR set. */
export async function makeStyle(isTTY: boolean, noColor: boolean): Promise<Style> {
  const enabled = isTTY && !noColor && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '');
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c: ChalkInstance = new Chalk({ level: 1 });
  // Line by line, and only text: chalk alone leaves an empty ESC[31mESC[39m pair after a final newline.
  const paint =
    (f: (s: string) => string) =>
    (s: string): string =>
      s
        .split('\n')
        .map((l) => (l ? f(l) : l))
        .join('\n');
  return {
    enabled,
    error: paint((s) => c.red(s)),
    warn: paint((s) => c.yellow(s)),
    dim: paint((s) => c.dim(s)),
    path: paint((s) => c.cyan(s)),
    event: paint((s) => c.magenta(s)),
    prompt: paint((s) => c.bold(s)),
  };
}
