// cons, wchc and wchp regrouped by client address: which client holds the connections or the watches.
import { flwFields } from '../output/four-letter-json.js';
import type { ClientGroup } from './results.js';

/** How many watched paths each group lists as examples. */
const SAMPLE = 3;

/** `/127.0.0.1:52344` → `127.0.0.1`; `/0:0:0:0:0:0:0:1:52344` → `0:0:0:0:0:0:0:1`. */
export function clientOf(address: string): string {
  const a = address.replace(/^\//, '');
  const i = a.lastIndexOf(':');
  return i > 0 ? a.slice(0, i) : a;
}

interface Conn {
  client: string;
  sid: string | null;
  queued: number;
  received: number;
  sent: number;
}

/** The connections `cons` lists (address, session id, counters). */
export function connections(consText: string): Conn[] {
  const list = flwFields('cons', consText)['connections'] as Record<string, unknown>[];
  return list.map((c) => ({
    client: clientOf(String(c['address'])),
    sid: typeof c['sid'] === 'string' ? c['sid'] : null,
    queued: Number(c['queued'] ?? 0),
    received: Number(c['recved'] ?? 0),
    sent: Number(c['sent'] ?? 0),
  }));
}

/**
 * Groups by client address. `watchText` is wchc or wchp's answer (null for cons alone); sessions that
 * cons did not list (closed meanwhile, or cons not allowed) are grouped under `session 0x…`.
 */
export function groupByClient(
  word: 'cons' | 'wchc' | 'wchp',
  consText: string,
  watchText: string | null,
): ClientGroup[] {
  const conns = connections(consText);
  const clientOfSession = new Map(conns.filter((c) => c.sid).map((c) => [c.sid!, c.client]));
  const groups = new Map<string, { g: Mutable<ClientGroup>; sessions: Set<string>; paths: Set<string> }>();
  const group = (client: string): { g: Mutable<ClientGroup>; sessions: Set<string>; paths: Set<string> } => {
    let e = groups.get(client);
    if (!e) {
      e = { g: { client, connections: 0, sessions: [], watches: 0 }, sessions: new Set(), paths: new Set() };
      groups.set(client, e);
    }
    return e;
  };
  for (const c of conns) {
    const e = group(c.client);
    e.g.connections++;
    if (c.sid) e.sessions.add(c.sid);
    if (word === 'cons') {
      e.g.queued = (e.g.queued ?? 0) + c.queued;
      e.g.received = (e.g.received ?? 0) + c.received;
      e.g.sent = (e.g.sent ?? 0) + c.sent;
    }
  }
  if (watchText !== null) {
    const bySession: Record<string, string[]> = {};
    if (word === 'wchc') Object.assign(bySession, flwFields('wchc', watchText)['sessions']);
    else
      for (const [path, sids] of Object.entries(flwFields('wchp', watchText)['paths'] as Record<string, string[]>))
        for (const sid of sids) (bySession[sid] ??= []).push(path);
    for (const [sid, paths] of Object.entries(bySession)) {
      const e = group(clientOfSession.get(sid) ?? `session ${sid}`);
      e.sessions.add(sid);
      e.g.watches += paths.length;
      for (const p of paths) if (e.paths.size < SAMPLE) e.paths.add(p);
    }
  }
  const out = [...groups.values()].map(({ g, sessions, paths }) => ({
    ...g,
    sessions: [...sessions].sort(),
    ...(word === 'cons' ? {} : { paths: [...paths] }),
  }));
  // The heaviest client first: that is the one being looked for.
  const weight = (g: ClientGroup): number => (word === 'cons' ? g.connections : g.watches);
  return out.sort((a, b) => weight(b) - weight(a) || a.client.localeCompare(b.client));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
