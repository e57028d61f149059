// The lines `watch` streams: one per change or session notice, as text or as JSON Lines.
import type { Change, WatchMode } from '../live/arm-watch.js';
import { anyOf, literal, obj, type Shape } from './json-shape.js';
import { dataJson, jsonText } from './json.js';

/** Something the stream reports besides changes. */
export type Notice =
  | { event: 'watching'; path: string; mode: WatchMode }
  | { event: 'disconnected'; server: string }
  | { event: 'reconnected'; server: string; session: string }
  | { event: 'expired'; session: string }
  | { event: 'resumed'; server: string; session: string }
  | { event: 'stopped'; reason: 'count' | 'timeout' | 'interrupt'; events: number };

export interface ChangeLine extends Change {
  /** Present with --data: the node's data when it was read after the event (null: no data; undefined: gone). */
  readonly data?: Buffer | null | undefined;
  readonly withData: boolean;
}

/** How many characters of data a text line shows. */
const DATA_CHARS = 60;

const MODE_TEXT: Record<WatchMode, string> = {
  persistent: 'a persistent watch',
  'persistent-recursive': 'a persistent recursive watch',
  'one-shot': 'one-shot watches, set again after each event (the server has no persistent watches)',
  'one-shot-recursive':
    'one-shot watches on every node, set again after each event (the server has no persistent watches)',
};

export const zxidHex = (z: bigint): string => `0x${z.toString(16)}`;

/** Data for a text line: JSON-escaped, cut at DATA_CHARS characters. */
export function dataSnippet(data: Buffer | null | undefined): string {
  if (data === undefined) return '(gone)';
  if (data === null) return 'null';
  const d = dataJson(data);
  const text = d.encoding === 'base64' ? `base64:${d.data}` : (d.data ?? '');
  const cut = [...text].length > DATA_CHARS ? `${[...text].slice(0, DATA_CHARS).join('')}` : null;
  return cut === null ? jsonText(text) : `${jsonText(cut).slice(0, -1)}…" (${data.length} bytes)`;
}

export function changeText(time: Date, c: ChangeLine): string {
  const data = c.withData && (c.kind === 'created' || c.kind === 'changed') ? ` ${dataSnippet(c.data)}` : '';
  return `${time.toISOString()} ${c.kind.padEnd(8)} ${c.path}${data}\n`;
}

export function changeJson(time: Date, c: ChangeLine): string {
  const doc: Record<string, unknown> = { time: time.toISOString(), event: c.kind, path: c.path };
  if (c.zxid >= 0n) doc['zxid'] = zxidHex(c.zxid);
  if (c.withData && (c.kind === 'created' || c.kind === 'changed')) {
    if (c.data === undefined) doc['gone'] = true;
    else Object.assign(doc, dataJson(c.data));
  }
  return `${jsonText(doc)}\n`;
}

/** A notice as text; `watching` and `stopped` go to stderr, the rest is part of the stream. */
export function noticeText(time: Date, n: Notice): { text: string; stderr: boolean } {
  const t = time.toISOString();
  switch (n.event) {
    case 'watching':
      return { text: `watching ${n.path} with ${MODE_TEXT[n.mode]}; Ctrl-C stops\n`, stderr: true };
    case 'stopped':
      return { text: `stopped after ${n.events} event${n.events === 1 ? '' : 's'} (${n.reason})\n`, stderr: true };
    case 'disconnected':
      return { text: `${t} disconnected from ${n.server}; reconnecting\n`, stderr: false };
    case 'reconnected':
      return { text: `${t} reconnected to ${n.server} (session ${n.session}); watching again\n`, stderr: false };
    case 'expired':
      return { text: `${t} expired  session ${n.session}; opening a new session\n`, stderr: false };
    case 'resumed':
      return {
        text: `${t} resumed  new session ${n.session} on ${n.server}; changes made meanwhile may have been missed\n`,
        stderr: false,
      };
  }
}

export const noticeJson = (time: Date, n: Notice): string => `${jsonText({ time: time.toISOString(), ...n })}\n`;

const MODE = anyOf(
  literal('persistent'),
  literal('persistent-recursive'),
  literal('one-shot'),
  literal('one-shot-recursive'),
);

/** JSON Lines: each line is one of these objects. */
export const WATCH_JSON: Shape = anyOf(
  obj({
    time: 'string',
    event: anyOf(literal('created'), literal('deleted'), literal('changed'), literal('children')),
    path: 'string',
    'zxid?': 'string',
    'data?': anyOf('string', 'null'),
    'encoding?': anyOf(literal('utf8'), literal('base64'), 'null'),
    'gone?': 'boolean',
  }),
  obj({ time: 'string', event: literal('watching'), path: 'string', mode: MODE }),
  obj({ time: 'string', event: anyOf(literal('disconnected')), server: 'string' }),
  obj({
    time: 'string',
    event: anyOf(literal('reconnected'), literal('resumed')),
    server: 'string',
    session: 'string',
  }),
  obj({ time: 'string', event: literal('expired'), session: 'string' }),
  obj({
    time: 'string',
    event: literal('stopped'),
    reason: anyOf(literal('count'), literal('timeout'), literal('interrupt')),
    events: 'integer',
  }),
);
