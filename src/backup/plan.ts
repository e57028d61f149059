// Before anything is written: which records create nodes, which meet an existing node that is the same
// (left alone) and which meet one that differs (a conflict: refused by default, kept or overwritten).
import type { ZkAdapter } from '../commands/spec.js';
import { InFlight } from '../tree/in-flight.js';
import { dataFetcher, type DataReader } from '../tree/node-data.js';
import { walkTree } from '../tree/walk.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import { differences, type Field } from './compare.js';
import { absolutePath, relativePath, type NodeRecord } from './format.js';

export type ConflictMode = 'refuse' | 'skip' | 'overwrite';

export interface ImportOptions {
  destRoot: string;
  /** Restore the recorded ACLs (false: world:anyone:cdrwa, as --no-acl). */
  acl: boolean;
  /** Recreate ephemerals as persistent nodes (else they are skipped). */
  ephemerals: boolean;
  mode: ConflictMode;
}

export interface Conflict {
  path: string;
  fields: (Field | 'unreadable')[];
}

export interface Plan {
  records: number;
  create: number;
  unchanged: number;
  conflicts: number;
  /** The first conflicts, for the message. */
  examples: Conflict[];
  /** Relative paths of existing nodes that differ. */
  differing: Set<string>;
  ephemeral: number;
  sequential: number;
}

/** Relative paths of the nodes that exist under destRoot (empty when it does not exist). */
export async function scanDest(
  zk: Pick<ZkAdapter, 'getChildren'>,
  destRoot: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const set = new Set<string>();
  try {
    for await (const v of walkTree(zk, destRoot, signal ? { signal } : {})) set.add(relativePath(destRoot, v.path));
  } catch (e) {
    if (e instanceof ZkError && e.code === Code.NONODE) return set;
    throw e;
  }
  return set;
}

type Reads = Pick<ZkAdapter, 'getData' | 'getACL' | 'exists'> & Pick<DataReader, 'multiRead'>;

/**
 * Reads existing destination nodes to compare. The destination may hold the whole tree (a resumed import): data
 * goes in multiRead batches; getACL has no multi form and stays one request per node.
 */
function destReader(zk: Reads): (path: string, acl: boolean) => Promise<NodeRecord | ZkError> {
  const data = dataFetcher(zk, 'data');
  return async (path, acl) => {
    try {
      const [d, a] = await Promise.all([
        data.get(path),
        acl ? zk.getACL(path) : Promise.resolve(null as { acl: ACL[]; stat: Stat } | null),
      ]);
      if (d instanceof ZkError) return d;
      const r: NodeRecord = {
        path: '',
        data: d.data ?? null,
        kind: d.stat.ephemeralOwner !== 0n ? 'ephemeral' : 'persistent',
      };
      if (a) r.acl = a.acl;
      return r;
    } catch (e) {
      if (e instanceof ZkError && !isSessionError(e)) return e;
      throw e;
    }
  };
}

export async function planImport(
  zk: Reads,
  records: AsyncIterable<NodeRecord>,
  existing: Set<string>,
  o: ImportOptions,
): Promise<Plan> {
  const plan: Plan = {
    records: 0,
    create: 0,
    unchanged: 0,
    conflicts: 0,
    examples: [],
    differing: new Set(),
    ephemeral: 0,
    sequential: 0,
  };
  const running = new InFlight(1000);
  const readDest = destReader(zk);
  let failure: unknown = null;
  const check = (rec: NodeRecord): void => {
    const path = absolutePath(o.destRoot, rec.path);
    const p = readDest(path, o.acl && !!rec.acl)
      .then((cur) => {
        const fields: Conflict['fields'] =
          cur instanceof ZkError ? ['unreadable'] : differences(rec, cur, { acl: o.acl, kind: false });
        if (fields.length === 0) {
          plan.unchanged++;
          return;
        }
        plan.conflicts++;
        plan.differing.add(rec.path);
        if (plan.examples.length < 10) plan.examples.push({ path, fields });
      })
      .catch((e: unknown) => {
        failure ??= e;
      });
    running.add(p);
  };
  for await (const rec of records) {
    if (failure) break;
    plan.records++;
    if (rec.kind === 'ephemeral' && !o.ephemerals) {
      plan.ephemeral++;
      continue;
    }
    if (rec.sequential) plan.sequential++;
    if (existing.has(rec.path)) check(rec);
    else plan.create++;
    await running.room();
  }
  await running.idle();
  if (failure) throw failure as Error;
  plan.examples.sort((a, b) => (a.path < b.path ? -1 : 1));
  return plan;
}
