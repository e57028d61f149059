import { CommandFailed, type ZkAdapter } from '../commands/spec.js';
import type { MultiResult, ReadOp } from '../zk/client.js';
import { Code, ZkError } from '../zk/errors.js';
import type { ACL, ClientInfo, Stat } from '../zk/jute/records.js';
import { validatePath } from '../zk/path.js';
import { nodeKind, type DataNode, type DataTree, type NodeKind } from './data-tree.js';
import { hexZxid } from './integrity.js';
import type { LoadReport } from './data-dir.js';

export const READ_ONLY = 'read-only: this is a snapshot';

const readOnly = (): Promise<never> => Promise.reject(new CommandFailed(READ_ONLY));

/**
 * A tree rebuilt from a data dir, behind the same adapter the commands use on a live session: reads
 * answer from memory (no ACL checks: whoever can read the files can read everything), writes fail with
 * "read-only: this is a snapshot". Export/diff can take it as a source like a live client.
 */
export class OfflineZk implements ZkAdapter {
  constructor(
    readonly tree: DataTree,
    readonly report: LoadReport,
  ) {}

  /** How the prompt and messages name it: data:DIR@0x1a. */
  get label(): string {
    return `data:${this.report.dir}@${hexZxid(this.report.zxid)}`;
  }

  private node(path: string): DataNode {
    validatePath(path);
    const n = this.tree.get(path);
    if (!n) throw new ZkError(Code.NONODE, path);
    return n;
  }

  private sortedChildren(n: DataNode): string[] {
    return [...n.children].sort();
  }

  exists(path: string): Promise<Stat | null> {
    validatePath(path);
    const n = this.tree.get(path);
    return Promise.resolve(n ? this.tree.statOf(n) : null);
  }

  async getData(path: string): Promise<{ data: Buffer | null; stat: Stat }> {
    const n = this.node(path);
    return { data: n.data, stat: this.tree.statOf(n) };
  }

  /** The real kind, which a client's stat hides (owner 0 for containers and TTLs): exports carry it. */
  kindOf(path: string): { kind: NodeKind; ttl?: number } | undefined {
    const owner = this.tree.get(path)?.stat.ephemeralOwner;
    if (owner === undefined) return undefined;
    const kind = nodeKind(owner);
    // A TTL owner is the high byte set, then the TTL in milliseconds in the low 40 bits.
    return kind === 'ttl' ? { kind, ttl: Number(owner & 0xffffffffffn) } : { kind };
  }

  async getACL(path: string): Promise<{ acl: ACL[]; stat: Stat }> {
    const n = this.node(path);
    return { acl: n.acl, stat: this.tree.statOf(n) };
  }

  async getChildren(path: string): Promise<string[]> {
    return this.sortedChildren(this.node(path));
  }

  async getChildren2(path: string): Promise<{ children: string[]; stat: Stat }> {
    const n = this.node(path);
    return { children: this.sortedChildren(n), stat: this.tree.statOf(n) };
  }

  /** Many reads at once, as the walk batches them on a live server (each op fails on its own). */
  async multiRead(ops: readonly ReadOp[]): Promise<MultiResult[]> {
    return ops.map((op): MultiResult => {
      const n = this.tree.get(op.path);
      if (!n) return { type: 'error', err: Code.NONODE };
      return op.type === 'getChildren'
        ? { type: 'getChildren', children: this.sortedChildren(n) }
        : { type: 'getData', data: n.data, stat: this.tree.statOf(n) };
    });
  }

  /** Every ephemeral in the tree under the prefix: offline there is no "own" session, so all sessions'. */
  async getEphemerals(prefix = '/'): Promise<string[]> {
    const out: string[] = [];
    for (const paths of this.tree.ephemerals.values()) for (const p of paths) if (p.startsWith(prefix)) out.push(p);
    return out.sort();
  }

  async getAllChildrenNumber(path: string): Promise<number> {
    this.node(path);
    return this.tree.countBelow(path);
  }

  async getConfig(): Promise<{ data: Buffer | null; stat: Stat }> {
    return this.getData('/zookeeper/config');
  }

  async sync(path: string): Promise<void> {
    this.node(path);
  }

  async whoAmI(): Promise<ClientInfo[]> {
    return [];
  }

  addAuth(): Promise<void> {
    return Promise.resolve();
  }

  toServerPath(clientPath: string): string {
    return clientPath;
  }

  create = readOnly as ZkAdapter['create'];
  create2 = readOnly as ZkAdapter['create2'];
  delete = readOnly as ZkAdapter['delete'];
  setData = readOnly as ZkAdapter['setData'];
  setACL = readOnly as ZkAdapter['setACL'];
  multi = readOnly as ZkAdapter['multi'];
  reconfig = readOnly as ZkAdapter['reconfig'];
  removeWatches = readOnly as ZkAdapter['removeWatches'];
  addWatch = readOnly as ZkAdapter['addWatch'];
}
