// Reading a -client-configuration file the way zkCli does: java.util.Properties.load, then ZKConfig
// trims every key and value. Booleans are Boolean.parseBoolean (case-insensitive), but stricter.

/** A -client-configuration file that cannot be used; the message names the file or the key, never a password. */
export class ClientConfigError extends Error {
  override name = 'ClientConfigError';
}

/** Java's String.trim: every char <= U+0020 at either end. */
const javaTrim = (s: string): string => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

/** Undoes Properties escapes: \t \n \r \f, \uXXXX, and \c for any other c. */
function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

/** Logical lines: a line ending in an odd number of backslashes goes on, minus the next line's indent. */
function logicalLines(text: string): string[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let acc: string | null = null;
  for (const raw of natural) {
    const line: string = acc === null ? raw.replace(/^[ \t\f]+/, '') : acc + raw.replace(/^[ \t\f]+/, '');
    if (acc === null && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const trailing = /\\*$/.exec(line)![0].length;
    if (trailing % 2 === 1) {
      acc = line.slice(0, -1);
      continue;
    }
    acc = null;
    out.push(line);
  }
  if (acc !== null) out.push(acc);
  return out;
}

/**
 * Java .properties (key=value, key: value or key value; # and ! comments; backslash continuations and
 * escapes), with keys and values trimmed as ZKConfig does. The last of repeated keys wins.
 */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    // The key ends at the first unescaped '=', ':' or whitespace.
    const m = /^((?:\\.|[^=:\s\\])*)\s*[=:]?\s*([\s\S]*)$/.exec(line);
    if (!m) continue;
    const key = javaTrim(unescape(m[1]!));
    if (key) out[key] = javaTrim(unescape(m[2]!));
  }
  return out;
}

/**
 * A boolean property. Java's client reads Boolean.parseBoolean(value.trim()): "true" in any case is
 * true and anything else — "yes", "1", a typo — silently false. For settings that decide security
 * that would turn TLS or hostname checks off without a word, so only true/false (any case) are taken;
 * anything else is an error. Absent: the default.
 */
export function javaBoolean(props: Readonly<Record<string, string>>, key: string, dflt: boolean): boolean {
  const v = props[key];
  if (v === undefined) return dflt;
  const t = javaTrim(v).toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new ClientConfigError(`${key} must be true or false, got ${JSON.stringify(v)}`);
}
