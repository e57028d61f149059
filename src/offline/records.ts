// The on-disk records of a ZooKeeper data dir (zookeeper.jute, module txn and persistence), as jute schemas.
import { JuteReader, ProtocolError } from '../zk/jute/reader.js';
import { decodeRecord, vector, type Infer, type RecordSchema } from '../zk/jute/schema.js';
import { ACL, type ACL as AclValue } from '../zk/jute/records.js';

const schema = <S extends RecordSchema>(s: S): S => s;

// class FileHeader { int magic; int version; long dbid; }
export const FileHeader = schema({ magic: 'int', version: 'int', dbid: 'long' });
// class TxnHeader { long clientId; int cxid; long zxid; long time; int type; }
export const TxnHeader = schema({ clientId: 'long', cxid: 'int', zxid: 'long', time: 'long', type: 'int' });
// class CreateTxn { ustring path; buffer data; vector<ACL> acl; boolean ephemeral; int parentCVersion; }
export const CreateTxn = schema({
  path: 'ustring',
  data: 'buffer',
  acl: vector(ACL),
  ephemeral: 'boolean',
  parentCVersion: 'int',
});
// class CreateTxnV0 { ustring path; buffer data; vector<ACL> acl; boolean ephemeral; } (3.2 and older)
export const CreateTxnV0 = schema({ path: 'ustring', data: 'buffer', acl: vector(ACL), ephemeral: 'boolean' });
// class CreateTTLTxn { ustring path; buffer data; vector<ACL> acl; int parentCVersion; long ttl; }
export const CreateTTLTxn = schema({
  path: 'ustring',
  data: 'buffer',
  acl: vector(ACL),
  parentCVersion: 'int',
  ttl: 'long',
});
// class CreateContainerTxn { ustring path; buffer data; vector<ACL> acl; int parentCVersion; }
export const CreateContainerTxn = schema({ path: 'ustring', data: 'buffer', acl: vector(ACL), parentCVersion: 'int' });
// class DeleteTxn { ustring path; }
export const DeleteTxn = schema({ path: 'ustring' });
// class SetDataTxn { ustring path; buffer data; int version; }
export const SetDataTxn = schema({ path: 'ustring', data: 'buffer', version: 'int' });
// class CheckVersionTxn { ustring path; int version; }
export const CheckVersionTxn = schema({ path: 'ustring', version: 'int' });
// class SetACLTxn { ustring path; vector<ACL> acl; int version; }
export const SetACLTxn = schema({ path: 'ustring', acl: vector(ACL), version: 'int' });
// class CreateSessionTxn { int timeOut; }
export const CreateSessionTxn = schema({ timeOut: 'int' });
// class CloseSessionTxn { vector<ustring> paths2Delete; }
export const CloseSessionTxn = schema({ paths2Delete: vector('ustring') });
// class ErrorTxn { int err; }
export const ErrorTxn = schema({ err: 'int' });
// class Txn { int type; buffer data; }   class MultiTxn { vector<Txn> txns; }
export const SubTxn = schema({ type: 'int', data: 'buffer' });
export const MultiTxn = schema({ txns: vector(SubTxn) });
// class StatPersisted { long czxid; long mzxid; long ctime; long mtime; int version; int cversion; int aversion;
//                       long ephemeralOwner; long pzxid; }
export const StatPersisted = schema({
  czxid: 'long',
  mzxid: 'long',
  ctime: 'long',
  mtime: 'long',
  version: 'int',
  cversion: 'int',
  aversion: 'int',
  ephemeralOwner: 'long',
  pzxid: 'long',
});

export type TxnHeader = Infer<typeof TxnHeader>;
export type StatPersisted = Infer<typeof StatPersisted>;

/** Opcodes that appear in transaction logs (ZooDefs.OpCode). */
export const TxnType = {
  notification: 0,
  create: 1,
  delete: 2,
  setData: 5,
  setACL: 7,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(TxnType).map(([k, v]) => [v, k]));
export const txnTypeName = (t: number): string => TYPE_NAMES.get(t) ?? `unknown(${t})`;

/** A decoded transaction body; `sub` holds a multi's operations. */
export type TxnBody =
  | { kind: 'create'; path: string; data: Buffer | null; acl: AclValue[]; ephemeral: boolean; parentCVersion: number }
  | { kind: 'createTTL'; path: string; data: Buffer | null; acl: AclValue[]; parentCVersion: number; ttl: bigint }
  | { kind: 'createContainer'; path: string; data: Buffer | null; acl: AclValue[]; parentCVersion: number }
  | { kind: 'delete'; path: string }
  | { kind: 'setData'; path: string; data: Buffer | null; version: number }
  | { kind: 'setACL'; path: string; acl: AclValue[]; version: number }
  | { kind: 'check'; path: string; version: number }
  | { kind: 'createSession'; timeOut: number }
  | { kind: 'closeSession'; paths2Delete: string[] | null }
  | { kind: 'error'; err: number }
  | { kind: 'multi'; ops: { type: number; body: TxnBody }[] };

/** Decodes the record after a TxnHeader (SerializeUtils.deserializeTxn); a trailing TxnDigest is ignored. */
export function decodeTxnBody(type: number, r: JuteReader): TxnBody {
  switch (type) {
    case TxnType.create:
    case TxnType.create2: {
      const start = r.offset;
      try {
        return { kind: 'create', ...decodeRecord(r, CreateTxn) };
      } catch (e) {
        // A create written before parentCVersion existed: -1 asks for the parent's cversion + 1.
        if (!(e instanceof ProtocolError) || type !== TxnType.create) throw e;
        r.offset = start;
        return { kind: 'create', ...decodeRecord(r, CreateTxnV0), parentCVersion: -1 };
      }
    }
    case TxnType.createTTL:
      return { kind: 'createTTL', ...decodeRecord(r, CreateTTLTxn) };
    case TxnType.createContainer:
      return { kind: 'createContainer', ...decodeRecord(r, CreateContainerTxn) };
    case TxnType.delete:
    case TxnType.deleteContainer:
      return { kind: 'delete', ...decodeRecord(r, DeleteTxn) };
    case TxnType.setData:
    case TxnType.reconfig:
      return { kind: 'setData', ...decodeRecord(r, SetDataTxn) };
    case TxnType.setACL:
      return { kind: 'setACL', ...decodeRecord(r, SetACLTxn) };
    case TxnType.check:
      return { kind: 'check', ...decodeRecord(r, CheckVersionTxn) };
    case TxnType.createSession:
      return { kind: 'createSession', ...decodeRecord(r, CreateSessionTxn) };
    case TxnType.closeSession:
      // Before 3.6 a closeSession carried no record; the server then deletes the session's ephemerals.
      return {
        kind: 'closeSession',
        paths2Delete: r.remaining > 0 ? decodeRecord(r, CloseSessionTxn).paths2Delete : null,
      };
    case TxnType.error:
      return { kind: 'error', ...decodeRecord(r, ErrorTxn) };
    case TxnType.multi: {
      const { txns } = decodeRecord(r, MultiTxn);
      return {
        kind: 'multi',
        ops: txns.map((t) => ({
          type: t.type,
          body: decodeTxnBody(t.type, new JuteReader(t.data ?? Buffer.alloc(0))),
        })),
      };
    }
    default:
      throw new ProtocolError(`unsupported transaction type ${type}`);
  }
}
