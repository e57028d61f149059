// The three inspectors: read the recipe's nodes, the sessions behind them, and say who holds, leads or
// is registered. Read-only.
import type tls from 'node:tls';
import type { ZkAdapter } from '../commands/spec.js';
import type { HostPort } from '../zk/host-provider.js';
import { electionLayout, electionRoles, lockLayout, lockRoles } from './layout.js';
import { participant, readChildren, sessionDirectory, type NodeRead } from './participants.js';
import type { Participant, RecipeView, ServiceInstance } from './view.js';

export interface InspectOptions {
  hosts: readonly HostPort[];
  tls?: tls.ConnectionOptions | undefined;
}

async function participants(nodes: NodeRead[], o: InspectOptions): Promise<{ ps: Participant[]; notes: string[] }> {
  if (nodes.length === 0) return { ps: [], notes: [] };
  const sessions = await sessionDirectory(o.hosts, { tls: o.tls });
  const now = Date.now();
  const ps = nodes.map((n) => participant(n, sessions, now));
  return { ps, notes: sessions.notes };
}

const orphanNotes = (ps: readonly Participant[]): string[] =>
  ps.filter((p) => p.orphan).map((p) => `orphaned: ${p.name}: ${p.orphan}`);

const noSequence = (path: string, what: string): string =>
  `no child has a sequence number: ${path} does not look like a ${what} node`;

export async function inspectLock(zk: ZkAdapter, path: string, o: InspectOptions): Promise<RecipeView> {
  let nodes = await readChildren(zk, path);
  const leases = nodes.some((n) => n.name === 'leases' && n.stat.ephemeralOwner === 0n);
  const base = leases ? `${path === '/' ? '' : path}/leases` : path;
  if (leases) nodes = await readChildren(zk, base);
  const { ps, notes } = await participants(nodes, o);
  const layout = lockLayout(ps, leases);
  const { ordered, holders } = lockRoles(ps, layout);
  if (layout === 'curator-semaphore')
    notes.push(`semaphore leases under ${base}: each is held (the lease limit is the clients' setting, not stored)`);
  if (layout === 'not-a-lock') notes.push(noSequence(path, 'lock'));
  else if (ordered.length === 0) notes.push('no contenders: the lock is free');
  return { recipe: 'lock', path, layout, holders, participants: ordered, notes: [...notes, ...orphanNotes(ordered)] };
}

export async function inspectElection(zk: ZkAdapter, path: string, o: InspectOptions): Promise<RecipeView> {
  const { ps, notes } = await participants(await readChildren(zk, path), o);
  const layout = electionLayout(ps);
  const { ordered, holders } = electionRoles(ps);
  if (layout === 'not-an-election') notes.push(noSequence(path, 'election'));
  else if (ordered.length === 0) notes.push('no candidates: nobody leads');
  return {
    recipe: 'election',
    path,
    layout,
    holders,
    participants: ordered,
    notes: [...notes, ...orphanNotes(ordered)],
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

/** Curator's ServiceInstance JSON, or null when the data is not such a document. */
export function serviceInstance(data: Buffer | null): ServiceInstance | null {
  if (!data || data.length === 0) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(data.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const d = doc as Record<string, unknown>;
  if (!('address' in d) && !('port' in d) && !('registrationTimeUTC' in d)) return null;
  const reg = int(d['registrationTimeUTC']);
  return {
    service: str(d['name']),
    id: str(d['id']),
    address: str(d['address']),
    port: int(d['port']),
    sslPort: int(d['sslPort']),
    registered: reg === null ? null : new Date(reg).toISOString(),
    serviceType: str(d['serviceType']),
    enabled: typeof d['enabled'] === 'boolean' ? d['enabled'] : null,
  };
}

/**
 * Instances under PATH: a service node's children, or, when PATH holds services (Curator's base path),
 * every service's children. Persistent instances are orphans only when they claim to be DYNAMIC
 * (Curator registers PERMANENT and STATIC instances as persistent nodes on purpose).
 */
export async function inspectMembers(zk: ZkAdapter, path: string, o: InspectOptions): Promise<RecipeView> {
  const top = await readChildren(zk, path);
  const groups = top.filter((n) => n.stat.ephemeralOwner === 0n && n.stat.numChildren > 0 && !serviceInstance(n.data));
  const grouped = new Set(groups);
  const nodes = top.filter((n) => !grouped.has(n));
  // A loop, not push(...children): a service with ~120,000+ instances would throw RangeError.
  for (const g of groups) for (const n of await readChildren(zk, g.path)) nodes.push(n);
  const { ps, notes } = await participants(nodes, o);
  // By path, not nodes.find per participant: that was quadratic (130,000 instances took 3 minutes).
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  let curator = 0;
  for (const p of ps) {
    const n = byPath.get(p.path)!;
    const inst = serviceInstance(n.data);
    p.role = 'instance';
    if (inst) {
      curator++;
      p.instance = inst;
      p.data = null;
      if (p.session === null && inst.serviceType !== 'DYNAMIC') p.orphan = null;
    } else if (p.session === null) p.orphan = null;
  }
  ps.sort((a, b) => a.path.localeCompare(b.path));
  if (ps.length === 0) notes.push('no instances registered');
  return {
    recipe: 'members',
    path,
    layout: curator > 0 ? 'curator-discovery' : ps.length ? 'server-list' : 'empty',
    holders: [],
    participants: ps,
    notes: [...notes, ...orphanNotes(ps)],
  };
}
