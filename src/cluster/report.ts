// The whole ensemble at one moment: every member of the connect string and of the ensemble config,
// probed at once, then judged (down, not serving, lagging) so `cluster` can be a health check.
import type tls from 'node:tls';
import { adminCommand } from '../zk/admin-server.js';
import { fourLetterWord } from '../zk/four-letter.js';
import { formatHostPort, type HostPort } from '../zk/host-provider.js';
import { parseMembership, probeMember, WHITELIST_LINE, type ConfigMember, type MemberProbe } from './probe.js';

export type MemberStatus = 'ok' | 'down' | 'not-serving' | 'lagging' | 'unknown';

export interface MemberReport {
  server: string;
  /** The server id (server.N) when the ensemble config was read. */
  id: number | null;
  /** Named in the connect string, found in the ensemble config, or both. */
  source: 'connect' | 'config' | 'both';
  status: MemberStatus;
  role: string | null;
  zxid: string | null;
  epoch: number | null;
  /** Transactions behind the leader (same epoch); null when not known. */
  lag: number | null;
  latencyMin: number | null;
  latencyAvg: number | null;
  latencyMax: number | null;
  outstanding: number | null;
  connections: number | null;
  znodes: number | null;
  watches: number | null;
  dataSize: number | null;
  version: string | null;
  via: string[];
  error: string | null;
  notes: string[];
}

export interface ClusterReport {
  time: string;
  leader: string | null;
  maxLag: number;
  healthy: boolean;
  members: MemberReport[];
  /** Why it is not healthy, one line each. */
  problems: string[];
  /** Things the operator should know that are not failures (membership unknown, …). */
  notes: string[];
}

export interface SurveyOptions {
  timeoutMs: number;
  /**
   * AdminServer ports in the order members are shown (the connect string's, then those found only in the
   * config); the last one serves the rest.
   */
  adminPorts: readonly number[];
  maxLag: number;
  tls?: tls.ConnectionOptions | undefined;
}

const key = (host: string, port: number): string => formatHostPort({ host, port });

/** The ensemble config as one reachable member sees it: `conf`, else the AdminServer's voting_view. */
async function membership(
  m: MemberProbe,
  o: SurveyOptions,
  adminPort: number,
): Promise<{ members: ConfigMember[] | null; note?: string }> {
  try {
    const text = await fourLetterWord(m.host, m.port, 'conf', {
      timeoutMs: o.timeoutMs,
      ...(o.tls ? { tls: o.tls } : {}),
    });
    if (!/not in the whitelist/.test(text)) return { members: parseMembership(text) };
  } catch {
    /* fall through to the AdminServer */
  }
  try {
    const r = await adminCommand(m.host, adminPort, 'voting_view', { timeoutMs: o.timeoutMs });
    const view = r.body['current_config'] as Record<string, Record<string, unknown>> | undefined;
    if (view) {
      const lines = Object.entries(view).map(
        ([id, v]) =>
          `server.${id}=${String((v['server_addresses'] as string[] | undefined)?.[0] ?? '')}:0:${String(v['learner_type'])};${String(v['client_address'])}`,
      );
      return { members: parseMembership(lines.join('\n')) };
    }
  } catch {
    /* neither answered */
  }
  return {
    members: null,
    note: `ensemble membership unknown: conf is not whitelisted on ${key(m.host, m.port)} (${WHITELIST_LINE}) and its AdminServer did not answer; only the connect string's members are shown`,
  };
}

/** Probes every member, reads the ensemble config from the first that answers, and judges the result. */
export async function surveyCluster(hosts: readonly HostPort[], o: SurveyOptions): Promise<ClusterReport> {
  const adminPort = (i: number): number => o.adminPorts[Math.min(i, o.adminPorts.length - 1)] ?? 8080;
  const probe = (h: HostPort, i: number): Promise<MemberProbe> =>
    probeMember(h.host, h.port, { timeoutMs: o.timeoutMs, adminPort: adminPort(i), tls: o.tls });
  const seen = new Map<string, { probe: MemberProbe; id: number | null; source: MemberReport['source'] }>();
  const unique = hosts.filter((h, i) => hosts.findIndex((x) => key(x.host, x.port) === key(h.host, h.port)) === i);
  const first = await Promise.all(unique.map((h, i) => probe(h, i)));
  first.forEach((p) => seen.set(key(p.host, p.port), { probe: p, id: null, source: 'connect' }));
  const notes: string[] = [];
  const answering = first.findIndex((p) => p.reachable);
  if (answering >= 0) {
    const { members, note } = await membership(first[answering]!, o, adminPort(answering));
    if (note) notes.push(note);
    const extra: ConfigMember[] = [];
    for (const c of members ?? []) {
      const known = seen.get(key(c.host, c.port));
      if (known) Object.assign(known, { id: c.id, source: 'both' });
      else extra.push(c);
    }
    const more = await Promise.all(extra.map((c, j) => probe(c, unique.length + j)));
    more.forEach((p, i) => seen.set(key(p.host, p.port), { probe: p, id: extra[i]!.id, source: 'config' }));
  }
  return assess([...seen.values()], o.maxLag, notes);
}

const EPOCH = 32n;

/** Turns probes into the report: the leader's zxid is the yardstick for lag. */
export function assess(
  found: readonly { probe: MemberProbe; id: number | null; source: MemberReport['source'] }[],
  maxLag: number,
  notes: string[] = [],
): ClusterReport {
  const leader = found.find((f) => f.probe.serving && f.probe.role === 'leader')?.probe;
  const problems: string[] = [];
  const members = found.map(({ probe: p, id, source }): MemberReport => {
    const server = key(p.host, p.port);
    let status: MemberStatus = !p.reachable ? 'down' : !p.serving ? 'not-serving' : p.role ? 'ok' : 'unknown';
    let lag: number | null = null;
    if (leader?.zxid !== undefined && p.zxid !== undefined && p.serving) {
      // A member that joined the leader's epoch has everything before it (the sync at election), so from an
      // earlier epoch it lacks at least the leader's transactions in this one (a new leader starts at 0x<e>00000000).
      const sameEpoch = p.zxid >> EPOCH === leader.zxid >> EPOCH;
      lag = Math.max(0, Number(sameEpoch ? leader.zxid - p.zxid : leader.zxid & 0xffffffffn));
      if (lag > maxLag) status = 'lagging';
    }
    if (status === 'down') problems.push(`${server} is down: ${p.error ?? 'no answer'}`);
    else if (status === 'not-serving') problems.push(`${server} is not serving requests (no quorum?)`);
    else if (status === 'lagging')
      problems.push(`${server} is ${lag} transactions behind the leader (more than --max-lag ${maxLag})`);
    else if (status === 'unknown') problems.push(`${server}: its state cannot be read (${p.notes.join('; ')})`);
    return {
      server,
      id,
      source,
      status,
      role: p.role ?? null,
      zxid: p.zxid === undefined ? null : `0x${p.zxid.toString(16)}`,
      epoch: p.zxid === undefined ? null : Number(p.zxid >> EPOCH),
      lag,
      latencyMin: p.latencyMin ?? null,
      latencyAvg: p.latencyAvg ?? null,
      latencyMax: p.latencyMax ?? null,
      outstanding: p.outstanding ?? null,
      connections: p.connections ?? null,
      znodes: p.znodes ?? null,
      watches: p.watches ?? null,
      dataSize: p.dataSize ?? null,
      version: p.version ?? null,
      via: p.via,
      error: p.error ?? null,
      notes: p.notes,
    };
  });
  const quorum = members.some((m) => m.role && m.role !== 'standalone' && m.role !== 'read-only');
  if (quorum && !leader && members.some((m) => m.status === 'ok'))
    notes.push('no leader among the members that answered: lag cannot be measured');
  return {
    time: new Date().toISOString(),
    leader: leader ? key(leader.host, leader.port) : null,
    maxLag,
    healthy: problems.length === 0,
    members,
    problems,
    notes,
  };
}
