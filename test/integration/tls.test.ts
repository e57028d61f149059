import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { fourLetterWord } from '../../src/zk/four-letter.js';
import { uniquePath, useCluster } from '../helpers/cluster.js';

const env = useCluster(1, { tls: true });

describe('TLS', () => {
  it('connects, reads and writes with PEM files and a client certificate', async () => {
    const pki = env.cluster.pki!;
    const zk = await ZooKeeperClient.connect(
      {
        connectString: env.cluster.secureConnectString,
        tls: {
          ca: fs.readFileSync(pki.caPem),
          cert: fs.readFileSync(pki.clientPem),
          key: fs.readFileSync(pki.clientKey),
        },
      },
      15000,
    );
    const p = uniquePath('tls');
    await zk.create(p, Buffer.from('secure'));
    assert.equal((await zk.getData(p)).data?.toString(), 'secure');
    const who = await zk.whoAmI();
    assert.ok(
      who.some((w) => w.authScheme === 'x509' && w.user === 'CN=client'),
      JSON.stringify(who),
    );
    await zk.close();
  });

  it('connects with a PKCS#12 client store', async () => {
    const pki = env.cluster.pki!;
    const zk = await ZooKeeperClient.connect(
      {
        connectString: env.cluster.secureConnectString,
        tls: { ca: fs.readFileSync(pki.caPem), pfx: fs.readFileSync(pki.clientP12), passphrase: pki.password },
      },
      15000,
    );
    assert.ok(await zk.exists('/'));
    await zk.close();
  });

  it('a wrong CA fails with a clear certificate error', async () => {
    const pki = env.cluster.pki!;
    await assert.rejects(
      ZooKeeperClient.connect(
        {
          connectString: env.cluster.secureConnectString,
          tls: { ca: fs.readFileSync(pki.otherCaPem) },
        },
        3000,
      ),
      /self[- ]signed certificate|unable to verify|unable to get local issuer/i,
    );
  });

  it('four-letter words work over the TLS port', async () => {
    const pki = env.cluster.pki!;
    const port = env.cluster.servers[0]!.cfg.secureClientPort!;
    assert.equal(await fourLetterWord('127.0.0.1', port, 'ruok', { tls: { ca: fs.readFileSync(pki.caPem) } }), 'imok');
  });
});
