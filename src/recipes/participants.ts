// Reading a recipe's nodes and the sessions behind them: each child's stat and data (getData in multiRead
// batches), and the client address of each session from `cons` on every member of the connect string.
import type tls from 'node:tls';
import type { ZkAdapter } from '../commands/spec.js';
import { parseConnection } from '../output/four-letter-json.js';
import { hex } from '../output/zkcli.js';
import { Code, ZkError } from '../zk/errors.js';
import { fourLetterWord } from '../zk/four-letter.js';
import type { HostPort } from '../zk/host-provider.js';
import type { Stat } from '../zk/jute/records.js';
import type { Participant } from './view.js';
import { dataFetcher } from '../tree/node-data.js';

export interface NodeRead {
  name: string;
  path: string;
  data: Buffer | null;
  stat: Stat;
}

const join = (parent: string, name: string): string => (parent === '/' ? `/${name}` : `${parent}/${name}`);

/** Every child of `path` with its data and stat; children deleted while reading are left out. */
export async function readChildren(zk: ZkAdapter, path: string): Promise<NodeRead[]> {
  const names = await zk.getChildren(path);
  // In multiRead batches: one getData per child put 130,000 requests in flight at once for a large service.
  const f = dataFetcher(zk, 'data');
  const paths = names.map((name) => join(path, name));
  const reads = paths.map((p) => f.get(p));
  f.flush();
  const out: NodeRead[] = [];
  const got = await Promise.all(reads);
  for (let i = 0; i < names.length; i++) {
    const r = got[i]!;
    if (r instanceof ZkError) {
      if (r.code === Code.NONODE) continue;
      throw r;
    }
    out.push({ name: names[i]!, path: paths[i]!, data: r.data ?? null, stat: r.stat });
  }
  return out;
}

/** Which sessions are connected, and from where, as far as `cons` on the servers can tell. */
export interface SessionDirectory {
  clients: Map<string, string>;
  /** Every server answered `cons`: a session missing from it has no connection anywhere. */
  complete: boolean;
  notes: string[];
}

const sid = (v: string | bigint): string => hex(typeof v === 'bigint' ? v : BigInt(v));

export async function sessionDirectory(
  hosts: readonly HostPort[],
  o: { tls?: tls.ConnectionOptions | undefined; timeoutMs?: number },
): Promise<SessionDirectory> {
  const clients = new Map<string, string>();
  const notes: string[] = [];
  let complete = true;
  await Promise.all(
    hosts.map(async (h) => {
      const at = `${h.host}:${h.port}`;
      let text: string;
      try {
        text = await fourLetterWord(h.host, h.port, 'cons', {
          timeoutMs: o.timeoutMs ?? 3000,
          ...(o.tls ? { tls: o.tls } : {}),
        });
      } catch (e) {
        complete = false;
        notes.push(`cons on ${at} failed (${(e as Error).message}): its clients are not shown`);
        return;
      }
      if (/not in the whitelist|not currently serving/.test(text)) {
        complete = false;
        notes.push(
          /whitelist/.test(text)
            ? `cons is not whitelisted on ${at}; enable it with 4lw.commands.whitelist=srvr,mntr,conf,cons (zoo.cfg) to see client addresses`
            : `${at} is not serving: its clients are not shown`,
        );
        return;
      }
      for (const line of text.split('\n')) {
        const c = parseConnection(line);
        if (c && typeof c['sid'] === 'string' && /^0x[0-9a-f]+$/i.test(c['sid']))
          clients.set(sid(c['sid']), String(c['address']).replace(/^\//, ''));
      }
    }),
  );
  return { clients, complete, notes };
}

/** Data as short printable text (node data is often an IP or an id; binary is shown as base64). */
export function shortData(data: Buffer | null, max = 60): string | null {
  if (data === null || data.length === 0) return null;
  const text = data.toString('utf8');
  const shown = Buffer.from(text, 'utf8').equals(data) ? text : `base64:${data.toString('base64')}`;
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** A participant from its node, before the recipe gives it a role. */
export function participant(n: NodeRead, sessions: SessionDirectory, now: number): Participant {
  const owner = n.stat.ephemeralOwner;
  const session = owner === 0n ? null : sid(owner);
  const client = session ? (sessions.clients.get(session) ?? null) : null;
  let orphan: string | null = null;
  if (session === null) orphan = 'persistent node: no session will remove it';
  else if (sessions.complete && client === null)
    orphan =
      'its session has no connection to any server (the client is gone; the node stays until the session expires)';
  const ctime = Number(n.stat.ctime);
  const seq = /(\d{10})$/.exec(n.name);
  return {
    name: n.name,
    path: n.path,
    sequence: seq ? Number(seq[1]) : null,
    role: '',
    position: null,
    session,
    created: new Date(ctime).toISOString(),
    ageSeconds: Math.max(0, Math.round((now - ctime) / 1000)),
    client,
    data: shortData(n.data),
    orphan,
  };
}
