/** A line could not be split (an unterminated quote); zkCli silently dropped the quote. */
export class TokenizeError extends Error {
  override name = 'TokenizeError';
}

/**
 * Splits a command line the way zkCli does ("a b", 'a b', "" for empty) plus backslash escapes, so
 * JSON with spaces and quotes can be written: \" inside double quotes, \' \" \\ and "\ " outside,
 * and \n \t inside double quotes. Adjacent pieces join into one word (a"b c" → a b c), like a POSIX shell.
 */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    if (isBlank(line.charCodeAt(i))) {
      i++;
      continue;
    }
    // A plain word is one slice: built a character at a time, words were most of a script line's garbage.
    const start = i;
    let c = 0;
    while (i < n && !isBlank((c = line.charCodeAt(i))) && c !== BACKSLASH && c !== DQUOTE && c !== SQUOTE) i++;
    if (i === n || isBlank(c)) {
      out.push(line.slice(start, i));
      continue;
    }
    // Quotes or escapes: the word is built piece by piece, up to the next blank outside quotes.
    let cur = line.slice(start, i);
    while (i < n && !isBlank(line.charCodeAt(i))) {
      const ch = line[i]!;
      if (ch === '\\') {
        if (i + 1 >= n) throw new TokenizeError('trailing backslash');
        cur += line[i + 1];
        i += 2;
      } else if (ch === "'" || ch === '"') {
        const end = findClose(line, i + 1, ch);
        if (end < 0) throw new TokenizeError(`unterminated ${ch === '"' ? 'double' : 'single'} quote`);
        const body = line.slice(i + 1, end);
        cur += ch === '"' ? unescapeDouble(body) : body;
        i = end + 1;
      } else {
        cur += ch;
        i++;
      }
    }
    out.push(cur);
  }
  return out;
}

const BACKSLASH = 0x5c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function findClose(line: string, from: number, q: string): number {
  for (let j = from; j < line.length; j++) {
    if (q === '"' && line[j] === '\\') {
      j++;
      continue;
    }
    if (line[j] === q) return j;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  // dotAll: findClose lets a backslash escape any character, line terminators included.
  return s.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
