// The recipes' naming, and who holds or leads given the order of the sequence numbers. Curator sorts
// contenders by the sequence after the lock name (StandardLockInternalsDriver), not by the whole name
// (the `_c_<uuid>-` protection prefix would scramble the order), and so does this.
import type { Participant } from './view.js';

/** Curator's protected-mode prefix: `_c_` + a UUID + `-`. */
const PROTECTED = /^_c_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/i;

/** The lock name inside a participant's node name: lock-, latch-, __READ__, __WRIT__, lease-, n_ … */
export function lockName(name: string): string {
  const rest = name.replace(PROTECTED, '');
  return rest.replace(/\d{10}$/, '');
}

export const isProtected = (name: string): boolean => PROTECTED.test(name);

const bySequence = (a: Participant, b: Participant): number =>
  (a.sequence ?? Number.MAX_SAFE_INTEGER) - (b.sequence ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name);

/** A child without a sequence number waits for nothing and blocks nobody, so it is no orphan either. */
function notContending(p: Participant, role: string): Participant {
  p.role = role;
  p.orphan = null;
  return p;
}

/** Names the layout from the participants' names. */
export function lockLayout(ps: readonly Participant[], hasLeases: boolean): string {
  if (hasLeases) return 'curator-semaphore';
  const names = ps.map((p) => lockName(p.name));
  const curator = ps.some((p) => isProtected(p.name));
  if (names.some((n) => n === '__READ__' || n === '__WRIT__')) return 'curator-read-write-lock';
  if (curator) return 'curator-mutex';
  if (ps.length === 0) return 'empty';
  return ps.some((p) => p.sequence !== null) ? 'plain-lock' : 'not-a-lock';
}

/**
 * Orders the contenders and gives each its role: a mutex is held by the lowest sequence; a read-write
 * lock by the first writer when it is first, else by every reader ahead of the first writer; semaphore
 * leases are all held (the lease limit is not kept in ZooKeeper).
 */
export function lockRoles(ps: Participant[], layout: string): { ordered: Participant[]; holders: string[] } {
  const ordered = ps.filter((p) => p.sequence !== null).sort(bySequence);
  const stray = ps.filter((p) => p.sequence === null);
  if (layout === 'curator-semaphore') {
    ordered.forEach((p, i) => Object.assign(p, { role: 'lease', position: i }));
    return {
      ordered: [...ordered, ...stray.map((p) => notContending({ ...p }, 'not a lease'))],
      holders: ordered.map((p) => p.name),
    };
  }
  const holders: string[] = [];
  if (layout === 'curator-read-write-lock') {
    const firstWriter = ordered.findIndex((p) => lockName(p.name) === '__WRIT__');
    ordered.forEach((p, i) => {
      const writer = lockName(p.name) === '__WRIT__';
      const holds = writer ? i === 0 : firstWriter < 0 || i < firstWriter;
      p.role = `${holds ? 'holder' : 'waiting'} (${writer ? 'write' : 'read'})`;
      p.position = i;
      if (holds) holders.push(p.name);
    });
  } else {
    ordered.forEach((p, i) => {
      p.role = i === 0 ? 'holder' : 'waiting';
      p.position = i;
    });
    if (ordered[0]) holders.push(ordered[0].name);
  }
  for (const p of stray) notContending(p, 'not a contender (no sequence number)');
  return { ordered: [...ordered, ...stray], holders };
}

/** Leader latch (`latch-`), leader selector (a mutex: `lock-`), or ZooKeeper's own election recipe (`n_`). */
export function electionLayout(ps: readonly Participant[]): string {
  const names = new Set(ps.map((p) => lockName(p.name)));
  const curator = ps.some((p) => isProtected(p.name));
  if (names.has('latch-')) return 'curator-leader-latch';
  if (names.has('lock-') && curator) return 'curator-leader-selector';
  if (ps.length === 0) return 'empty';
  return ps.some((p) => p.sequence !== null) ? 'plain-election' : 'not-an-election';
}

export function electionRoles(ps: Participant[]): { ordered: Participant[]; holders: string[] } {
  const ordered = ps.filter((p) => p.sequence !== null).sort(bySequence);
  const stray = ps.filter((p) => p.sequence === null);
  ordered.forEach((p, i) => {
    p.role = i === 0 ? 'leader' : 'candidate';
    p.position = i;
  });
  for (const p of stray) notContending(p, 'not a candidate (no sequence number)');
  return { ordered: [...ordered, ...stray], holders: ordered[0] ? [ordered[0].name] : [] };
}
