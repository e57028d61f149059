import fs from 'node:fs';
import path from 'node:path';
import type zlibT from 'node:zlib';
import { builtin } from '../zk/builtin.js';
import { JuteReader, ProtocolError } from '../zk/jute/reader.js';
import { decodeRecord } from '../zk/jute/schema.js';
import { ACL, type ACL as AclValue } from '../zk/jute/records.js';
import { DataTree } from './data-tree.js';
import { adler32, CorruptFileError, FORMAT_VERSION, hexZxid, SNAP_MAGIC } from './integrity.js';
import { FileHeader, StatPersisted } from './records.js';

const zlib = builtin<typeof zlibT>('node:zlib');
/** ZooDefs.Ids.OPEN_ACL_UNSAFE: what ACL id -1 stands for in a snapshot. */
const OPEN_ACL: AclValue[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

export interface SnapshotInfo {
  file: string;
  /** The zxid in the file name: the last transaction applied when the snapshot started. */
  zxid: bigint;
  dbid: bigint;
  /**
   * The snapshot is fuzzy: transactions after `zxid` may be in it. This is the highest zxid known to be
   * in it (the digest's zxid, the serialized lastProcessedZxid, or the highest zxid in any node's stat).
   */
  fuzzyEnd: bigint;
  /** 3.6+: the digest section was present. */
  hasDigest: boolean;
}

/** The zxid in a data-dir file name (`snapshot.1a`, `log.100000001`), or null when it is not one. */
export function zxidFromName(name: string, prefix: 'snapshot' | 'log'): bigint | null {
  const m = new RegExp(`^${prefix}\\.([0-9a-fA-F]+)(\\.(gz|snappy))?$`).exec(name);
  return m ? BigInt(`0x${m[1]}`) : null;
}

function readSnapshotBytes(file: string): Buffer {
  const raw = fs.readFileSync(file);
  if (file.endsWith('.snappy'))
    throw new CorruptFileError(file, 0, 'snappy-compressed snapshots are not supported (gz and plain are)');
  if (!file.endsWith('.gz')) return raw;
  try {
    return zlib().gunzipSync(raw);
  } catch (e) {
    throw new CorruptFileError(file, 0, `not a readable gzip stream (${(e as Error).message})`);
  }
}

/**
 * Reads a snapshot file (FileSnap.deserialize): header, session map, ACL cache, nodes in preorder, the
 * Adler32 seal, then the optional 3.6+ digest and 3.9+ lastProcessedZxid, each with its own seal.
 */
export function readSnapshot(file: string): { tree: DataTree; info: SnapshotInfo } {
  const name = path.basename(file);
  const zxid = zxidFromName(name, 'snapshot');
  if (zxid === null) throw new CorruptFileError(file, 0, 'not a snapshot file name (snapshot.<zxid>)');
  const buf = readSnapshotBytes(file);
  const r = new JuteReader(buf);
  const fail = (reason: string, at = r.offset): never => {
    throw new CorruptFileError(file, at, reason);
  };
  try {
    const hdr = decodeRecord(r, FileHeader);
    if (hdr.magic !== SNAP_MAGIC) fail(`not a ZooKeeper snapshot (magic 0x${(hdr.magic >>> 0).toString(16)})`, 0);
    if (hdr.version !== FORMAT_VERSION) fail(`unsupported snapshot version ${hdr.version}`, 4);
    const tree = new DataTree();
    const sessions = r.int();
    for (let i = 0; i < sessions; i++) tree.sessions.set(r.long(), r.int());
    const acls = new Map<bigint, AclValue[]>();
    const aclCount = r.int();
    for (let i = 0; i < aclCount; i++) {
      const key = r.long();
      acls.set(
        key,
        r.vector((rr) => decodeRecord(rr, ACL)),
      );
    }
    let maxZxid = zxid;
    for (;;) {
      const at = r.offset;
      const p = r.ustring();
      if (p === '/') break;
      const data = r.buffer();
      const aclId = r.long();
      const stat = decodeRecord(r, StatPersisted);
      const acl = aclId === -1n ? OPEN_ACL : acls.get(aclId);
      if (!acl) fail(`node ${p || '/'} refers to ACL ${aclId}, which the snapshot does not hold`, at);
      for (const z of [stat.czxid, stat.mzxid, stat.pzxid]) if (z > maxZxid) maxZxid = z;
      try {
        tree.addLoaded(p === '' ? '/' : p, { data, acl: acl!, stat, children: new Set() });
      } catch (e) {
        fail((e as Error).message, at);
      }
    }
    // The seals hold the running Adler32 of every byte before them (one CheckedInputStream for the file).
    let sum = 1;
    let summed = 0;
    const sumTo = (end: number): number => {
      sum = adler32(buf.subarray(summed, end), sum);
      summed = end;
      return sum;
    };
    checkSeal(r, sumTo(r.offset), fail);
    let hasDigest = false;
    // What follows the seal depends on the server's version and settings: an empty tail (3.5), a digest
    // (zxid, version, digest: 20 bytes + seal), a lastProcessedZxid (8 bytes + seal), or both.
    const SEAL = 8 + 4 + 1;
    if (r.remaining === 20 + SEAL || r.remaining === 20 + SEAL + 8 + SEAL) {
      const start = r.offset;
      const digestZxid = r.long();
      const version = r.int();
      if (version < 2) fail(`unsupported digest version ${version}`, start);
      r.long();
      checkSeal(r, sumTo(r.offset), fail);
      hasDigest = true;
      if (digestZxid > maxZxid) maxZxid = digestZxid;
    }
    if (r.remaining === 8 + SEAL) {
      const last = r.long();
      checkSeal(r, sumTo(r.offset), fail);
      if (last > maxZxid) maxZxid = last;
    }
    if (r.remaining !== 0) fail(`${r.remaining} unexpected bytes after the snapshot`);
    tree.lastZxid = zxid;
    return { tree, info: { file, zxid, dbid: hdr.dbid, fuzzyEnd: maxZxid, hasDigest } };
  } catch (e) {
    if (e instanceof ProtocolError) fail(`truncated or malformed snapshot (${e.message})`);
    throw e;
  }
}

/** SnapStream.checkSealIntegrity: the Adler32 of everything before it, then the string "/". */
function checkSeal(r: JuteReader, expected: number, fail: (reason: string, at?: number) => never): void {
  const at = r.offset;
  const val = r.long();
  if (r.ustring() !== '/') fail('missing end-of-snapshot marker', at);
  if (val !== BigInt(expected))
    fail(`checksum mismatch (stored ${hexZxid(val)}, computed ${hexZxid(BigInt(expected))})`, at);
}
