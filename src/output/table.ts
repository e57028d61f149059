// --format table: every result that has rows becomes one or more cli-table3 tables (loaded only when
// asked for), fitted to a width. What each command shows is documented in its spec (`table`).
import type { CommandResult } from '../commands/spec.js';
import { permsToString } from '../zk/acl.js';
import { parseStatsTrack } from '../commands/quota-util.js';
import { clusterTables } from './cluster-view.js';
import { flwFields } from './four-letter-json.js';
import { recipeAllTables } from './recipe-view.js';
import { dataText, hexDump, statLines } from './zkcli.js';
import { liveTables } from './live-results.js';
import { transferRows } from './backup.js';
import { isNavResult, navTables } from './nav-output.js';
import { drawTable } from './long-table.js';

type Cell = string;
/** One table: a header row and rows of the same length. */
export interface TableSpec {
  head: Cell[];
  rows: Cell[][];
}

const text = (v: unknown): string =>
  v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : `${v as string | number | boolean}`;
const kv = (entries: [string, unknown][]): TableSpec => ({
  head: ['key', 'value'],
  rows: entries.map(([k, v]) => [k, text(v)]),
});
const column = (head: string, values: readonly string[]): TableSpec => ({ head: [head], rows: values.map((v) => [v]) });

/** zkCli's stat block as key/value pairs (its names: cZxid, dataVersion, …, dates as zkCli prints them). */
const statRows = (s: Parameters<typeof statLines>[0]): [string, unknown][] =>
  statLines(s).map((l) => {
    const i = l.indexOf(' = ');
    return [l.slice(0, i), l.slice(i + 3)];
  });

/** More fields than this and a list of records is shown one key/value table per record. */
const WIDE_RECORD = 6;

/** Rows of objects as columns: the union of their keys, in first-seen order. */
function columns(items: readonly Record<string, unknown>[]): TableSpec {
  const head = [...new Set(items.flatMap((o) => Object.keys(o)))];
  return { head, rows: items.map((o) => head.map((k) => (k in o ? text(o[k]) : ''))) };
}

/** A four-letter word's fields: scalars and `values` as key/value, lists of objects as columns, groups as two columns. */
function flwTables(word: string, raw: string): TableSpec[] {
  const pairs: [string, unknown][] = [];
  const more: TableSpec[] = [];
  for (const [k, v] of Object.entries(flwFields(word, raw))) {
    if (k === 'values') pairs.push(...Object.entries(v as Record<string, unknown>));
    else if (Array.isArray(v)) {
      const items = v as Record<string, unknown>[];
      // Wide records (cons has 16 fields) cannot fit 80 columns side by side: one key/value block each.
      const wide = new Set(items.flatMap((o) => Object.keys(o))).size > WIDE_RECORD;
      if (!items.length) more.push(column(k, []));
      else if (wide) more.push(...items.map((o) => kv(Object.entries(o))));
      else more.push(columns(items));
    } else if (v !== null && typeof v === 'object') {
      more.push({
        head: [k === 'paths' ? 'path' : 'session', k === 'paths' ? 'sessions' : 'paths'],
        rows: Object.entries(v).map(([g, m]) => [g, (m as string[]).join('\n')]),
      });
    } else pairs.push([k, v]);
  }
  return [...(pairs.length ? [kv(pairs)] : []), ...more];
}

/** The tables for a result; null when it has no table form (a streamed `ls -R`). */
export function resultTables(r: CommandResult): TableSpec[] | null {
  if (isNavResult(r)) return navTables(r);
  switch (r.type) {
    case 'none':
    case 'streamed':
    case 'created':
      return r.type === 'created' && r.stat ? [kv([['path', r.path], ...statRows(r.stat)])] : [];
    case 'paths':
    case 'txns':
    case 'tree':
    case 'found':
    case 'grep':
    case 'du':
      return null;
    case 'children':
      return [column(r.path, [...r.children].sort()), ...(r.stat ? [kv(statRows(r.stat))] : [])];
    case 'data': {
      const data =
        r.encoding === 'hex'
          ? hexDump(r.data).join('\n')
          : r.encoding === 'base64'
            ? (r.data?.toString('base64') ?? 'null')
            : dataText(r.data);
      return [kv([['path', r.path], ['data', data], ...(r.stat ? statRows(r.stat) : [])])];
    }
    case 'stat':
      return [kv([['path', r.path], ...statRows(r.stat)])];
    case 'acl':
      return [
        { head: ['scheme', 'id', 'perms'], rows: r.acl.map((a) => [a.id.scheme, a.id.id, permsToString(a.perms)]) },
        ...(r.stat ? [kv(statRows(r.stat))] : []),
      ];
    case 'number':
      return [
        kv([
          ['path', r.path],
          ['count', r.value],
        ]),
      ];
    case 'lines':
      return [column(r.name, r.lines)];
    case 'ephemerals':
      return [column('ephemerals', r.paths)];
    case 'whoami':
      return [{ head: ['scheme', 'user'], rows: r.identities.map((i) => [i.scheme, i.user]) }];
    case 'config': {
      const pairs: [string, unknown][] = r.text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
      if (r.form === 'connect') pairs.push(...(r.text.trim() ? [['connect', r.text.trim()] as [string, unknown]] : []));
      const all = [...pairs, ...(r.stat ? statRows(r.stat) : [])];
      return all.length ? [kv(all)] : [];
    }
    case 'quota': {
      const l = parseStatsTrack(r.limits);
      const s = parseStatsTrack(r.stats);
      const keys = [...new Set([...Object.keys(l), ...Object.keys(s)])];
      return [
        {
          head: [r.path, ...keys],
          rows: [
            ['quota', ...keys.map((k) => String(l[k] ?? ''))],
            ['usage', ...keys.map((k) => String(s[k] ?? ''))],
          ],
        },
      ];
    }
    case 'flw':
      return flwTables(r.word, r.text);
    case 'admin':
      return [kv(Object.entries(r.body))];
    case 'txn':
    case 'session':
    case 'clients':
      return liveTables(r);
    case 'version':
      return [
        kv([
          ['version', r.version],
          ['zookeeperProtocol', r.zookeeperProtocol],
        ]),
      ];
    case 'cluster':
      return clusterTables(r.report, r.trend);
    case 'recipe':
      return recipeAllTables(r.view);
    case 'stream':
      return null;
    case 'transfer':
      return [kv(transferRows(r))];
  }
}

const longest = (cell: string): number => Math.max(0, ...cell.split('\n').map((l) => [...l].length));

/**
 * Column widths that fit `width` (borders and one space of padding each side included): columns that
 * fit their share keep their natural width, the rest share what is left and wrap. Undefined: natural widths.
 */
export function fitWidths(t: TableSpec, width: number | undefined): number[] | undefined {
  // A loop, not Math.max(...rows): a million rows are too many arguments.
  const natural = t.head.map((h, i) => {
    let w = longest(h);
    for (const r of t.rows) w = Math.max(w, longest(r[i] ?? ''));
    return w + 2;
  });
  const borders = t.head.length + 1;
  if (width === undefined || natural.reduce((a, b) => a + b, 0) + borders <= width) return undefined;
  const out = new Array<number>(natural.length).fill(0);
  let left = Math.max(width - borders, natural.length * 6);
  const order = natural.map((w, i) => [w, i] as const).sort((a, b) => a[0] - b[0]);
  order.forEach(([w, i], n) => {
    const share = Math.floor(left / (order.length - n));
    out[i] = Math.max(6, Math.min(w, share));
    left -= out[i];
  });
  return out;
}

/** Wraps each line at spaces to `width` characters; a word longer than that is cut (nothing is dropped). */
export function wrapCell(cell: string, width: number): string {
  const out: string[] = [];
  for (const line of cell.split('\n')) {
    let cur = '';
    for (const word of line.split(/(?<= )/)) {
      if ([...cur].length + [...word.trimEnd()].length > width && cur) {
        out.push(cur.trimEnd());
        cur = '';
      }
      cur += word;
      while ([...cur.trimEnd()].length > width) {
        const chars = [...cur];
        out.push(chars.slice(0, width).join(''));
        cur = chars.slice(width).join('');
      }
    }
    out.push(cur.trimEnd());
  }
  return out.join('\n');
}

/** Renders tables one after another; `width` as fitWidths. */
export async function tablesText(tables: readonly TableSpec[], width: number | undefined): Promise<string> {
  if (tables.length === 0) return '';
  const { default: Table } = await import('cli-table3');
  return tables
    .map((spec) => {
      // A tab's width depends on where the terminal puts it, so cells hold spaces instead.
      const untab = (row: string[]): string[] => row.map((c) => c.replace(/\t/g, '    '));
      const tidy: TableSpec = { head: untab(spec.head), rows: spec.rows.map(untab) };
      const colWidths = fitWidths(tidy, width);
      const fit = (row: string[]): string[] => (colWidths ? row.map((c, i) => wrapCell(c, colWidths[i]! - 2)) : row);
      // Cells are wrapped here rather than by cli-table3, whose wrapping drops long words or leading spaces.
      return `${drawTable(Table, fit(tidy.head), tidy.rows.map(fit), colWidths)}\n`;
    })
    .join('');
}
