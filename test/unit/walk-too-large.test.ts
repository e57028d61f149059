import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MultiResult, ReadOp } from '../../src/zk/client.js';
import { TooLargeError } from '../../src/zk/errors.js';
import { LIST_REQUEST_BUDGET, subtreePaths, type ChildLister } from '../../src/tree/walk.js';
import { fakeStat } from '../helpers/stat.js';

/** /r with `n` leaves; multiRead refuses (as the client does a request over jute.maxbuffer) more than `most` paths. */
function refusingLister(n: number, most: number): { lister: ChildLister; refused: () => number } {
  const kids = Array.from({ length: n }, (_, i) => `n${String(i).padStart(3, '0')}`);
  const list = (p: string): string[] => (p === '/r' ? [...kids] : []);
  let refused = 0;
  const lister: ChildLister = {
    getChildren: async (p) => list(p),
    multiRead: async (ops: readonly ReadOp[]): Promise<MultiResult[]> => {
      if (ops.length > most) {
        refused++;
        throw new TooLargeError(undefined, 2_000_000, 1_048_575, true);
      }
      return ops.map((o) => ({ type: 'getChildren', children: list(o.path) }));
    },
  };
  return { lister, refused: () => refused };
}

describe('walk: a batch refused as too large', () => {
  it('is asked again in smaller batches even when the walk was handing over a batch (no hang)', async () => {
    // The refusal lands while the consumer holds a batch: the walk has taken its next node (in the refused
    // batch) but not started waiting for it. Its request was forgotten with the others and never made again.
    const { lister, refused } = refusingLister(40, 4);
    const got: string[] = [];
    const walk = (async (): Promise<void> => {
      for await (const p of subtreePaths(lister, '/r')) {
        if (typeof p === 'string') got.push(p);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`walk hung after ${got.length} paths`)), 5000);
    });
    try {
      await Promise.race([walk, hang]);
    } finally {
      clearTimeout(timer);
    }
    assert.ok(refused() > 0, 'a batch was refused');
    assert.deepEqual(got, ['/r', ...Array.from({ length: 40 }, (_, i) => `/r/n${String(i).padStart(3, '0')}`)]);
  });
});

describe('walk: requests of long paths', () => {
  for (const data of [false, true])
    it(`keep a batch's path characters within LIST_REQUEST_BUDGET${data ? ' (data: each path twice)' : ''}`, async () => {
      // 200 leaves under a node whose name is 30,000 characters: small listings, so batches are cut by characters.
      const long = `/r/${'x'.repeat(30_000)}`;
      const kids = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(3, '0')}`);
      const list = (p: string): string[] => (p === '/r' ? [long.slice(3)] : p === long ? [...kids] : []);
      let most = 0;
      const lister: ChildLister = {
        getChildren: async (p) => list(p),
        getData: async () => ({ data: null, stat: fakeStat() }),
        multiRead: async (ops: readonly ReadOp[]): Promise<MultiResult[]> => {
          const chars = ops.reduce((n, o) => n + o.path.length, 0);
          if (ops.length > (data ? 2 : 1)) most = Math.max(most, chars);
          return ops.map((o) =>
            o.type === 'getData'
              ? { type: 'getData', data: null, stat: fakeStat() }
              : { type: 'getChildren', children: list(o.path) },
          );
        },
      };
      let n = 0;
      for await (const p of subtreePaths(lister, '/r', { data })) if (typeof p === 'string') n++;
      assert.equal(n, 202);
      assert.ok(most > 0, 'some requests carried several paths');
      assert.ok(most <= LIST_REQUEST_BUDGET, `a request carried ${most} path characters`);
    });
});
