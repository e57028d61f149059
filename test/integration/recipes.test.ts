import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { shapeErrors } from '../../src/output/json-shape.js';
import { RECIPE_JSON } from '../../src/output/recipe-view.js';
import type { RecipeView } from '../../src/recipes/view.js';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { connectClient, uniquePath, useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';
import { createNodes } from '../helpers/bulk-create.js';

// Each layout is made with our own client exactly as the recipe makes it (sequential ephemeral nodes
// with the recipe's names, one session per participant), then read through bin/zk-shell.
const env = useCluster(1);
let S = '';
const clients: ZooKeeperClient[] = [];
const session = async (): Promise<ZooKeeperClient> => {
  const { zk } = await connectClient(S);
  clients.push(zk);
  return zk;
};
const hex = (zk: ZooKeeperClient): string => `0x${zk.sessionId.toString(16)}`;
const ES = { mode: CreateMode.EPHEMERAL_SEQUENTIAL };
const view = async (cmd: string, path: string): Promise<RecipeView> => {
  const r = await runCli(['-server', S, '--format', 'json', cmd, path]);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as RecipeView;
  assert.deepEqual(shapeErrors(RECIPE_JSON, v), []);
  return v;
};

describe('recipe inspectors', { timeout: 90000 }, () => {
  before(() => {
    S = env.cluster.connectString;
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  });

  it('Curator InterProcessMutex: holder, queue in order, sessions, clients; the next holds once the holder closes', async () => {
    const base = uniquePath('mutex');
    const admin = await session();
    await admin.create(base, null);
    const zks = [await session(), await session(), await session()];
    const nodes: string[] = [];
    // Curator: protected name _c_<uuid>-lock-, the client's IP as data.
    for (const zk of zks) nodes.push(await zk.create(`${base}/_c_${randomUUID()}-lock-`, Buffer.from('127.0.0.1'), ES));
    const names = nodes.map((n) => n.slice(base.length + 1));
    const v = await view('locks', base);
    assert.equal(v.layout, 'curator-mutex');
    assert.deepEqual(v.holders, [names[0]]);
    assert.deepEqual(
      v.participants.map((p) => [p.name, p.role, p.position, p.session]),
      [
        [names[0], 'holder', 0, hex(zks[0]!)],
        [names[1], 'waiting', 1, hex(zks[1]!)],
        [names[2], 'waiting', 2, hex(zks[2]!)],
      ],
    );
    assert.ok(v.participants.every((p) => /^127\.0\.0\.1:\d+$/.test(p.client ?? '') && p.orphan === null));
    assert.equal(v.participants[0]!.data, '127.0.0.1');

    const table = await runCli(['-server', S, 'locks', base]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^${base} \\(curator-mutex\\): held by ${names[0]}; 2 waiting\\n`));

    await zks[0]!.close();
    const after = await view('locks', base);
    assert.deepEqual(after.holders, [names[1]]);
    assert.deepEqual(
      after.participants.map((p) => p.role),
      ['holder', 'waiting'],
    );
  });

  it('plain lock- recipe: a persistent contender and one whose client died are flagged as orphans', async () => {
    const base = uniquePath('plain');
    const zk = await session();
    await zk.create(base, null);
    // A client process that takes the lock and is killed: its session outlives it (30 s timeout).
    const script = `const { ZooKeeperClient } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/zk/client.js', import.meta.url)))});
      const zk = await ZooKeeperClient.connect({ connectString: ${JSON.stringify(S)}, sessionTimeout: 30000 }, 15000);
      await zk.create(${JSON.stringify(`${base}/lock-`)}, null, { mode: 3 });
      process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    process.kill(child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await zk.create(`${base}/lock-`, null, ES);
    await zk.create(`${base}/lock-`, null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
    const v = await view('locks', base);
    assert.equal(v.layout, 'plain-lock');
    assert.deepEqual(
      v.participants.map((p) => p.name),
      ['lock-0000000000', 'lock-0000000001', 'lock-0000000002'],
    );
    assert.match(v.participants[0]!.orphan ?? '', /no connection/);
    assert.equal(v.participants[1]!.orphan, null);
    assert.match(v.participants[2]!.orphan ?? '', /persistent/);
    const t = await runCli(['-server', S, 'locks', base]);
    assert.match(t.stdout, /!! orphan/);
    assert.match(t.stdout, /note: orphaned: lock-0000000000/);
  });

  it('Curator read-write lock and semaphore layouts', async () => {
    const rw = uniquePath('rw');
    const zk = await session();
    await zk.create(rw, null);
    const r1 = await zk.create(`${rw}/_c_${randomUUID()}-__READ__`, null, ES);
    const w = await zk.create(`${rw}/_c_${randomUUID()}-__WRIT__`, null, ES);
    await zk.create(`${rw}/_c_${randomUUID()}-__READ__`, null, ES);
    const v = await view('locks', rw);
    assert.equal(v.layout, 'curator-read-write-lock');
    assert.deepEqual(v.holders, [r1.slice(rw.length + 1)]);
    assert.deepEqual(
      v.participants.map((p) => p.role),
      ['holder (read)', 'waiting (write)', 'waiting (read)'],
    );
    assert.equal(v.participants[1]!.name, w.slice(rw.length + 1));

    const sem = uniquePath('sem');
    await zk.create(sem, null);
    await zk.create(`${sem}/locks`, null);
    await zk.create(`${sem}/leases`, null);
    for (let i = 0; i < 2; i++) await zk.create(`${sem}/leases/_c_${randomUUID()}-lease-`, null, ES);
    const s = await view('locks', sem);
    assert.equal(s.layout, 'curator-semaphore');
    assert.equal(s.holders.length, 2);
    assert.ok(s.participants.every((p) => p.role === 'lease'));
  });

  it('Curator LeaderLatch: the lowest latch leads; after its session closes the next one does', async () => {
    const base = uniquePath('latch');
    const a = await session();
    const b = await session();
    await a.create(base, null);
    await a.create(`${base}/_c_${randomUUID()}-latch-`, Buffer.from('node-a'), ES);
    await b.create(`${base}/_c_${randomUUID()}-latch-`, Buffer.from('node-b'), ES);
    const v = await view('election', base);
    assert.equal(v.layout, 'curator-leader-latch');
    assert.deepEqual(
      v.participants.map((p) => [p.role, p.data, p.session]),
      [
        ['leader', 'node-a', hex(a)],
        ['candidate', 'node-b', hex(b)],
      ],
    );
    await a.close();
    const next = await view('election', base);
    assert.deepEqual(
      next.participants.map((p) => [p.role, p.data]),
      [['leader', 'node-b']],
    );
    assert.deepEqual(next.holders, [next.participants[0]!.name]);
  });

  it('Curator service discovery: instances decoded, per service or for the whole base path', async () => {
    const base = uniquePath('disco');
    const zk = await session();
    for (const p of [base, `${base}/services`, `${base}/services/web`, `${base}/services/api`])
      await zk.create(p, null);
    const inst = (name: string, port: number, id: string): Buffer =>
      Buffer.from(
        JSON.stringify({
          name,
          id,
          address: '10.1.2.3',
          port,
          sslPort: null,
          payload: null,
          registrationTimeUTC: 1700000000000,
          serviceType: 'DYNAMIC',
          uriSpec: null,
        }),
      );
    const id = randomUUID();
    await zk.create(`${base}/services/web/${id}`, inst('web', 8080, id), { mode: CreateMode.EPHEMERAL });
    await zk.create(`${base}/services/api/a1`, inst('api', 9090, 'a1'), { mode: CreateMode.EPHEMERAL });
    const web = await view('members', `${base}/services/web`);
    assert.equal(web.layout, 'curator-discovery');
    assert.deepEqual(web.participants[0]!.instance, {
      service: 'web',
      id,
      address: '10.1.2.3',
      port: 8080,
      sslPort: null,
      registered: '2023-11-14T22:13:20.000Z',
      serviceType: 'DYNAMIC',
      enabled: null,
    });
    assert.equal(web.participants[0]!.session, hex(zk));
    const all = await view('members', `${base}/services`);
    assert.deepEqual(
      all.participants.map((p) => p.instance?.service),
      ['api', 'web'],
    );
    const t = await runCli(['-server', S, '--format', 'table', 'members', `${base}/services`]);
    assert.match(t.stdout, /│ web +│ [0-9a-f-]{36} │ 10\.1\.2\.3 +│ 8080 │/);
  });

  it('a service with 130,000 instances: every one listed, in seconds', { timeout: 120000 }, async () => {
    // Its instances were appended with push(...list), which V8 refuses beyond ~120,000 arguments (exit 70), and
    // each participant was matched to its node by a scan of all nodes (3 minutes once that was mended).
    const base = uniquePath('disco-wide');
    const zk = await session();
    const n = 130_000;
    await createNodes(zk, [
      { path: base },
      { path: `${base}/web` },
      ...Array.from({ length: n }, (_, i) => ({ path: `${base}/web/i${i}` })),
    ]);
    const started = Date.now();
    const v = await view('members', base);
    assert.equal(v.participants.length, n);
    assert.equal(v.participants[0]!.path, `${base}/web/i0`);
    assert.ok(Date.now() - started < 60000, `members took ${Date.now() - started} ms`);
  });

  it('cluster on a standalone server: role standalone, mntr over the four-letter word, exit 0', async () => {
    const r = await runCli(['-server', S, '--format', 'json', 'cluster']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { members: { role: string; via: string[]; watches: number | null }[] };
    assert.equal(doc.members[0]!.role, 'standalone');
    assert.deepEqual(doc.members[0]!.via, ['srvr', 'mntr']);
    assert.equal(typeof doc.members[0]!.watches, 'number');
  });

  it('a path that is no recipe: said so, nobody waiting, plain children not called orphans', async () => {
    const base = uniquePath('norecipe');
    const zk = await session();
    await zk.create(base, null);
    await zk.create(`${base}/config`, Buffer.from('x'));
    await zk.create(`${base}/state`, null);
    for (const cmd of ['locks', 'election']) {
      const v = await view(cmd, base);
      assert.equal(v.layout, cmd === 'locks' ? 'not-a-lock' : 'not-an-election');
      assert.deepEqual(v.holders, []);
      assert.ok(v.participants.every((p) => p.orphan === null && p.position === null));
      const t = await runCli(['-server', S, cmd, base]);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, cmd === 'locks' ? /: free; 0 waiting$/m : /: no leader; 0 other candidates$/m);
      assert.doesNotMatch(t.stdout, /orphan/);
      assert.match(t.stdout, /note: no child has a sequence number/);
    }
  });

  it('a missing path fails with zkCli wording (exit 1); no path is a usage error', async () => {
    const r = await runCli(['-server', S, 'locks', '/no/such/lock']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Node does not exist: \/no\/such\/lock/);
    assert.equal((await runCli(['-server', S, 'election'])).code, 2);
  });
});
