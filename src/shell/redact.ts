import { tokenize } from './tokenize.js';

/**
 * The form of a line that may be written down (history file, history command, logs): secrets after
 * `addauth <scheme>` and `admin … -auth` are replaced by ***. For digest the user name is kept.
 */
export function redactLine(line: string): string {
  let words: string[];
  try {
    words = tokenize(line);
  } catch {
    words = line.trim().split(/\s+/);
  }
  if (words[0] === 'addauth' && words.length >= 3) {
    const scheme = words[1]!;
    const auth = words.slice(2).join(' ');
    const colon = auth.indexOf(':');
    const shown = scheme === 'digest' && colon > 0 ? `${auth.slice(0, colon)}:***` : '***';
    return `addauth ${scheme} ${shown}`;
  }
  const i = words.findIndex((w) => w === '-auth' || w === '--auth');
  if (words[0] === 'admin' && i > 0 && i + 1 < words.length) {
    words[i + 1] = '***';
    return words.join(' ');
  }
  return line;
}
