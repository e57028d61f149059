import type { ZooKeeperClient } from '../zk/client.js';
import { Code, ZkError } from '../zk/errors.js';
import { EventType } from '../zk/protocol.js';
import type { WatchedEvent, Watcher } from '../zk/watches.js';
import type { Change } from './arm-watch.js';

const join = (parent: string, child: string): string => (parent === '/' ? `/${child}` : `${parent}/${child}`);
const noNode = (e: unknown): boolean => e instanceof ZkError && e.code === Code.NONODE;

/**
 * A live view from one-shot watches (servers without persistent watches, or --one-shot): a data watch
 * and a child watch on the node (on every node below it with `recursive`), each set again when it fires.
 * Events are handled one at a time so the known tree stays consistent; a change made between an event and
 * the watch being set again shows up as a difference when the node is read again, and is reported then.
 * Recursive views report what a persistent recursive watch would: created, deleted and changed nodes.
 */
export class OneShotWatch {
  /** Nodes known to exist, with their children (the root's are kept even when not recursive). */
  private readonly known = new Map<string, Set<string>>();
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly zk: ZooKeeperClient,
    private readonly root: string,
    private readonly recursive: boolean,
    private readonly emit: (c: Change) => void,
  ) {}

  private readonly watcher: Watcher = (e: WatchedEvent) => {
    if (this.stopped || e.path === null || e.type === -1) return;
    const path = e.path;
    this.chain = this.chain.then(() => this.onEvent(e.type, path, e.zxid)).catch(() => undefined);
  };

  async start(): Promise<void> {
    await this.arm(this.root, false);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const paths = new Set([this.root, ...this.known.keys()]);
    for (const p of paths) await this.zk.removeWatcher(p, this.watcher);
  }

  private report(kind: Change['kind'], path: string, zxid = -1n): void {
    if (!this.stopped) this.emit({ kind, path, zxid });
  }

  /** Sets the watches on a node (and below, when recursive); `announce` reports what it finds as created. */
  private async arm(path: string, announce: boolean, zxid = -1n): Promise<void> {
    const stat = await this.zk.exists(path, this.watcher);
    if (!stat) return;
    if (announce) this.report('created', path, zxid);
    this.known.set(path, new Set());
    if (path !== this.root && !this.recursive) return;
    let children: string[];
    try {
      children = await this.zk.getChildren(path, this.watcher);
    } catch (e) {
      if (noNode(e)) return;
      throw e;
    }
    this.known.set(path, new Set(children));
    if (this.recursive) await Promise.all(children.map((c) => this.arm(join(path, c), announce)));
  }

  /** Forgets a node and everything known below it. */
  private forget(path: string): void {
    for (const p of [...this.known.keys()])
      if (p === path || p.startsWith(path === '/' ? '/' : `${path}/`)) this.known.delete(p);
  }

  private async onEvent(type: number, path: string, zxid: bigint): Promise<void> {
    switch (type) {
      case EventType.NodeCreated:
        if (this.known.has(path)) return;
        await this.arm(path, true, zxid);
        return;
      case EventType.NodeDataChanged: {
        this.report('changed', path, zxid);
        const stat = await this.zk.exists(path, this.watcher);
        // Deleted before the watch was set again: no event will come for it, so say so now.
        if (!stat && this.known.has(path)) this.gone(path);
        return;
      }
      case EventType.NodeDeleted:
        if (!this.known.has(path)) return;
        this.report('deleted', path, zxid);
        this.forget(path);
        this.known.get(parentOf(path))?.delete(path.slice(path.lastIndexOf('/') + 1));
        // The root may come back: an exists watch on it says when.
        if (path === this.root) await this.arm(path, true);
        return;
      case EventType.NodeChildrenChanged:
        await this.childrenChanged(path, zxid);
        return;
    }
  }

  private gone(path: string): void {
    this.report('deleted', path);
    this.forget(path);
  }

  private async childrenChanged(path: string, zxid: bigint): Promise<void> {
    let children: string[];
    try {
      children = await this.zk.getChildren(path, this.watcher);
    } catch (e) {
      if (noNode(e)) return; // its NodeDeleted comes (or came) on the data watch
      throw e;
    }
    const before = this.known.get(path) ?? new Set<string>();
    this.known.set(path, new Set(children));
    if (!this.recursive) {
      this.report('children', path, zxid);
      return;
    }
    // Recursive: the children themselves are the news, as a persistent recursive watch reports them.
    for (const c of before) if (!children.includes(c) && this.known.has(join(path, c))) this.gone(join(path, c));
    for (const c of children) if (!before.has(c)) await this.arm(join(path, c), true);
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
