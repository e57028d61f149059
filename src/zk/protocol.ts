import * as R from './jute/records.js';
import type { RecordSchema } from './jute/schema.js';

/** One row per opcode a client may send: wire code, request/response records, first server version. */
export interface OpSpec {
  readonly code: number;
  readonly request: RecordSchema;
  readonly response: RecordSchema;
  readonly since: string;
}

export const Op = {
  create: { code: 1, request: R.CreateRequest, response: R.CreateResponse, since: '3.4' },
  delete: { code: 2, request: R.DeleteRequest, response: R.Empty, since: '3.4' },
  exists: { code: 3, request: R.ExistsRequest, response: R.ExistsResponse, since: '3.4' },
  getData: { code: 4, request: R.GetDataRequest, response: R.GetDataResponse, since: '3.4' },
  setData: { code: 5, request: R.SetDataRequest, response: R.SetDataResponse, since: '3.4' },
  getACL: { code: 6, request: R.GetACLRequest, response: R.GetACLResponse, since: '3.4' },
  setACL: { code: 7, request: R.SetACLRequest, response: R.SetACLResponse, since: '3.4' },
  getChildren: { code: 8, request: R.GetChildrenRequest, response: R.GetChildrenResponse, since: '3.4' },
  sync: { code: 9, request: R.SyncRequest, response: R.SyncResponse, since: '3.4' },
  ping: { code: 11, request: R.Empty, response: R.Empty, since: '3.4' },
  getChildren2: { code: 12, request: R.GetChildren2Request, response: R.GetChildren2Response, since: '3.4' },
  // Only ever a multi sub-op: sent alone, a 3.8 server never replies and the FIFO breaks.
  check: { code: 13, request: R.CheckVersionRequest, response: R.Empty, since: '3.4' },
  multi: { code: 14, request: R.Empty, response: R.Empty, since: '3.4' },
  create2: { code: 15, request: R.CreateRequest, response: R.Create2Response, since: '3.5' },
  reconfig: { code: 16, request: R.ReconfigRequest, response: R.GetDataResponse, since: '3.5' },
  checkWatches: { code: 17, request: R.CheckWatchesRequest, response: R.Empty, since: '3.5' },
  removeWatches: { code: 18, request: R.RemoveWatchesRequest, response: R.Empty, since: '3.5' },
  createContainer: { code: 19, request: R.CreateRequest, response: R.Create2Response, since: '3.5' },
  createTTL: { code: 21, request: R.CreateTTLRequest, response: R.Create2Response, since: '3.5' },
  multiRead: { code: 22, request: R.Empty, response: R.Empty, since: '3.6' },
  auth: { code: 100, request: R.AuthPacket, response: R.Empty, since: '3.4' },
  setWatches: { code: 101, request: R.SetWatches, response: R.Empty, since: '3.4' },
  // SASL tokens travel with normal xids, after the handshake and before anything else (sasl/).
  sasl: { code: 102, request: R.GetSASLRequest, response: R.SetSASLResponse, since: '3.4' },
  getEphemerals: { code: 103, request: R.GetEphemeralsRequest, response: R.GetEphemeralsResponse, since: '3.6' },
  getAllChildrenNumber: {
    code: 104,
    request: R.GetAllChildrenNumberRequest,
    response: R.GetAllChildrenNumberResponse,
    since: '3.6',
  },
  setWatches2: { code: 105, request: R.SetWatches2, response: R.Empty, since: '3.6' },
  addWatch: { code: 106, request: R.AddWatchRequest, response: R.ErrorResponse, since: '3.6' },
  whoAmI: { code: 107, request: R.Empty, response: R.WhoAmIResponse, since: '3.7' },
  closeSession: { code: -11, request: R.Empty, response: R.Empty, since: '3.4' },
} as const satisfies Record<string, OpSpec>;

export type OpName = keyof typeof Op;

/** xids with a fixed meaning; normal requests use 1..2^31-1. */
export const Xid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

/** Permission bits; zkCli prints them in the order c d r w a. */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateModeValue = (typeof CreateMode)[keyof typeof CreateMode];
export const isSequential = (m: number): boolean => m === 2 || m === 3 || m === 6;
export const isTTL = (m: number): boolean => m === 5 || m === 6;

/** Largest TTL the server accepts (40 bits of milliseconds). */
export const MAX_TTL = 0xffffffffffn;

export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;

export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  NoSyncConnected: 1,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;

/** Used by checkWatches/removeWatches; 4 and 5 need a 3.9 server. */
export const WatcherType = { Children: 1, Data: 2, Any: 3, Persistent: 4, PersistentRecursive: 5 } as const;
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

const nameOf = (table: Record<string, number>, v: number): string =>
  Object.keys(table).find((k) => table[k] === v) ?? `Unknown(${v})`;
export const eventTypeName = (v: number): string => nameOf(EventType, v);
export const keeperStateName = (v: number): string => nameOf(KeeperState, v);

export const OPEN_ACL_UNSAFE = [{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }];
export const CREATOR_ALL_ACL = [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }];
export const READ_ACL_UNSAFE = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];
