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
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) {
        out.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (ch === '\\') {
      if (i + 1 >= line.length) throw new TokenizeError('trailing backslash');
      cur += line[i + 1];
      i += 2;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = findClose(line, i + 1, ch);
      if (end < 0) throw new TokenizeError(`unterminated ${ch === '"' ? 'double' : 'single'} quote`);
      const body = line.slice(i + 1, end);
      cur += ch === '"' ? unescapeDouble(body) : body;
      i = end + 1;
      continue;
    }
    cur += ch;
    i++;
  }
  if (inWord) out.push(cur);
  return out;
}

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
