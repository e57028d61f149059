// A small smoke benchmark, not a timing target: the pipelined paths must beat the sequential ones on
// the same server, or the pipelining is broken. Full figures come from `npm run bench`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { walkTree } from '../../src/tree/walk.js';
import { connectClient, useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

describe('performance smoke (pipelined vs sequential on the same server)', () => {
  it('pipelined getData and the pipelined tree walk beat strictly sequential requests', async () => {
    const { zk } = await connectClient(env.cluster.connectString);
    await zk.create('/perf', Buffer.from('x'));
    await Promise.all(Array.from({ length: 40 }, (_, i) => zk.create(`/perf/${i}`, null)));
    await Promise.all(Array.from({ length: 2000 }, (_, i) => zk.create(`/perf/${i % 40}/n${i}`, null)));
    const N = 2000;
    let t = performance.now();
    for (let i = 0; i < N; i++) await zk.getData('/perf');
    const sequential = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: N }, () => zk.getData('/perf')));
    const pipelined = performance.now() - t;
    assert.ok(
      pipelined < sequential,
      `pipelined getData ${pipelined.toFixed(0)} ms vs sequential ${sequential.toFixed(0)} ms`,
    );

    t = performance.now();
    const stack = ['/perf'];
    let seqNodes = 0;
    while (stack.length) {
      const p = stack.pop()!;
      seqNodes++;
      for (const c of await zk.getChildren(p)) stack.push(`${p}/${c}`);
    }
    const seqWalk = performance.now() - t;
    t = performance.now();
    let nodes = 0;
    for await (const v of walkTree(zk, '/perf')) {
      void v;
      nodes++;
    }
    const walk = performance.now() - t;
    assert.equal(nodes, seqNodes);
    assert.ok(walk < seqWalk, `walk ${walk.toFixed(0)} ms vs sequential ${seqWalk.toFixed(0)} ms for ${nodes} nodes`);
    process.stderr.write(
      `perf smoke: getData x${N} sequential ${sequential.toFixed(0)} ms, pipelined ${pipelined.toFixed(0)} ms; walk of ${nodes} nodes sequential ${seqWalk.toFixed(0)} ms, pipelined ${walk.toFixed(0)} ms\n`,
    );
    await zk.close();
  });
});
