import type { MultiOp } from '../zk/client.js';
import type { ACL } from '../zk/jute/records.js';
import { isTTL, OPEN_ACL_UNSAFE } from '../zk/protocol.js';

/** Most ops per multi, and most request bytes (the server's jute.maxbuffer is 1 MiB; keep a margin). */
export const MAX_BATCH_OPS = 1000;
export const MAX_BATCH_BYTES = 900 * 1024;
// Request header (xid, type) and the closing MultiHeader (type, done, err).
export const MULTI_OVERHEAD = 8 + 9;

const str = (s: string): number => 4 + Buffer.byteLength(s);
const aclBytes = (acl: readonly ACL[]): number => acl.reduce((n, a) => n + 4 + str(a.id.scheme) + str(a.id.id), 4);

/** The exact encoded size of an op inside a multi (MultiHeader + its request record). */
export function multiOpBytes(op: MultiOp): number {
  const head = 9;
  switch (op.type) {
    case 'create':
      return (
        head +
        str(op.path) +
        4 +
        (op.data?.length ?? 0) +
        aclBytes(op.acl ?? OPEN_ACL_UNSAFE) +
        4 +
        (isTTL(op.mode ?? 0) ? 8 : 0)
      );
    case 'setData':
      return head + str(op.path) + 4 + (op.data?.length ?? 0) + 4;
    case 'delete':
    case 'check':
      return head + str(op.path) + 4;
  }
}
