// mv: a subtree copied to a new path and the source removed, in one multi when it fits.
import type { ZkAdapter } from '../commands/spec.js';
import { CommandFailed } from '../commands/spec.js';
import { maskedDigest } from '../backup/masked-acl.js';
import { multiSafeAcl } from '../zk/acl.js';
import { MAX_BATCH_BYTES, MAX_BATCH_OPS, multiOpBytes } from '../shell/multi-size.js';
import type { MultiOp } from '../zk/client.js';
import { Code, ZkError } from '../zk/errors.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import { CreateMode } from '../zk/protocol.js';
import { subtreePaths } from './walk.js';

interface SourceNode {
  path: string;
  data: Buffer | null;
  acl: ACL[];
  stat: Stat;
}

/** Reads every node of the subtree (data, ACL, stat), parents before children; refuses what cannot move. */
async function readSubtree(zk: ZkAdapter, src: string, signal: AbortSignal): Promise<SourceNode[]> {
  const reads: Promise<SourceNode>[] = [];
  for await (const p of subtreePaths(zk, src, { signal })) {
    if (typeof p !== 'string') throw p.error;
    const read = Promise.all([zk.getData(p), zk.getACL(p)]).then(([d, a]) => ({ path: p, ...d, acl: a.acl }));
    // Handled here too: a walk that stops early must not leave a rejection nobody awaits.
    read.catch(() => undefined);
    reads.push(read);
    // Bounded: a large subtree is read in waves, not all at once.
    if (reads.length % 1000 === 0) await Promise.all(reads);
  }
  const nodes = await Promise.all(reads);
  for (const n of nodes) {
    // Copied as given, a masked digest (user:x, see masked-acl.ts) would lock its user out of the moved node.
    if (maskedDigest(n.acl) !== undefined)
      throw new CommandFailed(
        `mv: ${n.path}: the server masked its digest ACL (no ADMIN permission on it), so the copy would lock ` +
          'its user out; move it as its admin (the digest user) or super; nothing was moved',
      );
    // mv writes in multis, where such an ACL id would be stored as U+FFFD (see multiSafeAcl).
    if (!multiSafeAcl(n.acl))
      throw new CommandFailed(
        `mv: ${n.path}: its ACL has a character beyond U+FFFF, which ZooKeeper stores as U+FFFD inside a ` +
          'multi; nothing was moved (cp -R and deleteall move it in steps)',
      );
    const owner = BigInt(n.stat.ephemeralOwner);
    if (owner !== 0n)
      throw new CommandFailed(
        `mv: ${n.path} is ephemeral (session 0x${BigInt.asUintN(64, owner).toString(16)}): it belongs to its session ` +
          'and cannot be moved; nothing was moved',
      );
    // A sequential child's new parent starts its own counter, so a later create -s there could collide.
    if (n.path !== src && /\d{10}$/.test(n.path))
      throw new CommandFailed(
        `mv: ${n.path} has a sequence number its new parent would not continue (a later create -s there ` +
          'could collide with it); nothing was moved',
      );
  }
  return nodes;
}

const renamed = (p: string, src: string, dst: string): string => dst + p.slice(src.length);

/**
 * The copy of a node, created persistent: containers and TTL nodes cannot be told from persistent ones
 * by a client (the server reports ephemeralOwner 0 for them), so they become persistent nodes too.
 */
function createOp(n: SourceNode, src: string, dst: string): MultiOp {
  return { type: 'create', path: renamed(n.path, src, dst), data: n.data, acl: n.acl, mode: CreateMode.PERSISTENT };
}

/** Splits ops into multis under the request limits, in order. */
function batches(ops: MultiOp[]): MultiOp[][] {
  const out: MultiOp[][] = [];
  let cur: MultiOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    const b = multiOpBytes(op);
    if (cur.length > 0 && (cur.length >= MAX_BATCH_OPS || bytes + b > MAX_BATCH_BYTES)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(op);
    bytes += b;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** The error of a failed multi, named by the op that failed. */
function failedOp(e: unknown, ops: readonly MultiOp[]): { error: unknown; op: MultiOp | undefined } {
  if (!(e instanceof ZkError) || !e.results) return { error: e, op: undefined };
  const i = e.results.findIndex((r) => r.err !== 0);
  const op = ops[i];
  return { error: op ? new ZkError(e.code, op.path) : e, op };
}

/**
 * Moves `src` to `dst` (which must not exist; its parent must). Everything in one multi when it fits:
 * the copy and the removal then happen together or not at all. Otherwise the copy is made in several
 * multis, read back and compared, and only then is the source removed, leaves first, each delete with
 * the version that was copied, so a node changed meanwhile stops the removal. Returns the node count.
 */
export async function moveTree(zk: ZkAdapter, src: string, dst: string, signal: AbortSignal): Promise<number> {
  if (await zk.exists(dst)) throw new ZkError(Code.NODEEXISTS, dst);
  const nodes = await readSubtree(zk, src, signal);
  const creates = nodes.map((n) => createOp(n, src, dst));
  const deletes: MultiOp[] = [...nodes]
    .reverse()
    .map((n) => ({ type: 'delete', path: n.path, version: n.stat.version }));
  const all = [...creates, ...deletes];
  const one = batches(all);
  if (one.length === 1) {
    try {
      await zk.multi(all);
      return nodes.length;
    } catch (e) {
      const { error, op } = failedOp(e, all);
      if (op?.type === 'delete' && error instanceof ZkError)
        throw new CommandFailed(`mv: ${src} changed while it was being moved (${error.cliMessage}); nothing was moved`);
      throw error;
    }
  }
  const created: string[] = [];
  try {
    for (const b of batches(creates)) {
      try {
        await zk.multi(b);
      } catch (e) {
        throw failedOp(e, b).error;
      }
      created.push(...b.map((o) => o.path));
    }
    await verify(zk, nodes, src, dst);
  } catch (e) {
    const left = await undo(zk, created);
    const why = e instanceof ZkError ? e.cliMessage : (e as Error).message;
    throw new CommandFailed(
      `mv: copying ${src} to ${dst} failed (${why}); ${left === 0 ? 'the partial copy was removed' : `${left} copied nodes are left under ${dst}`}; ${src} is unchanged`,
    );
  }
  let removed = 0;
  for (const b of batches(deletes)) {
    try {
      await zk.multi(b);
      removed += b.length;
    } catch (e) {
      const { error } = failedOp(e, b);
      const why = error instanceof ZkError ? error.cliMessage : (error as Error).message;
      throw new CommandFailed(
        `mv: ${dst} is a complete copy, but removing ${src} stopped (${why}); ${nodes.length - removed} of its ${nodes.length} nodes remain`,
      );
    }
  }
  return nodes.length;
}

/** Reads the copy back and compares data and ACL with what was read from the source. */
async function verify(zk: ZkAdapter, nodes: readonly SourceNode[], src: string, dst: string): Promise<void> {
  for (let i = 0; i < nodes.length; i += 1000) {
    await Promise.all(
      nodes.slice(i, i + 1000).map(async (n) => {
        const p = renamed(n.path, src, dst);
        const [{ data }, { acl }] = await Promise.all([zk.getData(p), zk.getACL(p)]);
        const same =
          (data === null ? n.data === null : n.data !== null && data.equals(n.data)) &&
          JSON.stringify(acl) === JSON.stringify(n.acl);
        if (!same) throw new Error(`the copy ${p} differs from ${n.path}`);
      }),
    );
  }
}

/** Removes a partial copy, leaves first; returns how many nodes could not be removed. */
async function undo(zk: ZkAdapter, created: readonly string[]): Promise<number> {
  let left = created.length;
  for (const p of [...created].reverse()) {
    await zk.delete(p).then(
      () => left--,
      () => undefined,
    );
  }
  return left;
}
