// The only module that imports chalk: colour is decided once, from the terminal and the options.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  readonly enabled: boolean;
  error(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  path(s: string): string;
  event(s: string): string;
  prompt(s: string): string;
}

/** Colour only on a terminal, never with --no-color or NO_COLOR set. */
export function makeStyle(isTTY: boolean, noColor: boolean): Style {
  const enabled = isTTY && !noColor && !('NO_COLOR' in process.env && process.env['NO_COLOR'] !== '');
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled,
    error: (s) => c.red(s),
    warn: (s) => c.yellow(s),
    dim: (s) => c.dim(s),
    path: (s) => c.cyan(s),
    event: (s) => c.magenta(s),
    prompt: (s) => c.bold(s),
  };
}
