// The command line that resumes a stopped import or cp: the same words and options (credential sources,
// --no-acl, …) with the conflict option that finishes the job. Quoted so it can be pasted back.
import type { ConflictMode } from './plan.js';

/** A word as a POSIX shell (and the zk-shell line parser) reads it back. */
export const quoteWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/**
 * `words` is the command as run, without its conflict option. An --overwrite run resumes with --overwrite
 * (nodes already written are unchanged, the rest still get replaced); otherwise --skip-existing.
 */
export const resumeLine = (words: readonly string[], mode: ConflictMode): string =>
  [...words.map(quoteWord), mode === 'overwrite' ? '--overwrite' : '--skip-existing'].join(' ');
