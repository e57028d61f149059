// txnlog's output: one line per transaction (text), JSON Lines, or one table once the log is read.
import type { CommandResult } from '../commands/spec.js';
import type { TxnEntry } from '../offline/txn-view.js';
import { permsToString } from '../zk/acl.js';
import type { Sink } from './format.js';
import { dataJson, jsonText } from './json.js';
import { tablesText } from './table.js';

export type TxnsResult = Extract<CommandResult, { type: 'txns' }>;

const hex = (v: bigint): string => `0x${(v < 0n ? v + (1n << 64n) : v).toString(16)}`;
const iso = (ms: bigint): string => {
  const d = new Date(Number(ms));
  return Number.isFinite(d.getTime()) ? d.toISOString() : String(ms);
};
const aclText = (acl: TxnEntry['acl']): string =>
  (acl ?? []).map((a) => `${a.id.scheme}:${a.id.id}:${permsToString(a.perms)}`).join(',');

/** Characters with JSON-style escapes, and each byte that is not UTF-8 as \xNN: two binary values never print alike. */
function escaped(data: Buffer): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const ch = n > 0 ? data.subarray(i, i + n).toString('utf8') : '';
    // A valid sequence decodes to one character (two UTF-16 units above U+FFFF) that encodes back to itself.
    if (n > 0 && i + n <= data.length && Buffer.from(ch, 'utf8').equals(data.subarray(i, i + n))) {
      out.push(JSON.stringify(ch).slice(1, -1));
      i += n;
    } else {
      out.push(`\\x${b.toString(16).padStart(2, '0')}`);
      i += 1;
    }
  }
  return out;
}

/** Data as a quoted, escaped string; cut to 60 characters (an escape is never split) unless `full`. */
function dataShown(data: Buffer | null | undefined, full: boolean): string {
  if (data === null || data === undefined) return 'null';
  const s = escaped(data);
  const cut = !full && s.length > 60;
  return `"${(cut ? s.slice(0, 60) : s).join('')}"` + (cut ? `…(${data.length} bytes)` : '');
}

/** What follows the path on a text line. */
function details(e: TxnEntry, full: boolean): string[] {
  const out: string[] = [];
  if (e.mode && e.mode !== 'persistent') out.push(e.mode);
  if (e.ttl !== undefined) out.push(`ttl=${e.ttl}`);
  if (e.data !== undefined) out.push(`data=${dataShown(e.data, full)}`);
  if (e.version !== undefined) out.push(`version=${e.version}`);
  if (e.acl !== undefined) out.push(`acl=${aclText(e.acl)}`);
  if (e.timeout !== undefined) out.push(`timeout=${e.timeout}`);
  if (e.deleted !== undefined) out.push(`deleted=[${e.deleted.join(', ')}]`);
  if (e.err !== undefined) out.push(`err=${e.err}`);
  return out;
}

export function txnLine(e: TxnEntry, full: boolean): string {
  const type = e.multi ? `multi:${e.type}` : e.type;
  return [iso(e.time), hex(e.zxid), hex(e.session), type, e.path ?? '-', ...details(e, full)].join(' ');
}

export function txnJson(e: TxnEntry): Record<string, unknown> {
  return {
    time: iso(e.time),
    zxid: hex(e.zxid),
    session: hex(e.session),
    cxid: e.cxid,
    type: e.type,
    ...(e.multi ? { multi: true } : {}),
    ...(e.path !== undefined ? { path: e.path } : {}),
    ...(e.mode !== undefined ? { mode: e.mode } : {}),
    ...(e.ttl !== undefined ? { ttl: Number(e.ttl) } : {}),
    ...(e.data !== undefined ? dataJson(e.data) : {}),
    ...(e.version !== undefined ? { version: e.version } : {}),
    ...(e.acl !== undefined
      ? { acl: e.acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: permsToString(a.perms) })) }
      : {}),
    ...(e.timeout !== undefined ? { timeout: e.timeout } : {}),
    ...(e.deleted !== undefined ? { deleted: e.deleted } : {}),
    ...(e.err !== undefined ? { err: e.err } : {}),
  };
}

/** Streams the lines (text, JSON Lines); a table waits for the end of the log. Notes go to stderr. */
export async function renderTxns(
  r: TxnsResult,
  sink: Sink,
  format: 'zkcli' | 'json' | 'table',
  width: number | undefined,
): Promise<void> {
  const note = (t: string): void => (sink.note ? sink.note(t) : sink.err(t));
  const rows: string[][] = [];
  for await (const item of r.entries) {
    if ('note' in item) note(`${item.note}\n`);
    else if (format === 'json') sink.out(`${jsonText(txnJson(item))}\n`);
    else if (format === 'table') {
      const t = item.multi ? `multi:${item.type}` : item.type;
      rows.push([
        iso(item.time),
        hex(item.zxid),
        hex(item.session),
        t,
        item.path ?? '-',
        details(item, r.fullData).join(' '),
      ]);
    } else sink.out(`${txnLine(item, r.fullData)}\n`);
  }
  if (format === 'table' && rows.length > 0)
    sink.out(await tablesText([{ head: ['time', 'zxid', 'session', 'type', 'path', 'details'], rows }], width));
}
