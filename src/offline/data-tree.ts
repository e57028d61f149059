import type { ACL, Stat } from '../zk/jute/records.js';
import { TxnType, type StatPersisted, type TxnBody, type TxnHeader } from './records.js';

/** One znode as the server keeps it: StatPersisted (cversion counts creates), data, ACL, child names. */
export interface DataNode {
  data: Buffer | null;
  acl: ACL[];
  stat: StatPersisted;
  children: Set<string>;
}

/** The owner the server gives a container (EphemeralType.CONTAINER_EPHEMERAL_OWNER). */
export const CONTAINER_OWNER = -0x8000000000000000n;
const EXTENDED_MASK = -0x100000000000000n; // 0xff00000000000000 as a signed long
const RESERVED_MASK = 0x00ffff0000000000n;

export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';
/** EphemeralType.get with extended types on (TTL nodes exist only then). */
export function nodeKind(owner: bigint): NodeKind {
  if (owner === 0n) return 'persistent';
  if (owner === CONTAINER_OWNER) return 'container';
  if ((owner & EXTENDED_MASK) === EXTENDED_MASK && (owner & RESERVED_MASK) === 0n) return 'ttl';
  return 'ephemeral';
}

/** A TTL node's owner: the high byte set, then the TTL in milliseconds (EphemeralType.TTL.toEphemeralOwner). */
export const ttlOwner = (ttl: bigint): bigint => EXTENDED_MASK | ttl;

export const parentOf = (path: string): string => {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
};
const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const childPath = (parent: string, name: string): string => (parent === '/' ? `/${name}` : `${parent}/${name}`);

class NodeError extends Error {
  constructor(readonly code: 'NONODE' | 'NODEEXISTS') {
    super(code);
  }
}

/**
 * The server's DataTree, rebuilt in memory: loaded from a snapshot, then moved forward one transaction at
 * a time with the same rules as DataTree.processTxn (including its tolerance for the fuzzy snapshot: a
 * create of an existing node fixes the parent's cversion, a delete of a missing node is ignored).
 */
export class DataTree {
  readonly nodes = new Map<string, DataNode>();
  readonly ephemerals = new Map<bigint, Set<string>>();
  /** Live sessions and their timeouts (ms), as the snapshot and the createSession/closeSession txns say. */
  readonly sessions = new Map<bigint, number>();
  lastZxid = 0n;

  constructor() {
    this.nodes.set('/', { data: null, acl: [], stat: emptyStat(), children: new Set() });
  }

  get(path: string): DataNode | undefined {
    return this.nodes.get(path);
  }

  /** Adds a node read from a snapshot; its parent came before it (the snapshot is written preorder). */
  addLoaded(path: string, node: DataNode): void {
    if (path === '/') {
      const root = this.nodes.get('/')!;
      node.children = root.children;
      this.nodes.set('/', node);
      return;
    }
    const parent = this.nodes.get(parentOf(path));
    if (!parent) throw new Error(`snapshot lists ${path} before its parent`);
    parent.children.add(nameOf(path));
    this.nodes.set(path, node);
    this.track(path, node.stat.ephemeralOwner);
  }

  private track(path: string, owner: bigint): void {
    if (nodeKind(owner) !== 'ephemeral') return;
    let set = this.ephemerals.get(owner);
    if (!set) this.ephemerals.set(owner, (set = new Set()));
    set.add(path);
  }

  /** The Stat a client would get (DataNode.copyStat: cversion as changes, owner 0 for containers and TTLs). */
  statOf(node: DataNode): Stat {
    const s = node.stat;
    const n = node.children.size;
    return {
      czxid: s.czxid,
      mzxid: s.mzxid,
      ctime: s.ctime,
      mtime: s.mtime,
      version: s.version,
      cversion: s.cversion * 2 - n,
      aversion: s.aversion,
      ephemeralOwner: nodeKind(s.ephemeralOwner) === 'ephemeral' ? s.ephemeralOwner : 0n,
      dataLength: node.data?.length ?? 0,
      numChildren: n,
      pzxid: s.pzxid,
    };
  }

  /** Applies one logged transaction. Errors the server would also meet on replay are ignored, as it does. */
  apply(hdr: TxnHeader, body: TxnBody): void {
    this.applyOne(hdr, hdr.type, body);
    if (hdr.zxid > this.lastZxid) this.lastZxid = hdr.zxid;
  }

  private applyOne(hdr: TxnHeader, type: number, body: TxnBody): void {
    try {
      this.process(hdr, body);
    } catch (e) {
      if (!(e instanceof NodeError)) throw e;
      // A create the fuzzy snapshot already holds: the parent's cversion and pzxid still move on.
      if (e.code === 'NODEEXISTS' && type === TxnType.create && body.kind === 'create')
        this.setCversionPzxid(parentOf(body.path), body.parentCVersion, hdr.zxid);
    }
  }

  private process(hdr: TxnHeader, b: TxnBody): void {
    switch (b.kind) {
      case 'create':
        return this.create(b.path, b.data, b.acl, b.ephemeral ? hdr.clientId : 0n, b.parentCVersion, hdr);
      case 'createTTL':
        return this.create(b.path, b.data, b.acl, ttlOwner(b.ttl), b.parentCVersion, hdr);
      case 'createContainer':
        return this.create(b.path, b.data, b.acl, CONTAINER_OWNER, b.parentCVersion, hdr);
      case 'delete':
        return this.delete(b.path, hdr.zxid);
      case 'setData': {
        const n = this.mustGet(b.path);
        n.data = b.data;
        n.stat.mtime = hdr.time;
        n.stat.mzxid = hdr.zxid;
        n.stat.version = b.version;
        return;
      }
      case 'setACL': {
        const n = this.mustGet(b.path);
        n.stat.aversion = b.version;
        n.acl = b.acl;
        return;
      }
      case 'createSession':
        this.sessions.set(hdr.clientId, b.timeOut);
        return;
      case 'closeSession': {
        this.sessions.delete(hdr.clientId);
        const own = this.ephemerals.get(hdr.clientId);
        this.ephemerals.delete(hdr.clientId);
        const paths = new Set([...(b.paths2Delete ?? []), ...(own ?? [])]);
        for (const p of paths) {
          try {
            this.delete(p, hdr.zxid);
          } catch (e) {
            if (!(e instanceof NodeError)) throw e;
          }
        }
        return;
      }
      case 'multi': {
        // A multi with a failed op changed nothing: the server logs every op as an error then.
        if (b.ops.some((o) => o.type === TxnType.error)) return;
        for (const o of b.ops) this.applyOne(hdr, o.type, o.body);
        return;
      }
      case 'check':
      case 'error':
        return;
    }
  }

  private mustGet(path: string): DataNode {
    const n = this.nodes.get(path);
    if (!n) throw new NodeError('NONODE');
    return n;
  }

  private create(
    path: string,
    data: Buffer | null,
    acl: ACL[],
    owner: bigint,
    parentCVersion: number,
    hdr: TxnHeader,
  ): void {
    const parentPath = parentOf(path);
    const parent = this.mustGet(parentPath);
    const existing = this.nodes.get(path);
    if (existing) {
      existing.acl = acl;
      throw new NodeError('NODEEXISTS');
    }
    const pcv = parentCVersion === -1 ? parent.stat.cversion + 1 : parentCVersion;
    if (pcv > parent.stat.cversion) {
      parent.stat.cversion = pcv;
      parent.stat.pzxid = hdr.zxid;
    }
    const stat: StatPersisted = {
      czxid: hdr.zxid,
      mzxid: hdr.zxid,
      ctime: hdr.time,
      mtime: hdr.time,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: owner,
      pzxid: hdr.zxid,
    };
    parent.children.add(nameOf(path));
    this.nodes.set(path, { data, acl, stat, children: new Set() });
    this.track(path, owner);
  }

  private delete(path: string, zxid: bigint): void {
    const parent = this.mustGet(parentOf(path));
    parent.children.delete(nameOf(path));
    if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    const node = this.mustGet(path);
    this.nodes.delete(path);
    const owner = node.stat.ephemeralOwner;
    if (nodeKind(owner) === 'ephemeral') this.ephemerals.get(owner)?.delete(path);
  }

  private setCversionPzxid(path: string, cversion: number, zxid: bigint): void {
    const n = this.nodes.get(path);
    if (!n) return;
    const cv = cversion === -1 ? n.stat.cversion + 1 : cversion;
    if (cv > n.stat.cversion) {
      n.stat.cversion = cv;
      n.stat.pzxid = zxid;
    }
  }

  /** Every path below `path` (DataTree.getAllChildrenNumber: the whole tree minus the root for "/"). */
  countBelow(path: string): number {
    const n = this.nodes.get(path);
    if (!n) return 0;
    let count = 0;
    const stack = [path];
    while (stack.length > 0) {
      const p = stack.pop()!;
      for (const c of this.nodes.get(p)?.children ?? []) {
        count++;
        stack.push(childPath(p, c));
      }
    }
    return count;
  }

  /**
   * The server rewrites quota usage (zookeeper_stats) on every change without a transaction, and recounts
   * it on load (DataTree.setupQuota): recount it here the same way.
   */
  refreshQuotaStats(): void {
    const prefix = '/zookeeper/quota';
    for (const [path, node] of this.nodes) {
      if (!path.startsWith(`${prefix}/`) || !path.endsWith('/zookeeper_limits') || node.children.size > 0) continue;
      const real = path.slice(prefix.length, -'/zookeeper_limits'.length);
      const stats = this.nodes.get(`${parentOf(path)}/zookeeper_stats`);
      if (!stats) continue;
      let count = 0;
      let bytes = 0;
      const stack = this.nodes.has(real) ? [real] : [];
      while (stack.length > 0) {
        const p = stack.pop()!;
        const n = this.nodes.get(p)!;
        count++;
        bytes += n.data?.length ?? 0;
        for (const c of n.children) stack.push(childPath(p, c));
      }
      stats.data = Buffer.from(`count=${count},bytes=${bytes}`);
    }
  }
}

export const emptyStat = (): StatPersisted => ({
  czxid: 0n,
  mzxid: 0n,
  ctime: 0n,
  mtime: 0n,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  pzxid: 0n,
});

export { childPath };
