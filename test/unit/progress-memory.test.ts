// ls -R, find, grep, du, count and tree pass their walk through withProgress: what it has passed on must
// be free to collect, or a walk's memory grows with the tree (a million-node ls -R held ~90 MB of paths).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { withProgress } from '../../src/output/progress.js';

// A full collection on demand, without starting node with --expose-gc.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('withProgress', () => {
  it('keeps none of the items it has passed on', async () => {
    const refs: WeakRef<object>[] = [];
    async function* items(): AsyncGenerator<string[]> {
      for (let i = 0; i < 200; i++) {
        const batch = Array.from({ length: 100 }, (_, j) => `/walk/n${i}/${j}`);
        refs.push(new WeakRef(batch));
        // A reply arrives later, as from a server.
        await new Promise((r) => setImmediate(r));
        yield batch;
      }
    }
    const ac = new AbortController();
    let seen = 0;
    for await (const b of withProgress('test', items(), ac.signal, (x) => x.length)) {
      seen += b.length;
      if (refs.length === 200) {
        gc();
        const alive = refs.slice(0, 190).filter((r) => r.deref() !== undefined).length;
        assert.ok(alive <= 2, `${alive} of 190 earlier batches still reachable`);
      }
    }
    assert.equal(seen, 200 * 100);
  });

  it('Ctrl-C still ends a wait for the next item at once', async () => {
    const ac = new AbortController();
    async function* stalled(): AsyncGenerator<number> {
      yield 1;
      await new Promise(() => undefined);
    }
    const run = (async () => {
      for await (const _ of withProgress('stalled', stalled(), ac.signal)) setImmediate(() => ac.abort());
    })();
    await assert.rejects(run, /stalled interrupted after 1 nodes/);
  });
});
