// Long on purpose (~500 lines): the public API, one short method per ZooKeeper operation, each
// next to its request/response mapping. Splitting it would scatter one surface across files; the
// encoding lives in jute/ and multi.ts, the session in session.ts.
import { digestId } from './acl.js';
import type { Packet } from './connection.js';
import {
  AuthFailedError,
  Code,
  ConnectionLossError,
  errorFor,
  InvalidArgumentError,
  SessionExpiredError,
  TooLargeError,
  ZkError,
} from './errors.js';
import type { JuteReader } from './jute/reader.js';
import type { JuteWriter } from './jute/writer.js';
import * as R from './jute/records.js';
import { decodeRecord, encodeRecord, type Encodable, type Infer } from './jute/schema.js';
import { validatePath } from './path.js';
import {
  AddWatchMode,
  CreateMode,
  EventType,
  isSequential,
  isTTL,
  KeeperState,
  MAX_TTL,
  OPEN_ACL_UNSAFE,
  Op,
  WatcherType,
  type OpSpec,
} from './protocol.js';
import { readListings, readMulti, writeCreate, writeMulti, type ListingsAt, type MultiResult } from './multi.js';
import { Session, type SessionOptions, type SessionState } from './session.js';
import type { HostPort } from './host-provider.js';
import type { WatchRegistration, WatchTable, WatchedEvent, Watcher } from './watches.js';

export type { SessionOptions, SessionState } from './session.js';
export type { WatchedEvent, Watcher } from './watches.js';
export type { ACL, Id, Stat } from './jute/records.js';
export type { MultiResult } from './multi.js';

/** `true` sets the watch with the default watcher; a function sets it with that watcher. */
export type WatchArg = boolean | Watcher | undefined;

export interface CreateOptions {
  acl?: R.ACL[];
  /** A CreateMode value (default PERSISTENT). */
  mode?: number;
  /** Milliseconds, for the TTL modes. */
  ttl?: number | bigint;
}

export type MultiOp =
  | { type: 'create'; path: string; data?: Buffer | null; acl?: R.ACL[]; mode?: number; ttl?: number | bigint }
  | { type: 'delete'; path: string; version?: number }
  | { type: 'setData'; path: string; data: Buffer | null; version?: number }
  | { type: 'check'; path: string; version: number };

export type ReadOp = { type: 'getChildren'; path: string } | { type: 'getData'; path: string };

export interface MultiReadOptions {
  /** Every path was built from names the server listed below a checked path: do not check them again. */
  pathsChecked?: boolean;
}

const WATCHER_TABLES: Record<number, readonly WatchTable[]> = {
  [WatcherType.Children]: ['child'],
  [WatcherType.Data]: ['data', 'exist'],
  [WatcherType.Any]: ['data', 'exist', 'child', 'persistent', 'persistentRecursive'],
  [WatcherType.Persistent]: ['persistent'],
  [WatcherType.PersistentRecursive]: ['persistentRecursive'],
};
const REMOVED_EVENT: Record<WatchTable, number> = {
  data: EventType.DataWatchRemoved,
  exist: EventType.DataWatchRemoved,
  child: EventType.ChildWatchRemoved,
  persistent: EventType.PersistentWatchRemoved,
  persistentRecursive: EventType.PersistentWatchRemoved,
};

/**
 * A ZooKeeper client: one session, promise-based calls that may all be in flight at once (replies come
 * back in request order), watches as callbacks. Paths are client paths (the chroot is applied here).
 */
export class ZooKeeperClient {
  readonly session: Session;

  constructor(options: SessionOptions) {
    this.session = new Session(options);
  }

  /**
   * Creates a client and waits until it is connected (or fails after `timeoutMs`; with `failFast`, as soon
   * as every host has refused once, as a one-shot command does).
   */
  static async connect(
    options: SessionOptions,
    timeoutMs = options.sessionTimeout ?? 30000,
    failFast = false,
  ): Promise<ZooKeeperClient> {
    const c = new ZooKeeperClient(options);
    try {
      await c.session.waitConnected(timeoutMs, failFast ? c.hostCount : Infinity);
    } catch (e) {
      await c.close();
      throw e;
    }
    return c;
  }

  get state(): Session['state'] {
    return this.session.state;
  }

  get sessionId(): bigint {
    return this.session.sessionId;
  }

  // The little the shell, REPL and live views need of the session, so they never reach into it.
  get isConnected(): boolean {
    return this.session.isConnected;
  }

  get isExpired(): boolean {
    return this.session.isExpired;
  }

  /** The server the session is (or was last) connected to. */
  get currentHost(): HostPort | null {
    return this.session.currentHost;
  }

  /** Why the last connection attempt or connection ended. */
  get lastError(): Error | null {
    return this.session.lastError;
  }

  /** Hosts in the connect string. */
  get hostCount(): number {
    return this.session.hostCount;
  }

  get connectString(): string {
    return this.session.connectString;
  }

  /** Starts connecting in the background (idempotent). */
  start(): void {
    this.session.start();
  }

  /** Resolves once connected; rejects after `timeoutMs` or `maxFailures` failed attempts in a row. */
  waitConnected(timeoutMs: number, maxFailures = Infinity): Promise<void> {
    return this.session.waitConnected(timeoutMs, maxFailures);
  }

  /** Told every session state change (the REPL redraws its prompt). */
  onState(listener: (state: SessionState) => void): void {
    this.session.on('state', listener);
  }

  /** Told every session event (Disconnected, SyncConnected, Expired, …) as watchers get it. */
  onSessionEvent(listener: (event: WatchedEvent) => void): void {
    this.session.on('event', listener);
  }

  offSessionEvent(listener: (event: WatchedEvent) => void): void {
    this.session.off('event', listener);
  }

  /** Ends the session. `waitReply: false` suits a process about to exit (see Session.close). */
  close(opts: { waitReply?: boolean } = {}): Promise<void> {
    return this.session.close(3000, opts.waitReply ?? true);
  }

  private server(path: string, sequential = false): string {
    validatePath(path, sequential);
    return this.session.chroot.toServer(path);
  }

  private watcherOf(w: WatchArg): Watcher | null {
    if (!w) return null;
    if (w === true) {
      const d = this.session.options.watcher;
      if (!d) throw new InvalidArgumentError('no default watcher was given to the client');
      return d;
    }
    return w;
  }

  /**
   * Sends one request. `tolerate` is an error code that resolves to null instead of rejecting
   * (exists → NoNode). The watch, if any, is registered when the reply arrives, per its error code.
   */
  private call<T>(
    op: OpSpec,
    body: (w: JuteWriter) => void,
    decode: (r: JuteReader, zxid: bigint) => T,
    clientPath?: string,
    watch?: WatchRegistration,
    tolerate?: number,
  ): Promise<T | null> {
    return new Promise((resolve, reject) => {
      const p: Packet = {
        opCode: op.code,
        body,
        onReply: (h, r) => {
          this.session.noteZxid(h.zxid);
          if (watch) this.session.watches.register(watch, h.err);
          // A body that does not decode throws to the connection, which drops and fails us via onFail.
          if (h.err === 0) resolve(decode(r, h.zxid));
          else if (h.err === tolerate) resolve(null);
          else reject(errorFor(h.err, clientPath));
        },
        onFail: (f) => {
          if (f.reason === 'expired') reject(new SessionExpiredError(clientPath));
          else if (f.reason === 'authfailed') reject(new AuthFailedError(clientPath));
          else if (f.reason === 'toolarge')
            reject(new TooLargeError(clientPath, f.size ?? 0, f.limit ?? 0, f.request ?? false));
          else reject(new ConnectionLossError(clientPath, { sent: f.sent, cause: f.cause }));
        },
      };
      this.session.submit(p);
    });
  }

  /** One request typed from the opcode table: the value must match the op's request record. */
  private async req<O extends OpSpec>(
    op: O,
    value: Encodable<O['request']>,
    path?: string,
    watch?: WatchRegistration,
  ): Promise<Infer<O['response']>> {
    const res = await this.call(
      op,
      (w) => encodeRecord(w, op.request, value),
      (r) => decodeRecord<O['response']>(r, op.response),
      path,
      watch,
    );
    return res!;
  }

  /** create (1), createContainer (19) or createTTL (21), chosen by mode; returns the actual path. */
  async create(path: string, data: Buffer | null, opts: CreateOptions = {}): Promise<string> {
    return (await this.createImpl(path, data, opts, false)).path;
  }

  /** create2 (15) (or 19/21 by mode): returns the actual path and the new node's Stat. */
  async create2(path: string, data: Buffer | null, opts: CreateOptions = {}): Promise<{ path: string; stat: R.Stat }> {
    return (await this.createImpl(path, data, opts, true)) as { path: string; stat: R.Stat };
  }

  private async createImpl(
    path: string,
    data: Buffer | null,
    opts: CreateOptions,
    withStat: boolean,
  ): Promise<{ path: string; stat?: R.Stat }> {
    const mode = opts.mode ?? CreateMode.PERSISTENT;
    const serverPath = this.server(path, isSequential(mode));
    const acl = opts.acl ?? OPEN_ACL_UNSAFE;
    if (acl.length === 0) throw new ZkError(Code.INVALIDACL, path);
    const base = { path: serverPath, data, acl, flags: mode };
    let res: { path: string; stat?: R.Stat };
    if (isTTL(mode)) {
      const ttl = BigInt(opts.ttl ?? 0);
      if (ttl <= 0n || ttl > MAX_TTL)
        throw new InvalidArgumentError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
      res = await this.req(Op.createTTL, { ...base, ttl }, path);
    } else {
      if (opts.ttl !== undefined) throw new InvalidArgumentError('ttl is only valid for the TTL create modes');
      if (mode === CreateMode.CONTAINER) res = await this.req(Op.createContainer, base, path);
      else if (withStat) res = await this.req(Op.create2, base, path);
      else res = await this.req(Op.create, base, path);
    }
    return { ...res, path: this.session.chroot.toClient(res.path) };
  }

  async delete(path: string, version = -1): Promise<void> {
    // Java sends delete("/") unprefixed, so it fails the same way with or without a chroot.
    validatePath(path);
    const serverPath = path === '/' ? '/' : this.session.chroot.toServer(path);
    await this.req(Op.delete, { path: serverPath, version }, path);
  }

  /** The node's Stat, or null if it does not exist (a watch is still set on a missing node). */
  async exists(path: string, watch?: WatchArg): Promise<R.Stat | null> {
    const serverPath = this.server(path);
    const w = this.watcherOf(watch);
    const res = await this.call(
      Op.exists,
      (wr) => encodeRecord(wr, R.ExistsRequest, { path: serverPath, watch: !!w }),
      (r) => decodeRecord(r, R.ExistsResponse),
      path,
      w ? { kind: 'exists', path: serverPath, watcher: w } : undefined,
      Code.NONODE,
    );
    if (!res || res.stat.czxid === -1n) return null;
    return res.stat;
  }

  async getData(path: string, watch?: WatchArg): Promise<{ data: Buffer | null; stat: R.Stat }> {
    const serverPath = this.server(path);
    const w = this.watcherOf(watch);
    return this.req(
      Op.getData,
      { path: serverPath, watch: !!w },
      path,
      w ? { kind: 'data', path: serverPath, watcher: w } : undefined,
    );
  }

  async setData(path: string, data: Buffer | null, version = -1): Promise<R.Stat> {
    return (await this.req(Op.setData, { path: this.server(path), data, version }, path)).stat;
  }

  async getACL(path: string): Promise<{ acl: R.ACL[]; stat: R.Stat }> {
    return this.req(Op.getACL, { path: this.server(path) }, path);
  }

  async setACL(path: string, acl: R.ACL[], version = -1): Promise<R.Stat> {
    if (acl.length === 0) throw new ZkError(Code.INVALIDACL, path);
    return (await this.req(Op.setACL, { path: this.server(path), acl, version }, path)).stat;
  }

  /** getChildren (8): names only, in the server's (unsorted) order. */
  async getChildren(path: string, watch?: WatchArg): Promise<string[]> {
    const serverPath = this.server(path);
    const w = this.watcherOf(watch);
    return (
      await this.req(
        Op.getChildren,
        { path: serverPath, watch: !!w },
        path,
        w ? { kind: 'child', path: serverPath, watcher: w } : undefined,
      )
    ).children;
  }

  /** getChildren2 (12): names and the parent's Stat. */
  async getChildren2(path: string, watch?: WatchArg): Promise<{ children: string[]; stat: R.Stat }> {
    const serverPath = this.server(path);
    const w = this.watcherOf(watch);
    return this.req(
      Op.getChildren2,
      { path: serverPath, watch: !!w },
      path,
      w ? { kind: 'child', path: serverPath, watcher: w } : undefined,
    );
  }

  async sync(path: string): Promise<void> {
    await this.req(Op.sync, { path: this.server(path) }, path);
  }

  /** An atomic transaction. On failure it throws the first error, with every op's code in `results`. */
  async multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    if (ops.length === 0) return [];
    const encoded = ops.map((op) => this.encodeMultiOp(op));
    const results = (await this.call(
      Op.multi,
      (w) => writeMulti(w, encoded),
      (r) => readMulti(r, (p) => this.toClientPath(p)),
    ))!;
    const failed = results.find((r) => r.type === 'error' && r.err !== 0);
    if (failed && failed.type === 'error') {
      const e = errorFor(failed.err);
      e.results = results.map((r) => ({ err: r.type === 'error' ? r.err : 0 }));
      throw e;
    }
    return results;
  }

  /**
   * multiRead (22): independent reads; each result is a value or an error entry, never a throw.
   * `pathsChecked`: the caller built every path from names the server listed (a walk below a checked root), so
   * the client skips checking them again (~3% of an `ls -R`).
   */
  async multiRead(ops: readonly ReadOp[], opts: MultiReadOptions = {}): Promise<MultiResult[]> {
    if (ops.length === 0) return [];
    // Paths are checked before anything is sent. Both requests are {path, watch}, written here without
    // an object per op: a walk sends millions.
    const paths = this.serverPaths(
      ops.map((op) => op.path),
      opts,
    );
    return (await this.call(
      Op.multiRead,
      (w) => {
        for (let i = 0; i < ops.length; i++) {
          const code = ops[i]!.type === 'getChildren' ? Op.getChildren.code : Op.getData.code;
          w.multiHeader(code).ustring(paths[i]).boolean(false);
        }
        w.multiEnd();
      },
      (r) => readMulti(r, (p) => this.toClientPath(p)),
    ))!;
  }

  /**
   * getChildren of many paths in one multiRead (3.6+), for walks: per path the names (unsorted) or the error
   * code, with no object per result. `pathsChecked` as in multiRead.
   */
  async listChildren(paths: readonly string[], opts: MultiReadOptions = {}): Promise<ListingsAt> {
    // Nothing asked: the zxid is the last the session saw.
    if (paths.length === 0) return { lists: [], bytes: 0, zxid: this.session.lastZxid };
    const server = this.serverPaths(paths, opts);
    return (await this.call(
      Op.multiRead,
      (w) => {
        for (const p of server) w.multiHeader(Op.getChildren.code).ustring(p).boolean(false);
        w.multiEnd();
      },
      (r, zxid) => ({ ...readListings(r), zxid }),
    ))!;
  }

  /** Client paths as the server's: checked (unless the caller built them from listed names), chroot applied. */
  private serverPaths(paths: readonly string[], opts: MultiReadOptions): string[] {
    const chroot = this.session.chroot;
    return opts.pathsChecked ? paths.map((p) => chroot.toServer(p)) : paths.map((p) => this.server(p));
  }

  private encodeMultiOp(op: MultiOp): { code: number; write: (w: JuteWriter) => void } {
    switch (op.type) {
      case 'create': {
        const mode = op.mode ?? CreateMode.PERSISTENT;
        const path = this.server(op.path, isSequential(mode));
        const data = op.data ?? null;
        const acl = op.acl ?? OPEN_ACL_UNSAFE;
        if (isTTL(mode))
          return {
            code: Op.createTTL.code,
            write: (w) =>
              encodeRecord(w, R.CreateTTLRequest, { path, data, acl, flags: mode, ttl: BigInt(op.ttl ?? 0) }),
          };
        const code = mode === CreateMode.CONTAINER ? Op.createContainer.code : Op.create.code;
        return { code, write: (w) => writeCreate(w, path, data, acl, mode) };
      }
      case 'delete': {
        const path = this.server(op.path);
        return {
          code: Op.delete.code,
          write: (w) => encodeRecord(w, R.DeleteRequest, { path, version: op.version ?? -1 }),
        };
      }
      case 'setData': {
        const path = this.server(op.path);
        return {
          code: Op.setData.code,
          write: (w) => encodeRecord(w, R.SetDataRequest, { path, data: op.data, version: op.version ?? -1 }),
        };
      }
      case 'check': {
        const path = this.server(op.path);
        return {
          code: Op.check.code,
          write: (w) => encodeRecord(w, R.CheckVersionRequest, { path, version: op.version }),
        };
      }
    }
  }

  /** The server's path for a client path (the chroot prefixed). */
  toServerPath(clientPath: string): string {
    return this.session.chroot.toServer(clientPath);
  }

  /** @internal strips the chroot from a server path. */
  toClientPath(serverPath: string): string {
    return this.session.chroot.toClient(serverPath);
  }

  /** The dynamic configuration (/zookeeper/config, never chrooted). */
  async getConfig(watch?: WatchArg): Promise<{ data: Buffer | null; stat: R.Stat }> {
    const w = this.watcherOf(watch);
    const path = '/zookeeper/config';
    return this.req(Op.getData, { path, watch: !!w }, path, w ? { kind: 'data', path, watcher: w } : undefined);
  }

  /** reconfig (16): incremental (joining/leaving) or non-incremental (newMembers). */
  async reconfig(
    joining: string | null,
    leaving: string | null,
    newMembers: string | null,
    fromConfig = -1n,
  ): Promise<{ data: Buffer | null; stat: R.Stat }> {
    return this.req(
      Op.reconfig,
      {
        joiningServers: joining,
        leavingServers: leaving,
        newMembers,
        curConfigId: fromConfig,
      },
      undefined,
    );
  }

  /** checkWatches (17): NoWatcher unless a watch of that type exists on the server. */
  async checkWatches(path: string, type: number): Promise<void> {
    await this.req(Op.checkWatches, { path: this.server(path), type }, path);
  }

  /**
   * Removes every watch of a type on a path (zkCli removewatches). With `local`, only the client's
   * tables are cleared and nothing is sent. Removed watchers receive a ...WatchRemoved event.
   */
  async removeWatches(path: string, type: number, local = false): Promise<void> {
    const serverPath = this.server(path);
    const tables = WATCHER_TABLES[type];
    if (!tables) throw new InvalidArgumentError(`unknown watcher type: ${type}`);
    let state: number = KeeperState.SyncConnected;
    if (!local) {
      await this.req(Op.removeWatches, { path: serverPath, type }, path);
    } else if (!tables.some((t) => this.session.watches.has(t, serverPath))) {
      throw new ZkError(Code.NOWATCHER, path);
    } else if (!this.session.isConnected) {
      state = KeeperState.Disconnected;
    }
    for (const { table, watchers } of this.session.watches.remove(serverPath, tables)) {
      this.session.deliver(watchers, { type: REMOVED_EVENT[table], state, path, zxid: -1n });
    }
  }

  /**
   * Takes one watcher off a path (Java's removeWatches with a watcher): other watchers on the path keep
   * theirs. A persistent watch left with no watcher is removed on the server too; one-shot watches are
   * left to fire (they cost the server nothing once they have).
   */
  async removeWatcher(path: string, watcher: Watcher): Promise<void> {
    const emptied = this.session.watches.removeWatcher(this.server(path), watcher);
    if (!this.session.isConnected) return;
    for (const t of emptied) {
      const type =
        t === 'persistent' ? WatcherType.Persistent : t === 'persistentRecursive' ? WatcherType.PersistentRecursive : 0;
      if (type) await this.req(Op.removeWatches, { path: this.server(path), type }, path).catch(() => undefined);
    }
  }

  /** addWatch (106): a persistent or persistent-recursive watch; succeeds on a missing node too. */
  async addWatch(path: string, mode: number, watcher: WatchArg = true): Promise<void> {
    const serverPath = this.server(path);
    const w = this.watcherOf(watcher)!;
    if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE)
      throw new InvalidArgumentError(`unknown addWatch mode: ${mode}`);
    const kind = mode === AddWatchMode.PERSISTENT ? 'persistent' : 'persistentRecursive';
    await this.req(Op.addWatch, { path: serverPath, mode }, path, { kind, path: serverPath, watcher: w });
  }

  /** This session's ephemerals whose server path starts with `prefix` (not chrooted, as in Java). */
  async getEphemerals(prefix = '/'): Promise<string[]> {
    return (await this.req(Op.getEphemerals, { prefixPath: prefix }, prefix)).ephemerals;
  }

  /** Number of all descendants, not counting the node itself. */
  async getAllChildrenNumber(path: string): Promise<number> {
    return (await this.req(Op.getAllChildrenNumber, { path: this.server(path) }, path)).totalNumber;
  }

  /** getChildren without a watch, with its reply's zxid (see countBelow). */
  async childrenAt(path: string): Promise<{ children: string[]; zxid: bigint }> {
    return (await this.call(
      Op.getChildren,
      (w) => encodeRecord(w, Op.getChildren.request, { path: this.server(path), watch: false }),
      (r, zxid) => ({
        children: decodeRecord<typeof Op.getChildren.response>(r, Op.getChildren.response).children,
        zxid,
      }),
      path,
    ))!;
  }

  /**
   * getAllChildrenNumber with its reply's zxid: the last transaction the server had applied when it counted (a
   * walk compares it with its listings' to know the tree did not change in between).
   */
  async countBelow(path: string): Promise<{ count: number; zxid: bigint }> {
    return (await this.call(
      Op.getAllChildrenNumber,
      (w) => encodeRecord(w, Op.getAllChildrenNumber.request, { path: this.server(path) }),
      (r, zxid) => ({
        count: decodeRecord<typeof Op.getAllChildrenNumber.response>(r, Op.getAllChildrenNumber.response).totalNumber,
        zxid,
      }),
      path,
    ))!;
  }

  /**
   * Nodes in the server's whole tree, whatever the chroot: getAllChildrenNumber of the server's root, which the
   * server answers from its node table's size (below any other node it scans the whole table). Its errors name
   * no path: "/" would be the chroot's, or blame the root for a walk of another node.
   */
  async serverNodeCount(): Promise<number> {
    return (await this.req(Op.getAllChildrenNumber, { path: '/' })).totalNumber;
  }

  async whoAmI(): Promise<R.ClientInfo[]> {
    return (await this.req(Op.whoAmI, {})).clientInfo;
  }

  /** Adds credentials (replayed after reconnects). Bad credentials end the session with AuthFailed. */
  addAuth(scheme: string, auth: Buffer | string): Promise<void> {
    return this.session.addAuth(scheme, typeof auth === 'string' ? Buffer.from(auth, 'utf8') : auth);
  }

  /** The digest ACL id for user:password, as the server computes it. */
  static digest(userPassword: string): string {
    return digestId(userPassword);
  }
}
