// grep's matcher over node data: UTF-8 text line by line, and data that is not UTF-8 byte by byte
// (as latin1, with the pattern's own UTF-8 bytes), its lines shown with \xNN escapes.
import { compileRegex } from './match.js';

/**
 * A POSIX basic regular expression (grep without -E) as a JavaScript one: + ? | ( ) { } are literal
 * unless escaped, where they are operators (the GNU extension); everything else means the same.
 */
export function basicToJs(bre: string): string {
  let out = '';
  let inBracket = false;
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i]!;
    if (inBracket) {
      out += c === '\\' ? '\\\\' : c;
      if (c === ']' && !/\[\^?$/.test(out.slice(0, -1))) inBracket = false;
      continue;
    }
    if (c === '[') {
      inBracket = true;
      out += c;
    } else if (c === '\\' && i + 1 < bre.length) {
      const n = bre[++i]!;
      out += '+?|(){}'.includes(n) ? n : `\\${n}`;
    } else out += '+?|(){}'.includes(c) ? `\\${c}` : c;
  }
  return out;
}

export interface DataMatcher {
  /** Matching lines of the data: 1-based number and the line as text (escaped when binary). */
  lines(data: Buffer): { binary: boolean; hits: { n: number; line: string }[] };
}

const isUtf8 = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);

/** Non-printable and non-ASCII bytes of binary data as \xNN. */
export const escapeBytes = (latin1: string): string =>
  latin1.replace(/[^\x20-\x7e\t]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function compileGrep(pattern: string, o: { ignoreCase: boolean; extended: boolean }): DataMatcher {
  const source = o.extended ? pattern : basicToJs(pattern);
  const flags = o.ignoreCase ? 'i' : '';
  const text = compileRegex(source, o.extended ? '-E' : 'pattern', flags);
  // For bytes: the same expression over latin1, its non-ASCII characters as their UTF-8 bytes.
  const bytes = compileRegex(Buffer.from(source, 'utf8').toString('latin1'), 'pattern', flags);
  return {
    lines(data) {
      const binary = !isUtf8(data);
      const re = binary ? bytes : text;
      const all = data.toString(binary ? 'latin1' : 'utf8').split('\n');
      const hits: { n: number; line: string }[] = [];
      all.forEach((line, i) => {
        if (re.test(line)) hits.push({ n: i + 1, line: binary ? escapeBytes(line) : line });
      });
      return { binary, hits };
    },
  };
}
