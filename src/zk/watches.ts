import { Code } from './errors.js';
import { EventType, Op } from './protocol.js';
import * as R from './jute/records.js';
import { encodeRecord } from './jute/schema.js';
import type { JuteWriter } from './jute/writer.js';
import { parentPath } from './path.js';

/** An event delivered to a watcher; `path` is the client path (chroot stripped), null for state events. */
export interface WatchedEvent {
  readonly type: number;
  readonly state: number;
  readonly path: string | null;
  /** The transaction zxid (3.9+ servers); -1 before 3.9 and for client-generated events. */
  readonly zxid: bigint;
}
export type Watcher = (event: WatchedEvent) => void;

export type WatchTable = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';
export const WATCH_TABLES: readonly WatchTable[] = ['data', 'exist', 'child', 'persistent', 'persistentRecursive'];

/** What a request registers when its reply arrives (see the facts sheet, section 17). */
export type WatchRegistration =
  | { kind: 'data' | 'child'; path: string; watcher: Watcher }
  | { kind: 'exists'; path: string; watcher: Watcher }
  | { kind: 'persistent' | 'persistentRecursive'; path: string; watcher: Watcher };

/** Five tables of server path → watchers; one-shot entries are taken when their event arrives. */
export class WatchRegistry {
  private readonly tables: Record<WatchTable, Map<string, Set<Watcher>>> = {
    data: new Map(),
    exist: new Map(),
    child: new Map(),
    persistent: new Map(),
    persistentRecursive: new Map(),
  };

  /** Registers after a reply, following the Java client: exists on NoNode → exist table, on OK → data table. */
  register(reg: WatchRegistration, err: number): void {
    let table: WatchTable | null = null;
    switch (reg.kind) {
      case 'data':
      case 'child':
        if (err === 0) table = reg.kind;
        break;
      case 'exists':
        if (err === 0) table = 'data';
        else if (err === Code.NONODE) table = 'exist';
        break;
      case 'persistent':
      case 'persistentRecursive':
        if (err === 0 || err === Code.NONODE) table = reg.kind;
        break;
    }
    if (table) add(this.tables[table], reg.path, reg.watcher);
  }

  /** Returns the watchers an event from the server should reach, removing one-shot entries. */
  materialize(type: number, serverPath: string): Set<Watcher> {
    const out = new Set<Watcher>();
    const t = this.tables;
    const take = (table: Map<string, Set<Watcher>>): void => {
      const set = table.get(serverPath);
      if (set) {
        for (const w of set) out.add(w);
        table.delete(serverPath);
      }
    };
    const notify = (table: Map<string, Set<Watcher>>, p: string): void => {
      const set = table.get(p);
      if (set) for (const w of set) out.add(w);
    };
    const recursive = (): void => {
      let p = serverPath;
      for (;;) {
        notify(t.persistentRecursive, p);
        if (p === '/') break;
        p = parentPath(p);
      }
    };
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        take(t.data);
        take(t.exist);
        notify(t.persistent, serverPath);
        recursive();
        break;
      case EventType.NodeChildrenChanged:
        // Recursive watchers never see child events, even if the server sends them.
        take(t.child);
        notify(t.persistent, serverPath);
        break;
      case EventType.NodeDeleted:
        take(t.data);
        take(t.exist);
        take(t.child);
        notify(t.persistent, serverPath);
        recursive();
        break;
    }
    return out;
  }

  /** Every distinct watcher registered anywhere (state events go to all of them). */
  allWatchers(): Set<Watcher> {
    const out = new Set<Watcher>();
    for (const name of WATCH_TABLES) for (const set of this.tables[name].values()) for (const w of set) out.add(w);
    return out;
  }

  /** Removes local entries for a path; `tables` selects which. Returns the removed (table, watchers). */
  remove(serverPath: string, tables: readonly WatchTable[]): { table: WatchTable; watchers: Set<Watcher> }[] {
    const out: { table: WatchTable; watchers: Set<Watcher> }[] = [];
    for (const name of tables) {
      const set = this.tables[name].get(serverPath);
      if (set) {
        out.push({ table: name, watchers: set });
        this.tables[name].delete(serverPath);
      }
    }
    return out;
  }

  /** Takes one watcher off a path in every table; returns the tables where no watcher is left for it. */
  removeWatcher(serverPath: string, w: Watcher): WatchTable[] {
    const emptied: WatchTable[] = [];
    for (const name of WATCH_TABLES) {
      const set = this.tables[name].get(serverPath);
      if (!set?.delete(w)) continue;
      if (set.size === 0) {
        this.tables[name].delete(serverPath);
        emptied.push(name);
      }
    }
    return emptied;
  }

  has(table: WatchTable, serverPath: string): boolean {
    return this.tables[table].has(serverPath);
  }

  paths(table: WatchTable): string[] {
    return [...this.tables[table].keys()];
  }

  get size(): number {
    let n = 0;
    for (const name of WATCH_TABLES) n += this.tables[name].size;
    return n;
  }
}

function add(table: Map<string, Set<Watcher>>, path: string, w: Watcher): void {
  let set = table.get(path);
  if (!set) table.set(path, (set = new Set()));
  set.add(w);
}

export interface SetWatchesBatch {
  data: string[];
  exist: string[];
  child: string[];
  persistent: string[];
  persistentRecursive: string[];
}

/**
 * Splits the watch tables into SetWatches batches: paths are added in table order until the batch's
 * summed path length reaches 128 KiB (so a batch may pass it by its last path), as the Java client does.
 */
export function setWatchesBatches(reg: WatchRegistry, limit = 128 * 1024): SetWatchesBatch[] {
  const batches: SetWatchesBatch[] = [];
  const fresh = (): SetWatchesBatch => ({ data: [], exist: [], child: [], persistent: [], persistentRecursive: [] });
  let cur = fresh();
  let size = 0;
  let any = false;
  for (const name of WATCH_TABLES) {
    for (const p of reg.paths(name)) {
      cur[name].push(p);
      any = true;
      size += p.length;
      if (size >= limit) {
        batches.push(cur);
        cur = fresh();
        size = 0;
        any = false;
      }
    }
  }
  if (any) batches.push(cur);
  return batches;
}

/** One SetWatches (or SetWatches2, when persistent watches are in it) request, ready to send. */
export interface SetWatchesPacket {
  opCode: number;
  write: (w: JuteWriter) => void;
}

/** The SetWatches requests that re-register every watch after a reconnect, relative to `relativeZxid`. */
export function setWatchesPackets(reg: WatchRegistry, relativeZxid: bigint): SetWatchesPacket[] {
  return setWatchesBatches(reg).map((b) => {
    const common = {
      relativeZxid,
      dataWatches: b.data.slice(),
      existWatches: b.exist.slice(),
      childWatches: b.child.slice(),
    };
    return b.persistent.length + b.persistentRecursive.length > 0
      ? {
          opCode: Op.setWatches2.code,
          write: (w: JuteWriter) =>
            encodeRecord(w, R.SetWatches2, {
              ...common,
              persistentWatches: b.persistent,
              persistentRecursiveWatches: b.persistentRecursive,
            }),
        }
      : { opCode: Op.setWatches.code, write: (w: JuteWriter) => encodeRecord(w, R.SetWatches, common) };
  });
}
