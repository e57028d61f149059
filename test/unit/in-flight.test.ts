import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InFlight } from '../../src/tree/in-flight.js';

describe('InFlight', () => {
  it('a feeding loop never has more than max running, resumes as tasks end, and idle waits for the last', async () => {
    const running = new InFlight(3);
    let live = 0;
    let most = 0;
    let done = 0;
    for (let i = 0; i < 50; i++) {
      live++;
      most = Math.max(most, live);
      // Some fail: their outcome is the caller's, the count still drops.
      const task = new Promise<void>((resolve, reject) =>
        setTimeout(() => {
          live--;
          done++;
          if (i % 7 === 0) reject(new Error('no'));
          else resolve();
        }, i % 4),
      );
      task.catch(() => undefined);
      running.add(task);
      await running.room();
      assert.ok(running.size < 3);
    }
    await running.idle();
    assert.equal(running.size, 0);
    assert.equal(done, 50);
    assert.equal(most, 3);
  });

  it('room and idle resolve at once when there is room', async () => {
    const running = new InFlight(2);
    await running.room();
    await running.idle();
    running.add(Promise.resolve());
    assert.equal(running.size, 1);
    await running.room();
    await running.idle();
    assert.equal(running.size, 0);
  });
});
