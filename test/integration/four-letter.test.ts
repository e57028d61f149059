import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminCommand } from '../../src/zk/admin-server.js';
import { fourLetterWord, parseKeyValues, parseMntr } from '../../src/zk/four-letter.js';
import { startCluster } from '../../src/server/zookeeper-server.js';
import { useCluster } from '../helpers/cluster.js';

const env = useCluster(1);

describe('four-letter words and the AdminServer', () => {
  const word = (w: string): Promise<string> => fourLetterWord('127.0.0.1', env.cluster.servers[0]!.cfg.clientPort, w);

  it('ruok, isro, srvr, mntr, conf', async () => {
    assert.equal(await word('ruok'), 'imok');
    assert.equal(await word('isro'), 'rw');
    const srvr = parseKeyValues(await word('srvr'));
    assert.equal(srvr['Mode'], 'standalone');
    assert.match(srvr['Zookeeper version'] ?? '', /^3\.\d+\.\d+/);
    const mntr = parseMntr(await word('mntr'));
    assert.equal(mntr['zk_server_state'], 'standalone');
    assert.equal(typeof mntr['zk_znode_count'], 'number');
    assert.equal(parseKeyValues(await word('conf'))['clientPort'], String(env.cluster.servers[0]!.cfg.clientPort));
  });

  it('every other word answers', async () => {
    for (const w of ['stat', 'cons', 'crst', 'dump', 'envi', 'wchs', 'wchc', 'wchp', 'dirs', 'srst', 'gtmk', 'hash']) {
      const out = await word(w);
      assert.ok(out.length > 0 || w === 'hash', `${w} answered`);
    }
  });

  it('AdminServer commands over HTTP', async () => {
    const port = env.cluster.servers[0]!.cfg.adminPort;
    const ruok = await adminCommand('127.0.0.1', port, 'ruok');
    assert.deepEqual(ruok, { status: 200, body: { command: 'ruok', error: null } });
    const mntr = await adminCommand('127.0.0.1', port, 'mntr');
    assert.equal(mntr.body['command'], 'monitor');
    assert.equal(mntr.body['server_state'], 'standalone');
    const unknown = await adminCommand('127.0.0.1', port, 'nosuch');
    assert.equal(unknown.body['error'], 'Unknown command: nosuch');
  });

  it('a word outside the whitelist gets the server message', async () => {
    const c = await startCluster(1, { config: { '4lw.commands.whitelist': 'srvr' } });
    try {
      const out = await fourLetterWord('127.0.0.1', c.servers[0]!.cfg.clientPort, 'ruok');
      assert.equal(out, 'ruok is not executed because it is not in the whitelist.\n');
    } finally {
      await c.stop();
    }
  });
});
