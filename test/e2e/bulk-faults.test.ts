import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, until, useCluster } from '../helpers/cluster.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { runCli } from '../helpers/run-cli.js';
import { kafkaLayout } from '../helpers/shapes.js';

// Every bulk command, with a fault injected mid-run between zk-shell and a real server: afterwards the
// command either completed or says what it did not do, and the server's state agrees with what it said.
const env = useCluster(1);
let zk: ZooKeeperClient;
let proxy: FaultProxy;
let n = 0;

type Fault = 'drop' | 'cut' | 'stall';
const FAULTS: Fault[] = ['drop', 'cut', 'stall'];

/** Runs zk-shell through the proxy (slowed so the fault lands mid-run) and injects the fault. */
async function withFault(fault: Fault, args: string[], input?: string): ReturnType<typeof runCli> {
  proxy.resume();
  proxy.delay(25);
  const before = proxy.forwarded().toClient;
  let finished = false;
  const run = runCli(['-server', proxy.address, '-timeout', '3000', ...args], {
    timeoutMs: 30000,
    ...(input !== undefined ? { input } : {}),
  }).finally(() => {
    finished = true;
  });
  // Strike once the command is under way (replies beyond the handshake), however slow the machine.
  await until(() => finished || proxy.forwarded().toClient - before > 4096, 'the command under way', 20000);
  if (fault === 'drop') proxy.drop();
  else if (fault === 'cut') proxy.cutMidFrame();
  else {
    // Past the read timeout (2 s of 3 s): the client gives up on the connection, then it comes back.
    proxy.stallReplies();
    setTimeout(() => proxy.resume(), 2600);
  }
  const r = await run;
  proxy.delay(0);
  proxy.resume();
  return r;
}

const tree = async (root: string): Promise<string[]> => kafkaLayout(zk, root, { topics: 60, partitions: 8 });
const count = async (root: string): Promise<number> =>
  (await zk.exists(root)) ? (await zk.getAllChildrenNumber(root)) + 1 : 0;

describe('bulk commands under faults (fault proxy)', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
    const [host, port] = env.cluster.connectString.split(':');
    proxy = await startFaultProxy({ host: host!, port: Number(port) });
  });
  after(async () => {
    await proxy.close();
    await zk.close();
  });

  for (const fault of FAULTS) {
    it(`ls -R, ${fault}: complete, or a prefix of the tree and a failure`, { timeout: 60000 }, async () => {
      const root = `/f-ls-${++n}`;
      const paths = await tree(root);
      // JSON under one fault: a listing cut short must say so in the document itself.
      const json = fault === 'cut';
      const r = await withFault(fault, [...(json ? ['--format', 'json'] : []), 'ls', '-R', root]);
      const doc = json ? (JSON.parse(r.stdout) as { paths: string[]; incomplete?: boolean; errors?: unknown[] }) : null;
      const got = doc ? doc.paths : r.stdout.split('\n').slice(0, -1);
      if (r.code === 0) {
        assert.deepEqual(got, paths);
        assert.equal(doc?.incomplete, undefined);
      } else {
        assert.equal(r.code, 3, r.stderr);
        assert.deepEqual(got, paths.slice(0, got.length), 'what was printed is a prefix of the tree');
        if (doc) assert.ok(doc.incomplete === true && (doc.errors?.length ?? 0) > 0, r.stdout.slice(-300));
        else assert.match(r.stderr, /the listing stopped at the error below/);
      }
    });

    it(`setAcl -R, ${fault}: every node changed, or at least as many as it says`, { timeout: 60000 }, async () => {
      const root = `/f-acl-${++n}`;
      const paths = await tree(root);
      const r = await withFault(fault, ['setAcl', '-R', root, 'world:anyone:cdrw']);
      const perms = await Promise.all(paths.map(async (p) => (await zk.getACL(p)).acl[0]!.perms));
      const changed = perms.filter((x) => x === 15).length;
      if (r.code === 0) assert.equal(changed, paths.length);
      else {
        assert.equal(r.code, 3, r.stderr);
        const said =
          /setAcl -R stopped: (\d+) znodes under \S+ were changed before the error(?: \((\d+) more were in requests whose outcome is unknown\))?/.exec(
            r.stderr,
          );
        assert.ok(said, r.stderr);
        const [done, unknown] = [Number(said[1]), Number(said[2] ?? 0)];
        assert.ok(changed >= done && changed <= done + unknown, `changed ${changed}, said ${said[0]}`);
      }
    });

    it(`deleteall, ${fault}: gone, or what remains agrees with what it says`, { timeout: 60000 }, async () => {
      const root = `/f-del-${++n}`;
      const paths = await tree(root);
      const r = await withFault(fault, ['deleteall', root]);
      const left = await count(root);
      if (r.code === 0) assert.equal(left, 0);
      else {
        assert.equal(r.code, 3, r.stderr);
        const said =
          /deleteall stopped: (\d+) znodes under \S+ were deleted(?: \((\d+) more were in requests whose outcome is unknown\))?/.exec(
            r.stderr,
          ) ?? /deleteall stopped while listing/.exec(r.stderr);
        assert.ok(said, r.stderr);
        if (said[1] !== undefined) {
          // It deletes while it lists: what it says went, and what may have, must match what is left.
          const [deleted, unknown, total] = [Number(said[1]), Number(said[2] ?? 0), paths.length];
          assert.ok(left <= total - deleted && left >= total - deleted - unknown, `left ${left}; said ${said[0]}`);
        } else assert.equal(left, paths.length);
      }
    });

    for (const keepGoing of [false, true]) {
      it(
        `a 4000-line script${keepGoing ? ' with --keep-going' : ''}, ${fault}: no line applied twice; what is missing was reported`,
        { timeout: 60000 },
        async () => {
          const root = `/f-script-${++n}`;
          await zk.create(root, null);
          const lines = Array.from({ length: 4000 }, (_, i) => `create -s ${root}/n- line${i + 1}`);
          const r = await withFault(
            fault,
            [...(keepGoing ? ['--keep-going'] : []), '-f', '-'],
            `${lines.join('\n')}\n`,
          );
          const names = await zk.getChildren(root);
          const data = await Promise.all(
            names.map(async (c) => Number((await zk.getData(`${root}/${c}`)).data!.toString().slice(4))),
          );
          assert.equal(new Set(data).size, data.length, 'no line applied twice');
          if (r.code === 0) {
            assert.equal(data.length, 4000);
            return;
          }
          assert.equal(r.code, 3, r.stderr);
          // Lines the report names (as a range); everything else was applied (with --keep-going) or
          // is either applied or after the stop point (without).
          const named = new Set<number>();
          for (const m of r.stderr.matchAll(/lines? (\d+)(?:-(\d+))?[ :(]/g)) {
            for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) named.add(i);
          }
          const applied = new Set(data);
          for (let i = 1; i <= 4000; i++) {
            if (applied.has(i) || named.has(i)) continue;
            assert.ok(
              !keepGoing,
              `line ${i} is neither applied nor reported: ${r.stderr
                .split('\n')
                .filter((l) => !l.startsWith('Created'))
                .join(' | ')}`,
            );
            assert.ok(i > Math.max(...named), `line ${i} before the stop was lost silently`);
          }
        },
      );
    }
  }
});
