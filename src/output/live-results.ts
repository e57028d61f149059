// Text, JSON and tables for txn, session and the per-client four-letter views.
import type { CommandResult } from '../commands/spec.js';
import type { ClientGroup, SessionInfo, TxnOutcome } from '../live/results.js';
import { anyOf, arrayOf, literal, obj, type Shape } from './json-shape.js';

export type LiveResult = Extract<CommandResult, { type: 'txn' | 'session' | 'clients' }>;

const pad = (rows: readonly (readonly string[])[]): string[] => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd(),
  );
};

export function txnOutcomeText(o: TxnOutcome): string {
  switch (o.type) {
    case 'create':
      return `created ${o.created ?? o.path}`;
    case 'setData':
      return `version ${o.version}`;
    case 'delete':
      return 'deleted';
    case 'check':
      return 'ok';
  }
}

/** `  1  create /a x    created /a`: the line number, the line, and its outcome. */
export const txnRows = (rows: readonly { line: number; text: string; outcome: string }[]): string[] =>
  pad(rows.map((r) => [`  ${r.line}`, r.text, r.outcome]));

const sessionPairs = (s: SessionInfo): [string, string][] => [
  ['session id', s.sessionId],
  ['state', s.state],
  ['server', s.server ?? '(none)'],
  ['read-only', s.readOnly ? 'yes' : 'no'],
  ['timeout', `${s.negotiatedTimeout} ms negotiated (${s.requestedTimeout} ms asked for)`],
  ['last zxid', s.lastZxid],
  [
    `auth (${s.identitiesFrom === 'server' ? 'whoami' : 'added by this session'})`,
    s.identities.map((i) => `${i.scheme}:${i.user}`).join(', ') || '(none)',
  ],
  [
    'watches',
    Object.entries(s.watches)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
  ],
];

const clientHead = (word: string): string[] =>
  word === 'cons'
    ? ['client', 'connections', 'sessions', 'queued', 'received', 'sent']
    : ['client', 'connections', 'sessions', 'watches', 'paths (some)'];
const clientRow = (word: string, g: ClientGroup): string[] =>
  word === 'cons'
    ? [g.client, `${g.connections}`, `${g.sessions.length}`, `${g.queued ?? 0}`, `${g.received ?? 0}`, `${g.sent ?? 0}`]
    : [g.client, `${g.connections}`, `${g.sessions.length}`, `${g.watches}`, (g.paths ?? []).join(' ')];

export function liveText(r: LiveResult): string[] {
  switch (r.type) {
    case 'txn':
      return [`committed (${r.ops.length} operation${r.ops.length === 1 ? '' : 's'}):`, ...txnRows(rowsOf(r.ops))];
    case 'session':
      return pad(sessionPairs(r.info).map(([k, v]) => [`${k}:`, v]));
    case 'clients':
      return pad([clientHead(r.word), ...r.groups.map((g) => clientRow(r.word, g))]);
  }
}

const rowsOf = (ops: readonly TxnOutcome[]): { line: number; text: string; outcome: string }[] =>
  ops.map((o) => ({ line: o.line, text: o.text, outcome: txnOutcomeText(o) }));

export function liveJson(r: LiveResult): unknown {
  switch (r.type) {
    case 'txn':
      return { committed: true, ops: r.ops };
    case 'session':
      return r.info;
    case 'clients':
      return { word: r.word, server: r.server, clients: r.groups };
  }
}

export function liveTables(r: LiveResult): { head: string[]; rows: string[][] }[] {
  switch (r.type) {
    case 'txn':
      return [
        { head: ['line', 'operation', 'result'], rows: rowsOf(r.ops).map((o) => [`${o.line}`, o.text, o.outcome]) },
      ];
    case 'session':
      return [{ head: ['key', 'value'], rows: sessionPairs(r.info) }];
    case 'clients':
      return [{ head: clientHead(r.word), rows: r.groups.map((g) => clientRow(r.word, g)) }];
  }
}

export const TXN_JSON: Shape = obj({
  committed: literal(true),
  ops: arrayOf(
    obj({
      line: 'integer',
      text: 'string',
      type: anyOf(literal('create'), literal('delete'), literal('setData'), literal('check')),
      path: 'string',
      'created?': 'string',
      'version?': 'integer',
    }),
  ),
});

const COUNT = 'integer';
export const SESSION_JSON: Shape = obj({
  sessionId: 'string',
  state: 'string',
  server: anyOf('string', 'null'),
  readOnly: 'boolean',
  requestedTimeout: 'integer',
  negotiatedTimeout: 'integer',
  lastZxid: 'string',
  identities: arrayOf(obj({ scheme: 'string', user: 'string' })),
  identitiesFrom: anyOf(literal('server'), literal('client')),
  watches: obj({ data: COUNT, exist: COUNT, child: COUNT, persistent: COUNT, persistentRecursive: COUNT }),
});

export const CLIENTS_JSON: Shape = obj({
  word: anyOf(literal('cons'), literal('wchc'), literal('wchp')),
  server: 'string',
  clients: arrayOf(
    obj({
      client: 'string',
      connections: COUNT,
      sessions: arrayOf('string'),
      watches: COUNT,
      'queued?': COUNT,
      'received?': COUNT,
      'sent?': COUNT,
      'paths?': arrayOf('string'),
    }),
  ),
});
