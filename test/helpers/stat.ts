import type { Stat } from '../../src/zk/jute/records.js';

/** A plain persistent node's stat for fakes, with the fields a test cares about given. */
export const fakeStat = (fields: Partial<Stat> = {}): Stat => ({
  czxid: 1n,
  mzxid: 1n,
  ctime: 0n,
  mtime: 0n,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: 0n,
  dataLength: 0,
  numChildren: 0,
  pzxid: 1n,
  ...fields,
});
