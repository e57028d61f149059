// export and cp read a tree with its data (and ACLs): what they have handed on must be free to collect,
// or a tree of 1 MB nodes holds all of its data until the end (an export of 150 × 1 MB peaked at 480 MB).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { exportLines, newStats } from '../../src/backup/export.js';
import { isFailure, readTreeBatches, type TreeReader } from '../../src/backup/source.js';
import { fakeStat } from '../helpers/stat.js';
import type { Stat } from '../../src/zk/jute/records.js';

// A full collection on demand, without starting node with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const stat = (dataLength: number): Stat => fakeStat({ dataLength });

/** A root with `n` leaves of `size` bytes each; every data buffer handed out is tracked by a WeakRef. */
function fakeTree(n: number, size: number, fast = false): { reader: TreeReader; handedOut: WeakRef<Buffer>[] } {
  const handedOut: WeakRef<Buffer>[] = [];
  // fast: replies in the same turn, so the walk hands on many nodes at once (as from a quick server).
  const later = (): Promise<void> => (fast ? Promise.resolve() : new Promise((r) => setImmediate(r)));
  const reader: TreeReader = {
    getChildren: async (p) => {
      await later();
      return p === '/t' ? Array.from({ length: n }, (_, i) => `n${String(i).padStart(4, '0')}`) : [];
    },
    getData: async () => {
      await later();
      const data = Buffer.alloc(size, 7);
      handedOut.push(new WeakRef(data));
      return { data, stat: stat(size) };
    },
    getACL: async () => {
      await later();
      return { acl: [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }], stat: stat(size) };
    },
  };
  return { reader, handedOut };
}

describe('reading a tree with its data', () => {
  for (const acl of [true, false]) {
    it(`keeps none of the records it has handed on (${acl ? 'with' : 'without'} ACLs)`, async () => {
      const { reader, handedOut } = fakeTree(600, 10_000);
      let consumed = 0;
      let checked = false;
      for await (const batch of readTreeBatches(reader, '/t', { acl, window: 50, windowBytes: 200_000 })) {
        for (const r of batch) assert.ok(!isFailure(r));
        consumed += batch.length;
        if (!checked && consumed >= 500) {
          checked = true;
          gc();
          const alive = handedOut.slice(0, 400).filter((w) => w.deref() !== undefined).length;
          assert.ok(alive <= 5, `${alive} of the first 400 nodes' data still reachable after ${consumed} consumed`);
        }
      }
      assert.ok(checked);
      assert.equal(consumed, 601);
    });
  }

  it('export hands its lines on in pieces of about 256 KB, not a batch of big nodes at once', async () => {
    const { reader } = fakeTree(200, 100_000, true);
    const opts = { acl: false, server: 'fake', zxid: 0n, windowBytes: 64 * 1024 * 1024 };
    let items = 0;
    let largest = 0;
    for await (const item of exportLines(reader, '/t', opts, newStats())) {
      items++;
      largest = Math.max(largest, item.length);
    }
    // 200 lines of ~133 KB (base64): one line past the 256 KB mark at most.
    assert.ok(largest < 256 * 1024 + 140_000, `an item of ${largest} characters`);
    assert.ok(items >= 60, `${items} items`);
  });
});
