// Four-letter-word answers as data: the fields --format json adds after {word, server}, and that tables show.
// Each parser reads the text the server writes (org.apache.zookeeper.server.command.*) and keeps anything
// it does not recognise out rather than guessing.
import { FOUR_LETTER_WORDS } from '../zk/four-letter.js';
import { anyOf, arrayOf, literal, mapOf, named, obj, type Shape } from './json-shape.js';

type Fields = Record<string, unknown>;

/** A decimal number as a number (when it is exactly representable), anything else as it is. */
function numeric(v: string): string | number {
  if (/^-?\d+$/.test(v)) return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  return /^-?\d+\.\d+$/.test(v) ? Number(v) : v;
}

/** "Node count" → node_count; "Latency min/avg/max: 0/0.5/3" → latency_min, latency_avg, latency_max. */
function labelled(label: string, value: string, out: Fields): void {
  const key = (s: string): string =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '');
  const multi = /^(.*?)\s+(\w+(?:\/\w+)+)$/.exec(label);
  const parts = value.split('/');
  if (multi && multi[2]!.split('/').length === parts.length) {
    multi[2]!.split('/').forEach((n, i) => {
      out[key(`${multi[1]!} ${n}`)] = numeric(parts[i]!.trim());
    });
    return;
  }
  // Zxids are hex (0x…): numeric() leaves them strings, as in every other document.
  out[key(label)] = numeric(value);
}

/** `label: value` lines (srvr, stat, dirs). */
function colonValues(lines: readonly string[]): Fields {
  const out: Fields = {};
  for (const line of lines) {
    const m = /^([^:]+):\s?(.*)$/.exec(line);
    if (m && m[2] !== undefined && m[2].trim() !== '') labelled(m[1]!.trim(), m[2].trim(), out);
  }
  return out;
}

/** `key=value` lines (conf, envi); `keepText` keys stay strings (conf's version is hex without 0x). */
function equalsValues(text: string, toNumber: boolean, keepText: readonly string[] = []): Fields {
  const out: Fields = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    out[k] = toNumber && !keepText.includes(k) ? numeric(v) : v;
  }
  return out;
}

/** ` /127.0.0.1:5555[1](queued=0,recved=5,…)` (cons, and the Clients of stat). */
export function parseConnection(line: string): Fields | null {
  const m = /^\s*(.+?)\[(\d+)\]\((.*)\)\s*$/.exec(line);
  if (!m) return null;
  const out: Fields = { address: m[1]!, interestOps: Number(m[2]) };
  for (const pair of m[3]!.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = numeric(pair.slice(eq + 1));
  }
  return out;
}

/** Unindented lines name a group; tab-indented lines under them are its members (wchc, wchp, dump). */
function groups(lines: readonly string[], strip = (k: string): string => k): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current: string[] | null = null;
  for (const line of lines) {
    if (line.startsWith('\t')) current?.push(line.slice(1));
    else if (line.trim()) out[strip(line.trim())] = current = [];
  }
  return out;
}

/** The word-specific fields of a four-letter word's JSON document. */
export function flwFields(word: string, text: string): Fields {
  const lines = text.split('\n');
  switch (word) {
    case 'ruok':
      return { ok: text.trim() === 'imok' };
    case 'isro':
      return { readOnly: text.trim() === 'ro' };
    case 'srst':
    case 'crst':
      return { message: text.trim() };
    case 'gtmk':
    case 'stmk':
      return { traceMask: numeric(text.trim()) };
    case 'mntr': {
      const values: Fields = {};
      for (const line of lines) {
        const tab = line.indexOf('\t');
        if (tab > 0) values[line.slice(0, tab)] = numeric(line.slice(tab + 1).trim());
      }
      return { values };
    }
    case 'srvr':
    case 'dirs':
      return { values: colonValues(lines) };
    case 'stat': {
      const clients = lines.map(parseConnection).filter((c): c is Fields => c !== null);
      return { values: colonValues(lines.filter((l) => !l.startsWith(' ') && l !== 'Clients:')), clients };
    }
    case 'cons':
      return { connections: lines.map(parseConnection).filter((c): c is Fields => c !== null) };
    case 'conf':
      return { values: equalsValues(text, true, ['version']) };
    case 'envi':
      return { values: equalsValues(text, false) };
    case 'wchs': {
      const m = /(\d+) connections watching (\d+) paths/.exec(text);
      const t = /Total watches:\s*(\d+)/.exec(text);
      return { connections: Number(m?.[1] ?? 0), paths: Number(m?.[2] ?? 0), watches: Number(t?.[1] ?? 0) };
    }
    case 'wchc':
      return { sessions: groups(lines) };
    case 'wchp':
      return { paths: groups(lines) };
    case 'dump': {
      const at = lines.findIndex((l) => l.startsWith('Sessions with Ephemerals'));
      const end = lines.findIndex((l, i) => i > at && l === 'Connections dump:');
      const section = at < 0 ? [] : lines.slice(at + 1, end < 0 ? undefined : end);
      return { ephemerals: groups(section, (k) => k.replace(/:$/, '')), text };
    }
    case 'hash':
      return {
        digests: lines
          .map((l) => /^([0-9a-f]+): (-?\d+)$/.exec(l.trim()))
          .filter((m) => m !== null)
          .map((m) => ({ zxid: `0x${m[1]!}`, digest: m[2]! })),
      };
    default:
      return { output: text };
  }
}

const NUM_OR_TEXT = anyOf('number', 'string');
const VALUES = obj({ values: mapOf(NUM_OR_TEXT) });
const CONNECTION = named(
  'Connection',
  obj({
    address: 'string',
    interestOps: 'integer',
    queued: 'integer',
    recved: 'integer',
    sent: 'integer',
    'sid?': 'string',
    'lop?': 'string',
    'est?': 'integer',
    'to?': 'integer',
    'lcxid?': 'string',
    'lzxid?': 'string',
    'lresp?': 'integer',
    'llat?': 'integer',
    'minlat?': 'integer',
    'avglat?': 'integer',
    'maxlat?': 'integer',
  }),
);

/** The fields of each word's document (see flwFields), for the man page and the tests. */
export const FLW_FIELDS: Record<(typeof FOUR_LETTER_WORDS)[number], Shape> = {
  ruok: obj({ ok: 'boolean' }),
  isro: obj({ readOnly: 'boolean' }),
  srst: obj({ message: 'string' }),
  crst: obj({ message: 'string' }),
  gtmk: obj({ traceMask: 'number' }),
  stmk: obj({ traceMask: 'number' }),
  mntr: VALUES,
  srvr: VALUES,
  dirs: VALUES,
  conf: VALUES,
  envi: obj({ values: mapOf('string') }),
  stat: obj({ values: mapOf(NUM_OR_TEXT), clients: arrayOf(CONNECTION) }),
  cons: obj({ connections: arrayOf(CONNECTION) }),
  wchs: obj({ connections: 'integer', paths: 'integer', watches: 'integer' }),
  wchc: obj({ sessions: mapOf(arrayOf('string'), 'session') }),
  wchp: obj({ paths: mapOf(arrayOf('string'), 'path') }),
  dump: obj({ ephemerals: mapOf(arrayOf('string'), 'session'), text: 'string' }),
  hash: obj({ digests: arrayOf(obj({ zxid: 'string', digest: 'string' })) }),
};

/** One alternative per word: {word, server, …its fields}. */
export const FLW_JSON: Shape = anyOf(
  ...FOUR_LETTER_WORDS.map((w) => {
    const f = FLW_FIELDS[w];
    return obj({ word: literal(w), server: 'string', ...(typeof f === 'object' && 'object' in f ? f.object : {}) });
  }),
);
