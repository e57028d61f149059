// `watch` through bin/zk-shell: exact event sequences for changes scripted with a second client, in
// every mode (persistent, recursive, one-shot re-armed), JSON Lines, --count, --timeout and Ctrl-C.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { LiveCli } from '../helpers/live-cli.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1);
let zk: ZooKeeperClient;
const live: LiveCli[] = [];

const start = async (args: string[]): Promise<LiveCli> => {
  const cli = new LiveCli(['-server', env.cluster.connectString, ...args]);
  live.push(cli);
  await cli.waitFor(/^watching .*; Ctrl-C stops$|"event":"watching"/m, args.includes('json') ? 'stdout' : 'stderr');
  return cli;
};

/** Makes each change only after the line for the one before it came, so one-shot modes see them all. */
async function stepwise(cli: LiveCli, changes: (() => Promise<unknown>)[]): Promise<void> {
  for (const [i, change] of changes.entries()) {
    await change();
    await cli.waitFor(new RegExp(`^(?:.*\\n){${i + 1}}`));
  }
}

const b = (s: string): Buffer => Buffer.from(s);

describe('watch', () => {
  before(async () => {
    zk = (await connectClient(env.cluster.connectString)).zk;
  });
  after(async () => {
    for (const c of live) c.kill();
    await zk.close();
  });

  for (const oneShot of [false, true]) {
    it(`one node${oneShot ? ' (--one-shot)' : ''}: created, changed, children, deleted`, async () => {
      const p = uniquePath('w1');
      const cli = await start(['watch', '--count', '6', ...(oneShot ? ['--one-shot'] : []), p]);
      assert.match(
        cli.stderr,
        oneShot ? /with one-shot watches, set again after each event/ : /with a persistent watch;/,
      );
      await stepwise(cli, [
        () => zk.create(p, b('v0')),
        () => zk.setData(p, b('v1')),
        () => zk.create(`${p}/c`, null),
        () => zk.delete(`${p}/c`),
        () => zk.delete(p),
        () => zk.create(p, null),
      ]);
      assert.equal(await cli.exited, 0, cli.stderr);
      assert.deepEqual(cli.lines(), [
        `created  ${p}`,
        `changed  ${p}`,
        `children ${p}`,
        `children ${p}`,
        `deleted  ${p}`,
        `created  ${p}`,
      ]);
      assert.match(cli.stderr, /stopped after 6 events \(count\)\n$/);
    });

    it(`a subtree with -R --data${oneShot ? ' --one-shot' : ''}: the nodes below, with their data`, async () => {
      const p = uniquePath('wr');
      await zk.create(p, null);
      await zk.create(`${p}/old`, b('o'));
      const cli = await start(['watch', '-R', '--data', '--count', '6', ...(oneShot ? ['--one-shot'] : []), p]);
      assert.match(cli.stderr, oneShot ? /one-shot watches on every node/ : /with a persistent recursive watch;/);
      await stepwise(cli, [
        () => zk.create(`${p}/a`, b('x')),
        () => zk.create(`${p}/a/b`, null),
        () => zk.setData(`${p}/a/b`, b('say "hi"\n')),
        () => zk.delete(`${p}/a/b`),
        () => zk.setData(`${p}/old`, b('y'.repeat(100))),
        () => zk.delete(`${p}/old`),
      ]);
      assert.equal(await cli.exited, 0, cli.stderr);
      assert.deepEqual(cli.lines(), [
        `created  ${p}/a "x"`,
        `created  ${p}/a/b null`,
        `changed  ${p}/a/b "say \\"hi\\"\\n"`,
        `deleted  ${p}/a/b`,
        `changed  ${p}/old "${'y'.repeat(60)}…" (100 bytes)`,
        `deleted  ${p}/old`,
      ]);
    });
  }

  it('a burst of changes arrives complete and in order on a persistent recursive watch', async () => {
    const p = uniquePath('burst');
    await zk.create(p, null);
    const cli = await start(['watch', '-R', '--count', '40', p]);
    const ops = [];
    for (let i = 0; i < 20; i++) ops.push(zk.create(`${p}/n${i}`, null));
    for (let i = 0; i < 20; i++) ops.push(zk.setData(`${p}/n${i}`, b('v')));
    await Promise.all(ops);
    assert.equal(await cli.exited, 0, cli.stderr);
    const expected = [
      ...Array.from({ length: 20 }, (_, i) => `created  ${p}/n${i}`),
      ...Array.from({ length: 20 }, (_, i) => `changed  ${p}/n${i}`),
    ];
    assert.deepEqual(cli.lines(), expected);
  });

  it('--format json writes JSON Lines: watching, the changes, stopped', async () => {
    const p = uniquePath('wj');
    const cli = await start(['--format', 'json', 'watch', '--count', '2', '--data', p]);
    await zk.create(p, b('{"a":1}'));
    await cli.waitFor(/"created"/);
    await zk.delete(p);
    assert.equal(await cli.exited, 0, cli.stderr);
    const docs = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const d of docs) assert.match(String(d['time']), /^\d{4}-\d\d-\d\dT/);
    const strip = docs.map(({ time: _t, ...rest }) => rest);
    assert.deepEqual(strip, [
      { event: 'watching', path: p, mode: 'persistent' },
      { event: 'created', path: p, data: '{"a":1}', encoding: 'utf8' },
      { event: 'deleted', path: p },
      { event: 'stopped', reason: 'count', events: 2 },
    ]);
    assert.equal(cli.stderr, '');
  });

  it('--timeout ends a quiet watch with exit 0; Ctrl-C (SIGINT) too, and the watch is removed', async () => {
    const p = uniquePath('wt');
    const quiet = await runCli(['-server', env.cluster.connectString, 'watch', '--timeout', '300ms', p]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, '');
    assert.match(quiet.stderr, /stopped after 0 events \(timeout\)\n$/);
    const cli = await start(['watch', '-R', p]);
    await zk.create(p, null);
    await cli.waitFor(/created/);
    cli.signal('SIGINT');
    assert.equal(await cli.exited, 0, cli.stderr);
    assert.match(cli.stderr, /stopped after 1 event \(interrupt\)\n$/);
  });

  it('bad arguments are usage errors (exit 2), before anything is watched', async () => {
    for (const [args, msg] of [
      [['watch', '--timeout', '5x', '/a'], /^--timeout must be a duration such as 500ms, 30s, 5m or 1h, got: 5x$/m],
      [['watch', '--count', '0', '/a'], /^--count must be at least 1$/m],
      [['watch'], /^missing argument: path$/m],
      // A relative path is resolved against the current path (/ here); a malformed one is refused.
      [['watch', '/bad//path'], /Invalid path string/],
    ] as const) {
      const r = await runCli(['-server', env.cluster.connectString, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
  });
});
