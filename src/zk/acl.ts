import type crypto from 'node:crypto';
import { InvalidArgumentError } from './errors.js';
import type { ACL } from './jute/records.js';
import { builtin } from './builtin.js';
import { Perms } from './protocol.js';

const loadCrypto = builtin<typeof crypto>('node:crypto');

const LETTERS: readonly [string, number][] = [
  ['c', Perms.CREATE],
  ['d', Perms.DELETE],
  ['r', Perms.READ],
  ['w', Perms.WRITE],
  ['a', Perms.ADMIN],
];

// Every combination of the five bits, built once: ACLs are printed per node (export, getAcl -R).
const PERM_TEXT: readonly string[] = Array.from({ length: 32 }, (_, perms) =>
  LETTERS.filter(([, bit]) => (perms & bit) !== 0)
    .map(([l]) => l)
    .join(''),
);

/** Permission bits → zkCli letters in the order c d r w a. */
export function permsToString(perms: number): string {
  return PERM_TEXT[perms & 31]!;
}

/** zkCli letters → bits. Unlike zkCli, an unknown letter is refused rather than dropped. */
export function parsePerms(s: string): number {
  let perms = 0;
  for (const ch of s) {
    const row = LETTERS.find(([l]) => l === ch);
    if (!row) throw new InvalidArgumentError(`Unknown perm type: ${ch}`);
    perms |= row[1];
  }
  return perms;
}

/**
 * Parses zkCli's ACL string ("scheme:id:perms,scheme:id:perms"). The id may contain colons
 * (digest user:hash, ipv6); perms are after the last colon. Malformed entries are an error: zkCli
 * drops them silently, which has locked operators out of their own nodes.
 */
export function parseAcl(text: string): ACL[] {
  const entries = text.split(',').filter((e) => e.length > 0);
  if (entries.length === 0) throw new InvalidArgumentError(`${text} is not a valid ACL`);
  return entries.map((entry) => {
    const first = entry.indexOf(':');
    const last = entry.lastIndexOf(':');
    if (first < 0 || first === last) throw new InvalidArgumentError(`${entry} does not have the form scheme:id:perm`);
    return {
      id: { scheme: entry.slice(0, first), id: entry.slice(first + 1, last) },
      perms: parsePerms(entry.slice(last + 1)),
    };
  });
}

/** The ACL id the server derives for `addauth digest user:password`. */
export function digestId(userPassword: string): string {
  const user = userPassword.split(':')[0] ?? '';
  // node:crypto is loaded only here: most runs never compute a digest.
  const { createHash } = loadCrypto();
  return `${user}:${createHash('sha1').update(userPassword, 'utf8').digest('base64')}`;
}

const SURROGATE = /[\ud800-\udfff]/;
/**
 * Whether an ACL survives a multi. The server (seen on 3.8.0) re-encodes each op of a multi one UTF-16 unit at
 * a time and decodes it as strict UTF-8, so a character beyond U+FFFF in an ACL id is stored as U+FFFD; a
 * plain create or setACL stores it right. Writers send creates with such an ACL on their own.
 */
export const multiSafeAcl = (acl: readonly ACL[] | undefined): boolean =>
  !acl || !acl.some((a) => SURROGATE.test(a.id.id) || SURROGATE.test(a.id.scheme));
