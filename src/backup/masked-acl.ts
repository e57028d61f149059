// Without ADMIN permission on a node, the server answers getACL with the hash of each digest id replaced by
// "x" (user:x). Written back, such an ACL would lock its user out of the node. export records what the server
// gave and fails, naming the nodes; import and cp refuse to write it.
import { Code, ZkError } from '../zk/errors.js';
import type { ACL } from '../zk/jute/records.js';

/** A digest id with its hash masked ("user:x"; a real one ends in 28 characters of base64). */
export const isMaskedDigest = (a: ACL): boolean => a.id.scheme === 'digest' && a.id.id.endsWith(':x');

/** The first masked digest id of a list, if any. */
export const maskedDigest = (acl: readonly ACL[] | undefined): string | undefined => acl?.find(isMaskedDigest)?.id.id;

/** A node whose ACL came back masked: cp leaves it (and its subtree) out rather than write a locked ACL. */
export class MaskedAclError extends ZkError {
  override name = 'MaskedAclError';
  constructor(path: string) {
    super(Code.NOAUTH, path);
  }
  override get cliMessage(): string {
    return `${this.path}: the server masked its digest ACL (no ADMIN permission on it)`;
  }
}
