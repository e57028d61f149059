import { emptyStat } from '../../src/offline/data-tree.js';
import type { Stat } from '../../src/zk/jute/records.js';

/** A plain persistent node's stat for fakes, with the fields a test cares about given. */
export const fakeStat = (fields: Partial<Stat> = {}): Stat => ({
  ...emptyStat(),
  czxid: 1n,
  mzxid: 1n,
  pzxid: 1n,
  dataLength: 0,
  numChildren: 0,
  ...fields,
});
