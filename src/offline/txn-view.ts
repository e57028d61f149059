import picomatch from 'picomatch';
import type { ACL } from '../zk/jute/records.js';
import { ZkError } from '../zk/errors.js';
import { nodeKind, ttlOwner } from './data-tree.js';
import { txnTypeName, type TxnBody, type TxnHeader } from './records.js';
import type { LogRecord } from './txnlog-reader.js';

/** One line of `txnlog`: a transaction, or one operation of a multi (which then shares its zxid). */
export interface TxnEntry {
  time: bigint;
  zxid: bigint;
  session: bigint;
  cxid: number;
  type: string;
  /** Set for the operations of a multi. */
  multi?: true;
  path?: string;
  data?: Buffer | null;
  version?: number;
  acl?: ACL[];
  /** create: persistent, ephemeral, container or ttl. */
  mode?: string;
  ttl?: bigint;
  timeout?: number;
  /** closeSession: the ephemerals it deleted. */
  deleted?: string[];
  /** error: the error's name. */
  err?: string;
}

function fromBody(hdr: TxnHeader, type: number, b: TxnBody, multi: boolean): TxnEntry[] {
  const e: TxnEntry = {
    time: hdr.time,
    zxid: hdr.zxid,
    session: hdr.clientId,
    cxid: hdr.cxid,
    type: txnTypeName(type),
    ...(multi ? { multi: true as const } : {}),
  };
  switch (b.kind) {
    case 'create':
      return [{ ...e, path: b.path, data: b.data, acl: b.acl, mode: b.ephemeral ? 'ephemeral' : 'persistent' }];
    case 'createTTL':
      return [{ ...e, path: b.path, data: b.data, acl: b.acl, mode: nodeKind(ttlOwner(b.ttl)), ttl: b.ttl }];
    case 'createContainer':
      return [{ ...e, path: b.path, data: b.data, acl: b.acl, mode: 'container' }];
    case 'delete':
      return [{ ...e, path: b.path }];
    case 'setData':
      return [{ ...e, path: b.path, data: b.data, version: b.version }];
    case 'setACL':
      return [{ ...e, path: b.path, acl: b.acl, version: b.version }];
    case 'check':
      return [{ ...e, path: b.path, version: b.version }];
    case 'createSession':
      return [{ ...e, timeout: b.timeOut }];
    case 'closeSession':
      return [{ ...e, deleted: b.paths2Delete ?? [] }];
    case 'error':
      return [{ ...e, err: new ZkError(b.err).codeName }];
    case 'multi':
      return b.ops.flatMap((o) => fromBody(hdr, o.type, o.body, true));
  }
}

/** The lines of one logged transaction (a multi gives one per operation). */
export const entriesOf = (r: LogRecord): TxnEntry[] => fromBody(r.hdr, r.hdr.type, r.body, false);

/** A path glob (picomatch): `*` and `?` stay within one component, `**` spans any depth. */
export const globRegExp = (glob: string): RegExp => picomatch.makeRe(glob, { dot: true });

export interface TxnFilter {
  path?: RegExp;
  session?: bigint;
  types?: ReadonlySet<string>;
  from?: { zxid: bigint } | { time: number };
  to?: { zxid: bigint } | { time: number };
}

const after = (e: TxnEntry, b: { zxid: bigint } | { time: number }): boolean =>
  'zxid' in b ? e.zxid >= b.zxid : Number(e.time) >= b.time;
const before = (e: TxnEntry, b: { zxid: bigint } | { time: number }): boolean =>
  'zxid' in b ? e.zxid <= b.zxid : Number(e.time) <= b.time;

/** Whether a line passes the filters. --type multi selects every operation of a multi. */
export function matches(e: TxnEntry, f: TxnFilter): boolean {
  if (f.session !== undefined && e.session !== f.session) return false;
  if (f.types && !f.types.has(e.type) && !(e.multi && f.types.has('multi'))) return false;
  if (f.from && !after(e, f.from)) return false;
  if (f.to && !before(e, f.to)) return false;
  if (f.path) {
    const re = f.path;
    // A closed session deleted its ephemerals: a path filter finds those deletions too.
    if (e.deleted) return e.deleted.some((p) => re.test(p));
    return e.path !== undefined && re.test(e.path);
  }
  return true;
}

/** The transaction is wholly past the --to bound (the log is in zxid order: reading can stop). */
export const pastEnd = (e: TxnEntry, f: TxnFilter): boolean => !!f.to && !before(e, f.to);
