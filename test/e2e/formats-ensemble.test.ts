// What a standalone server cannot show: reconfig and a non-empty config, and four-letter answers of a
// leader and followers, in --format json (checked against the declared shapes) and table.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findCommand } from '../../src/commands/index.js';
import { shapeErrors } from '../../src/output/json-shape.js';
import { SUPER_AUTH } from '../../src/server/zookeeper-server.js';
import { useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(3, { config: { reconfigEnabled: 'true' } });
let S = '';
const cli = (format: string, ...lines: string[]): ReturnType<typeof runCli> =>
  runCli(['-server', S, '--format', format, ...lines.flatMap((l) => ['-c', l])], {
    env: { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}`, COLUMNS: '80' },
  });

const shapeOf = (name: string): NonNullable<ReturnType<typeof findCommand>>['json'] => findCommand(name)!.json;

describe('--format json and table on an ensemble', () => {
  before(() => {
    S = env.cluster.connectString;
  });

  it('four-letter words of every member fit their shapes', async () => {
    const modes = new Set<unknown>();
    for (const srv of env.cluster.servers) {
      for (const w of ['srvr', 'stat', 'mntr', 'conf', 'cons', 'wchs', 'dump', 'hash', 'dirs']) {
        const r = await runCli(['-server', srv.address, '--format', 'json', w]);
        assert.equal(r.code, 0, `${w}: ${r.stderr}`);
        const doc = JSON.parse(r.stdout) as { values?: Record<string, unknown> };
        assert.deepEqual(shapeErrors(shapeOf('4lw'), doc), [], `${w} on ${srv.address}: ${r.stdout.slice(0, 300)}`);
        if (w === 'srvr') modes.add(doc.values?.['mode']);
        const t = await runCli(['-server', srv.address, '--format', 'table', w], { env: { COLUMNS: '80' } });
        assert.equal(t.code, 0, t.stderr);
        for (const l of t.stdout.split('\n')) assert.ok([...l].length <= 80, `${w}: ${l}`);
      }
    }
    assert.deepEqual([...modes].sort(), ['follower', 'leader']);
  });

  it('config and reconfig: documents of the declared shape, tables of the members', async () => {
    // On the leader, removing a follower: removing the leader or the member the session is on drops it.
    const mode = async (address: string): Promise<unknown> =>
      (
        JSON.parse((await runCli(['-server', address, '--format', 'json', 'srvr'])).stdout) as {
          values: { mode: string };
        }
      ).values.mode;
    const roles = await Promise.all(env.cluster.servers.map(async (srv) => ({ srv, mode: await mode(srv.address) })));
    S = roles.find((r) => r.mode === 'leader')!.srv.address;
    const gone = roles.find((r) => r.mode === 'follower')!.srv.cfg;
    const c = await cli('json', 'config');
    assert.equal(c.code, 0, c.stderr);
    const doc = JSON.parse(c.stdout) as { config: string };
    assert.deepEqual(shapeErrors(shapeOf('config'), doc), []);
    assert.match(doc.config, /^server\.3=/m);
    const r = await cli('json', `reconfig -remove ${gone.id}`);
    assert.equal(r.code, 0, r.stderr);
    const rdoc = JSON.parse(r.stdout) as { config: string };
    assert.deepEqual(shapeErrors(shapeOf('reconfig'), rdoc), []);
    assert.doesNotMatch(rdoc.config, new RegExp(`^server\\.${gone.id}=`, 'm'));
    const t = await cli(
      'table',
      `reconfig -add server.${gone.id}=127.0.0.1:${gone.peerPort}:${gone.electionPort};127.0.0.1:${gone.clientPort}`,
    );
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, new RegExp(`^│ server\\.${gone.id} +│ 127\\.0\\.0\\.1:`, 'm'));
    const ct = await cli('table', 'config -s');
    assert.match(ct.stdout, /^│ server\.1 +│/m);
    assert.match(ct.stdout, /^│ version +│ [0-9a-f]+ +│$/m);
    assert.match(ct.stdout, /^│ dataVersion +│/m);
  });
});
