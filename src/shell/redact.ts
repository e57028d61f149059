import { tokenize } from './tokenize.js';

/** What a secret is replaced by in history. It is never sent as a password (see isRedacted). */
export const REDACTED = '***';

/** addauth options whose value names where the secret is, not the secret: kept in history. */
export const PASSWORD_OPTIONS: Readonly<Record<string, 'env' | 'file'>> = {
  '-E': 'env',
  '--password-env': 'env',
  '-F': 'file',
  '--password-file': 'file',
};

/**
 * Built-in schemes whose auth is no secret (ip: an address, which the server ignores anyway; world;
 * x509: a name). Any other scheme (digest, a custom provider's) may carry one and is redacted.
 */
const PUBLIC_SCHEMES = new Set(['ip', 'world', 'x509']);

/** Whether an addauth auth argument is the redacted form (a history line run again). */
export function isRedacted(scheme: string, auth: string): boolean {
  if (PUBLIC_SCHEMES.has(scheme)) return false;
  return (
    auth === REDACTED ||
    (scheme === 'digest' && auth.endsWith(`:${REDACTED}`) && auth.indexOf(':') === auth.length - REDACTED.length - 1)
  );
}

function redactAddauth(words: readonly string[]): string {
  const scheme = words[1]!;
  const out = ['addauth', scheme];
  let positional = 0;
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    if (PASSWORD_OPTIONS[w] && i + 1 < words.length) out.push(w, words[++i]!);
    else if (/^--password-(env|file)=/.test(w)) out.push(w);
    // A digest user name on its own is no secret; anything else (even a stray word) may be part of one.
    else if (scheme === 'digest' && positional++ === 0 && !w.startsWith('-')) {
      const colon = w.indexOf(':');
      out.push(colon < 0 ? w : colon > 0 ? `${w.slice(0, colon)}:${REDACTED}` : REDACTED);
    } else out.push(REDACTED);
  }
  return out.join(' ');
}

/**
 * The form of a line that may be written down (history file, readline's history, the history
 * command, logs): secrets after `addauth <scheme>` and `admin … -auth` are replaced by ***. For
 * digest the user name is kept.
 */
export function redactLine(line: string): string {
  // Without quotes or backslashes the words are the line's own pieces: no "auth" in it, no secret to hide.
  // (A script records every line: tokenizing each one twice was ~4% of a 10,000-line script.)
  if (!line.includes('auth') && !/['"\\]/.test(line)) return line;
  let words: string[];
  try {
    words = tokenize(line);
  } catch {
    words = line.trim().split(/\s+/);
  }
  if (words[0] === 'addauth' && words.length >= 3 && !PUBLIC_SCHEMES.has(words[1]!)) return redactAddauth(words);
  const i = words.findIndex((w) => w === '-auth' || w === '--auth');
  // "scheme" alone or "digest user" holds no secret (it comes from -E/-F, ZK_SHELL_AUTH or a prompt).
  const value = words[i + 1] ?? '';
  const noSecret = /^\S+$/.test(value) || /^digest\s+[^:\s]+$/.test(value);
  if (words[0] === 'admin' && i > 0 && i + 1 < words.length && !noSecret) {
    words[i + 1] = REDACTED;
    return words.join(' ');
  }
  return line;
}
