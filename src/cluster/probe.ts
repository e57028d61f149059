// One ensemble member's state, from `srvr` and `mntr`, or from the AdminServer when a word is not
// whitelisted on that member. Every failure becomes data (down, not serving, a note); nothing throws.
import type tls from 'node:tls';
import { adminCommand } from '../zk/admin-server.js';
import { fourLetterWord, parseKeyValues, parseMntr } from '../zk/four-letter.js';

/** What `cluster` needs of the words; named in the config line it suggests. */
export const CLUSTER_WORDS = ['srvr', 'mntr', 'conf'] as const;
export const WHITELIST_LINE = `4lw.commands.whitelist=${CLUSTER_WORDS.join(',')}`;

export interface MemberProbe {
  host: string;
  port: number;
  /** Answered on its client port at all. */
  reachable: boolean;
  /** Answered and serves requests (in a quorum, or standalone). */
  serving: boolean;
  error?: string | undefined;
  /** leader, follower, observer, standalone, read-only. */
  role?: string | undefined;
  zxid?: bigint | undefined;
  latencyMin?: number | undefined;
  latencyAvg?: number | undefined;
  latencyMax?: number | undefined;
  outstanding?: number | undefined;
  connections?: number | undefined;
  znodes?: number | undefined;
  watches?: number | undefined;
  dataSize?: number | undefined;
  version?: string | undefined;
  /** Where the numbers came from: srvr, mntr, admin:PORT/server_stats, … */
  via: string[];
  notes: string[];
}

export interface ProbeOptions {
  timeoutMs: number;
  /** The member's AdminServer port, tried when a word is not whitelisted. */
  adminPort: number;
  tls?: tls.ConnectionOptions | undefined;
}

const REFUSED = /is not executed because it is not in the whitelist/;
const NOT_SERVING = /not currently serving requests/;

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** The version without the build stamp: "3.8.0-abc, built on …" → "3.8.0". */
const shortVersion = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? (/^([\w.]+)/.exec(v.trim())?.[1] ?? v.trim()) : undefined;

type Word = 'refused' | 'not-serving' | { text: string };

async function word(m: MemberProbe, w: string, o: ProbeOptions): Promise<Word> {
  const text = await fourLetterWord(m.host, m.port, w, {
    timeoutMs: o.timeoutMs,
    ...(o.tls ? { tls: o.tls } : {}),
  });
  if (REFUSED.test(text)) return 'refused';
  if (NOT_SERVING.test(text)) return 'not-serving';
  return { text };
}

function fromSrvr(m: MemberProbe, text: string): void {
  const kv = parseKeyValues(text);
  m.role = kv['Mode'];
  if (kv['Zxid'] && /^0x[0-9a-f]+$/i.test(kv['Zxid'])) m.zxid = BigInt(kv['Zxid']);
  const lat = (kv['Latency min/avg/max'] ?? '').split('/').map((x) => num(x));
  [m.latencyMin, m.latencyAvg, m.latencyMax] = [lat[0], lat[1], lat[2]];
  m.outstanding = num(kv['Outstanding']);
  m.connections = num(kv['Connections']);
  m.znodes = num(kv['Node count']);
  m.version = shortVersion(kv['Zookeeper version']);
  m.via.push('srvr');
}

function fromMntr(m: MemberProbe, values: Record<string, unknown>, via: string): void {
  m.watches = num(values['zk_watch_count'] ?? values['watch_count']);
  m.dataSize = num(values['zk_approximate_data_size'] ?? values['approximate_data_size']);
  // srvr's numbers win when both answered; mntr fills what srvr lacked.
  m.role ??= (values['zk_server_state'] ?? values['server_state']) as string | undefined;
  m.znodes ??= num(values['zk_znode_count'] ?? values['znode_count']);
  m.outstanding ??= num(values['zk_outstanding_requests'] ?? values['outstanding_requests']);
  m.connections ??= num(values['zk_num_alive_connections'] ?? values['num_alive_connections']);
  m.latencyMin ??= num(values['zk_min_latency'] ?? values['min_latency']);
  m.latencyAvg ??= num(values['zk_avg_latency'] ?? values['avg_latency']);
  m.latencyMax ??= num(values['zk_max_latency'] ?? values['max_latency']);
  m.version ??= shortVersion(values['zk_version'] ?? values['version']);
  m.via.push(via);
}

/** An AdminServer command's answer, or null when it did not answer or answered with an error. */
async function admin(m: MemberProbe, cmd: string, o: ProbeOptions): Promise<Record<string, unknown> | null> {
  try {
    const r = await adminCommand(m.host, o.adminPort, cmd, { timeoutMs: o.timeoutMs });
    const err = r.body['error'];
    if (r.status >= 400 || (typeof err === 'string' && err)) {
      if (typeof err === 'string' && NOT_SERVING.test(err)) m.serving = false;
      return null;
    }
    return r.body;
  } catch {
    return null;
  }
}

const refusedNote = (m: MemberProbe, w: string): string =>
  `${w} is not whitelisted on ${m.host}:${m.port}; enable it with ${WHITELIST_LINE} (zoo.cfg)`;

/** Asks one member what it is; `srvr` first (its answer says down / not serving / its role). */
export async function probeMember(host: string, port: number, o: ProbeOptions): Promise<MemberProbe> {
  const m: MemberProbe = { host, port, reachable: false, serving: false, via: [], notes: [] };
  let srvr: Word;
  try {
    srvr = await word(m, 'srvr', o);
  } catch (e) {
    m.error = (e as Error).message;
    return m;
  }
  m.reachable = true;
  if (srvr === 'not-serving') {
    m.error = 'not currently serving requests';
    return m;
  }
  m.serving = true;
  if (srvr === 'refused') m.notes.push(refusedNote(m, 'srvr'));
  else fromSrvr(m, srvr.text);
  let mntr: Word | null = null;
  try {
    mntr = await word(m, 'mntr', o);
  } catch {
    /* went away between words: srvr's answer stands */
  }
  if (mntr === 'refused') m.notes.push(refusedNote(m, 'mntr'));
  else if (mntr !== null && mntr !== 'not-serving') fromMntr(m, parseMntr(mntr.text), 'mntr');
  if (srvr !== 'refused' && mntr !== 'refused') return m;

  const where = `AdminServer ${m.host}:${o.adminPort}`;
  if (srvr === 'refused') {
    const stats = await admin(m, 'server_stats', o);
    const s = stats?.['server_stats'] as Record<string, unknown> | undefined;
    if (stats && s) {
      m.role = s['server_state'] as string | undefined;
      const z = num(s['last_processed_zxid']);
      if (z !== undefined) m.zxid = BigInt(z);
      m.latencyMin = num(s['min_latency']);
      m.latencyAvg = num(s['avg_latency']);
      m.latencyMax = num(s['max_latency']);
      m.outstanding = num(s['outstanding_requests']);
      m.connections = num(s['num_alive_client_connections']);
      m.znodes = num(stats['node_count']);
      m.version = shortVersion(stats['version']);
      if (stats['read_only'] === true) m.role = 'read-only';
      m.via.push(`admin:${o.adminPort}/server_stats`);
    }
    if (!m.serving) {
      m.error = 'not currently serving requests';
      return m;
    }
  }
  if (mntr === 'refused' || srvr === 'refused') {
    const mon = await admin(m, 'monitor', o);
    if (mon) fromMntr(m, mon, `admin:${o.adminPort}/monitor`);
  }
  m.notes.push(
    m.via.some((v) => v.startsWith('admin:'))
      ? `used the ${where} instead`
      : `the ${where} did not answer either (give its port with --admin-port)`,
  );
  return m;
}

/** A member of the ensemble config: `server.N=host:p:e[:role];clientHost:clientPort`. */
export interface ConfigMember {
  id: number;
  host: string;
  port: number;
  role: 'participant' | 'observer';
}

/** The members in `conf`'s membership section (or a dynamic config file's text). */
export function parseMembership(text: string): ConfigMember[] {
  const out: ConfigMember[] = [];
  for (const line of text.split('\n')) {
    const m = /^server\.(\d+)=([^;\s]+)(?:;(\S+))?/.exec(line.trim());
    if (!m || !m[3]) continue;
    const quorum = m[2]!;
    const client = m[3];
    const ci = client.lastIndexOf(':');
    const port = Number(client.slice(ci + 1));
    let host = ci > 0 ? client.slice(0, ci).replace(/^\[|\]$/g, '') : '';
    // A client port bound to every interface is reached on the quorum address's host.
    if (!host || host === '0.0.0.0' || host === '::') host = quorum.replace(/^\[([^\]]+)\].*$/, '$1').split(':')[0]!;
    if (!Number.isInteger(port) || port <= 0) continue;
    out.push({ id: Number(m[1]), host, port, role: /:observer\b/.test(quorum) ? 'observer' : 'participant' });
  }
  return out;
}
