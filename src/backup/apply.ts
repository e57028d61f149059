// Writes records under destRoot: parents before children, creates (and --overwrite's setData) in multi
// batches sized well under jute.maxbuffer, several batches in flight (one session's requests are applied in
// order, so a batch may hold children of the batch before). A failure stops sending and is reported exactly.
import type { ZkAdapter } from '../commands/spec.js';
import type { MultiOp } from '../zk/client.js';
import { InFlight } from '../tree/in-flight.js';
import { Code, isSessionError, ZkError } from '../zk/errors.js';
import type { ACL } from '../zk/jute/records.js';
import { multiSafeAcl } from '../zk/acl.js';
import { CreateMode, OPEN_ACL_UNSAFE } from '../zk/protocol.js';
import { absolutePath, type NodeRecord } from './format.js';
import { MAX_BATCH_BYTES, MAX_BATCH_OPS } from '../shell/multi-size.js';
import type { ImportOptions } from './plan.js';

const IN_FLIGHT = 8;

export interface Applied {
  created: number;
  updated: number;
  unchanged: number;
  /** Existing nodes that differ, kept (--skip-existing). */
  kept: number;
  ephemeralSkipped: number;
  /** Sequential-named nodes created as persistent under their names. */
  sequential: number;
}

/** How a write run ended early: what is certain, the first failure, what is unknown. */
export class ApplyFailed extends Error {
  override name = 'ApplyFailed';
  constructor(
    readonly applied: Applied,
    readonly first: ZkError,
    /** Writes in requests whose outcome is unknown (the connection was lost with them in flight). */
    readonly unknown: number,
  ) {
    super(first.message);
  }
}

function aclBytes(acl: readonly ACL[]): number {
  let n = 4;
  for (const a of acl) n += 12 + a.id.scheme.length + a.id.id.length;
  return n;
}

function opBytes(op: MultiOp): number {
  const path = 4 + Buffer.byteLength(op.path);
  if (op.type === 'create') return 12 + path + 4 + (op.data?.length ?? 0) + aclBytes(op.acl ?? OPEN_ACL_UNSAFE) + 12;
  if (op.type === 'setData') return 12 + path + 4 + (op.data?.length ?? 0) + 4;
  return 12 + path + 4;
}

function createOp(path: string, r: NodeRecord, acl: boolean): MultiOp {
  const a = acl && r.acl ? r.acl : OPEN_ACL_UNSAFE;
  if (r.kind === 'container') return { type: 'create', path, data: r.data, acl: a, mode: CreateMode.CONTAINER };
  if (r.kind === 'ttl')
    return { type: 'create', path, data: r.data, acl: a, mode: CreateMode.PERSISTENT_WITH_TTL, ttl: r.ttl ?? 1 };
  // Ephemerals (with --ephemerals-as-persistent) and sequential names become plain persistent nodes.
  return { type: 'create', path, data: r.data, acl: a, mode: CreateMode.PERSISTENT };
}

interface Batch {
  ops: MultiOp[];
  bytes: number;
  /** ACLs to set once the batch's setData ops succeeded (setACL cannot be in a multi). */
  acls: { path: string; acl: ACL[] }[];
  created: number;
  updated: number;
  sequential: number;
  /** One create sent as a plain request: its ACL would not survive a multi (see multiSafeAcl). */
  alone?: boolean;
}

const emptyBatch = (): Batch => ({ ops: [], bytes: 0, acls: [], created: 0, updated: 0, sequential: 0 });

/** The request for a batch: a multi, or the one create of a batch sent alone. */
function request(zk: Pick<ZkAdapter, 'multi' | 'create'>, b: Batch): Promise<unknown> {
  const op = b.ops[0];
  if (!b.alone || op?.type !== 'create') return zk.multi(b.ops);
  return zk.create(op.path, op.data ?? null, {
    ...(op.acl ? { acl: op.acl } : {}),
    ...(op.mode !== undefined ? { mode: op.mode } : {}),
    ...(op.ttl !== undefined ? { ttl: op.ttl } : {}),
  });
}

export async function applyImport(
  zk: Pick<ZkAdapter, 'multi' | 'setACL' | 'create'>,
  records: AsyncIterable<NodeRecord>,
  existing: ReadonlySet<string>,
  differing: ReadonlySet<string>,
  o: ImportOptions,
  signal?: AbortSignal,
): Promise<Applied> {
  const applied: Applied = { created: 0, updated: 0, unchanged: 0, kept: 0, ephemeralSkipped: 0, sequential: 0 };
  const running = new InFlight(IN_FLIGHT);
  let first: ZkError | null = null;
  /** Send order of `first`'s request: a lone create's failure settles after a multi's answered with it. */
  let firstSeq = Infinity;
  let sent = 0;
  let fatal: unknown = null;
  let unknown = 0;
  let batch = emptyBatch();

  const send = (b: Batch): void => {
    const seq = sent++;
    const p = request(zk, b)
      .then(async () => {
        applied.created += b.created;
        applied.updated += b.updated;
        applied.sequential += b.sequential;
        for (const a of b.acls) await zk.setACL(a.path, a.acl);
      })
      .catch((e: unknown) => {
        if (e instanceof ZkError && !isSessionError(e)) {
          // The op that failed names the node; later ops of the batch only report that the multi was undone.
          const i = e.results?.findIndex((r) => r.err !== 0 && r.err !== Code.RUNTIMEINCONSISTENCY) ?? -1;
          const op = b.ops[i] ?? b.ops[0]!;
          if (seq < firstSeq) {
            first = e.path ? e : new ZkError(e.code, op.path);
            firstSeq = seq;
          }
        } else {
          unknown += b.ops.length;
          fatal ??= e;
        }
      });
    running.add(p);
  };
  const flush = async (): Promise<void> => {
    if (batch.ops.length === 0) return;
    send(batch);
    batch = emptyBatch();
    await running.room();
  };

  const feed = async (): Promise<void> => {
    for await (const r of records) {
      if (first || fatal) break;
      if (signal?.aborted) {
        fatal = signal.reason;
        break;
      }
      if (r.kind === 'ephemeral' && !o.ephemerals) {
        applied.ephemeralSkipped++;
        continue;
      }
      const path = absolutePath(o.destRoot, r.path);
      let op: MultiOp;
      if (existing.has(r.path)) {
        if (!differing.has(r.path)) {
          applied.unchanged++;
          continue;
        }
        if (o.mode !== 'overwrite') {
          applied.kept++;
          continue;
        }
        op = { type: 'setData', path, data: r.data };
      } else op = createOp(path, r, o.acl);
      const bytes = opBytes(op);
      const alone = op.type === 'create' && !multiSafeAcl(op.acl);
      if (batch.ops.length > 0 && (alone || batch.bytes + bytes > MAX_BATCH_BYTES || batch.ops.length >= MAX_BATCH_OPS))
        await flush();
      // Sent after the batch before it on the same session, so still after its parent.
      if (alone) batch.alone = true;
      batch.ops.push(op);
      batch.bytes += bytes;
      if (op.type === 'create') {
        batch.created++;
        if (r.sequential) batch.sequential++;
      }
      if (op.type !== 'create') {
        batch.updated++;
        if (o.acl && r.acl) batch.acls.push({ path, acl: r.acl });
      }
      if (alone) await flush();
    }
  };

  // The records themselves failing (the file changed after it was checked, the source's session was lost):
  // nothing more is sent, what was sent finishes, and SourceFailed says what was written.
  let source: { error: unknown } | null = null;
  try {
    await feed();
  } catch (e) {
    source = { error: e };
  }
  if (!first && !fatal && !source) await flush();
  await running.idle();
  if (source) throw new SourceFailed(applied, source.error, unknown);
  if (fatal && !(fatal instanceof ZkError)) throw fatal as Error;
  if (first || fatal) throw new ApplyFailed(applied, first ?? (fatal as ZkError), unknown);
  return applied;
}

/** The records failed while being written: what is certain, the records' error, what is unknown. */
export class SourceFailed extends Error {
  override name = 'SourceFailed';
  constructor(
    readonly applied: Applied,
    readonly error: unknown,
    readonly unknown: number,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** Creates the missing ancestors of `path` (not `path`) as empty persistent nodes; returns how many. */
export async function createParents(zk: Pick<ZkAdapter, 'create' | 'exists'>, path: string): Promise<number> {
  const parts = path.split('/').filter(Boolean);
  let made = 0;
  for (let i = 1; i < parts.length; i++) {
    const p = `/${parts.slice(0, i).join('/')}`;
    if (await zk.exists(p)) continue;
    try {
      await zk.create(p, null);
      made++;
    } catch (e) {
      if (!(e instanceof ZkError && e.code === Code.NODEEXISTS)) throw e;
    }
  }
  return made;
}
