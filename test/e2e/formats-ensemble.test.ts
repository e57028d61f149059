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
  runCli(['-server', S, '--format', format, ...lines.flatMap((l) => ['-c', l])], { env: { ZK_SHELL_AUTH: `digest:${SUPER_AUTH}`, COLUMNS: '80' } });

const shapeOf = (name: string): NonNullable<ReturnType<typeof findCommand>>['json'] => findCommand(name)!.json;

describe('--format json and table on an ensemble', () => {
  // Server 1 only: reconfig removes server 3, which closes the sessions connected to it.
  before(() => { S = env.cluster.servers[0]!.address; });

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
    const c = await cli('json', 'config');
    assert.equal(c.code, 0, c.stderr);
    const doc = JSON.parse(c.stdout) as { config: string };
    assert.deepEqual(shapeErrors(shapeOf('config'), doc), []);
    assert.match(doc.config, /^server\.3=/m);
    const r = await cli('json', 'reconfig -remove 3');
    assert.equal(r.code, 0, r.stderr);
    const rdoc = JSON.parse(r.stdout) as { config: string };
    assert.deepEqual(shapeErrors(shapeOf('reconfig'), rdoc), []);
    assert.doesNotMatch(rdoc.config, /^server\.3=/m);
    const s3 = env.cluster.servers[2]!.cfg;
    const t = await cli('table', `reconfig -add server.3=127.0.0.1:${s3.peerPort}:${s3.electionPort};127.0.0.1:${s3.clientPort}`);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^│ server\.3 +│ 127\.0\.0\.1:/m);
    const ct = await cli('table', 'config -s');
    assert.match(ct.stdout, /^│ server\.1 +│/m);
    assert.match(ct.stdout, /^│ version +│ [0-9a-f]+ +│$/m);
    assert.match(ct.stdout, /^│ dataVersion +│/m);
  });

});
