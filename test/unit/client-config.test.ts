import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import {
  ClientConfigError,
  ianaToOpenssl,
  javaBoolean,
  parseProperties,
  tlsFromProperties,
} from '../../src/cli/client-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-cfg-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const S = 'zookeeper.ssl.';
/** A real PKCS12 key store (a throwaway self-signed EC key) protected by `pass`. */
const p12 = (pass: string): string => {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, P: pass } });
  };
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'k.pem',
    '-out',
    'c.pem',
    '-days',
    '1',
    '-subj',
    '/CN=t',
  );
  run('pkcs12', '-export', '-in', 'c.pem', '-inkey', 'k.pem', '-out', 'ks.p12', '-passout', 'env:P');
  return path.join(dir, 'ks.p12');
};
const secure = (extra: Record<string, string> = {}): Record<string, string> => ({
  'zookeeper.client.secure': 'true',
  ...extra,
});
const tlsOf = (props: Record<string, string>): { tls: ReturnType<typeof tlsFromProperties>; warnings: string[] } => {
  const warnings: string[] = [];
  return { tls: tlsFromProperties(props, (w) => warnings.push(w)), warnings };
};
const refuses = (props: Record<string, string>, re: RegExp): void => {
  assert.throws(
    () => tlsFromProperties(props),
    (e: unknown) => e instanceof ClientConfigError && re.test(e.message),
  );
};

describe('Java .properties as ZKConfig reads them', () => {
  it('separators, comments, continuations, escapes, trimming', () => {
    const text =
      '# c\n  ! x\na=1\nb : 2\nc 3\nd=multi\\\n    line\r\ne = spaced value   \nf=\\u0041\\tB\nkey\\ with\\ space=v\n' +
      'g=ends in two backslashes\\\\\nh=next\nz=first\nz=last\n';
    assert.deepEqual(parseProperties(text), {
      a: '1',
      b: '2',
      c: '3',
      d: 'multiline',
      e: 'spaced value',
      f: 'A\tB',
      'key with space': 'v',
      g: 'ends in two backslashes\\',
      h: 'next',
      z: 'last',
    });
  });

  it('booleans: true/false in any case, trimmed; anything else is refused (Java reads it as false)', () => {
    for (const v of ['true', 'TRUE', 'True', ' tRuE ']) assert.equal(javaBoolean({ k: v }, 'k', false), true, v);
    for (const v of ['false', 'FALSE', 'False']) assert.equal(javaBoolean({ k: v }, 'k', true), false, v);
    assert.equal(javaBoolean({}, 'k', true), true);
    for (const v of ['yes', '1', 'on', '', 'ture'])
      assert.throws(() => javaBoolean({ k: v }, 'k', false), /k must be true or false/, v);
  });
});

describe('client TLS properties', () => {
  it('zookeeper.client.secure is parsed as Java does (TRUE is on); absent or false is plaintext', () => {
    for (const v of ['true', 'TRUE', 'True', ' true '])
      assert.ok(tlsFromProperties(parseProperties(`zookeeper.client.secure=${v}`)), v);
    assert.equal(tlsFromProperties({}), undefined);
    assert.equal(tlsFromProperties({ 'zookeeper.client.secure': 'FALSE' }), undefined);
    refuses({ 'zookeeper.client.secure': 'yes' }, /zookeeper.client.secure must be true or false/);
  });

  it('zookeeper.clientCnxnSocket: Netty or unset does TLS; NIO with secure is refused (zkCli would go plaintext)', () => {
    assert.ok(
      tlsFromProperties(secure({ 'zookeeper.clientCnxnSocket': 'org.apache.zookeeper.ClientCnxnSocketNetty' })),
    );
    assert.ok(tlsFromProperties(secure({ 'zookeeper.clientCnxnSocket': 'ClientCnxnSocketNetty' })));
    refuses(
      secure({ 'zookeeper.clientCnxnSocket': 'org.apache.zookeeper.ClientCnxnSocketNIO' }),
      /needs zookeeper.clientCnxnSocket=ClientCnxnSocketNetty/,
    );
    refuses({ 'zookeeper.clientCnxnSocket': 'com.example.Socket' }, /unknown socket class/);
    assert.equal(tlsFromProperties({ 'zookeeper.clientCnxnSocket': 'ClientCnxnSocketNIO' }), undefined);
  });

  it('warns once per unknown zookeeper.ssl.* key, with the right name for a mis-cased one', () => {
    const { warnings } = tlsOf(
      secure({
        [`${S}keystore.location`]: '/x',
        [`${S}bogus`]: '1',
        [`${S}quorum.keyStore.location`]: '/q',
        [`${S}clientAuth`]: 'need',
        'zookeeper.Client.secure': 'true',
      }),
    );
    assert.deepEqual(warnings, [
      `unknown property ${S}keystore.location ignored (names are case-sensitive: did you mean ${S}keyStore.location?)`,
      `unknown TLS property ${S}bogus ignored`,
      'unknown property zookeeper.Client.secure ignored (names are case-sensitive: did you mean zookeeper.client.secure?)',
    ]);
  });

  it('store settings without zookeeper.client.secure=true: one warning that the connection is not encrypted', () => {
    const { tls, warnings } = tlsOf({ [`${S}trustStore.location`]: '/ca.pem', [`${S}trustStore.type`]: 'PEM' });
    assert.equal(tls, undefined);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /trustStore.location and 1 more TLS settings ignored: zookeeper.client.secure is not true/,
    );
  });

  it('settings that cannot be honoured are errors, never ignored', () => {
    refuses(secure({ [`${S}crl`]: 'TRUE' }), /crl=true: certificate revocation/);
    refuses(secure({ [`${S}ocsp`]: 'true' }), /ocsp=true/);
    refuses(secure({ [`${S}context.supplier.class`]: 'com.x.Supplier' }), /SSLContext supplier/);
    refuses(secure({ [`${S}hostnameVerification`]: 'no' }), /hostnameVerification must be true or false/);
    assert.ok(tlsFromProperties(secure({ [`${S}crl`]: 'false', [`${S}ocsp`]: 'FALSE' })));
  });

  it('hostnameVerification: on by default, FALSE (any case) turns it off', () => {
    assert.equal(tlsFromProperties(secure())?.checkServerIdentity, undefined);
    assert.equal(tlsFromProperties(secure({ [`${S}hostnameVerification`]: 'True' }))?.checkServerIdentity, undefined);
    const off = tlsFromProperties(secure({ [`${S}hostnameVerification`]: 'FALSE' }));
    assert.equal(off?.checkServerIdentity?.('evil.example', {} as never), undefined);
  });

  it('protocol picks the context (TLSv1.3 also allows 1.2, as Java); enabledProtocols is the exact list', () => {
    const v = (p: Record<string, string>): [unknown, unknown] => {
      const t = tlsFromProperties(secure(p));
      return [t?.minVersion, t?.maxVersion];
    };
    assert.deepEqual(v({}), [undefined, undefined]);
    assert.deepEqual(v({ [`${S}protocol`]: 'TLSv1.3' }), ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(v({ [`${S}protocol`]: 'TLSv1.2' }), ['TLSv1.2', 'TLSv1.2']);
    assert.deepEqual(v({ [`${S}enabledProtocols`]: 'TLSv1.3' }), ['TLSv1.3', 'TLSv1.3']);
    assert.deepEqual(v({ [`${S}protocol`]: 'TLSv1.3', [`${S}enabledProtocols`]: 'TLSv1.2, TLSv1.3' }), [
      'TLSv1.2',
      'TLSv1.3',
    ]);
    refuses(secure({ [`${S}protocol`]: 'TLSv1.1' }), /protocol TLSv1.1 is not supported/);
    refuses(secure({ [`${S}enabledProtocols`]: 'TLSv1.2,SSLv3' }), /SSLv3 is not supported/);
    refuses(
      secure({ [`${S}protocol`]: 'TLSv1.2', [`${S}enabledProtocols`]: 'TLSv1.3' }),
      /cannot be used with zookeeper.ssl.protocol TLSv1.2/,
    );
  });

  it('ciphersuites: IANA names mapped, unknown names refused, versions limited to the listed suites', () => {
    assert.equal(ianaToOpenssl('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'), 'ECDHE-RSA-AES128-GCM-SHA256');
    assert.equal(ianaToOpenssl('TLS_AES_256_GCM_SHA384'), 'TLS_AES_256_GCM_SHA384');
    const t12 = tlsFromProperties(secure({ [`${S}ciphersuites`]: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }));
    assert.deepEqual([t12?.ciphers, t12?.maxVersion], ['ECDHE-RSA-AES128-GCM-SHA256', 'TLSv1.2']);
    const t13 = tlsFromProperties(secure({ [`${S}ciphersuites`]: 'TLS_AES_128_GCM_SHA256' }));
    assert.deepEqual([t13?.minVersion, t13?.maxVersion], ['TLSv1.3', 'TLSv1.3']);
    refuses(
      secure({ [`${S}ciphersuites`]: 'TLS_AES_128_GCM_SHA256,TLS_NOT_A_SUITE' }),
      /unsupported cipher suite TLS_NOT_A_SUITE/,
    );
    refuses(
      secure({ [`${S}ciphersuites`]: 'TLS_AES_128_GCM_SHA256', [`${S}protocol`]: 'TLSv1.2' }),
      /none of the listed suites/,
    );
  });

  it('store types: the .type property (any case) or the extension; JKS/BCFKS and unknown names are refused without the password', () => {
    const pem = path.join(dir, 'ca.crt');
    fs.writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    assert.ok(tlsFromProperties(secure({ [`${S}trustStore.location`]: pem, [`${S}trustStore.type`]: 'pem' }))?.ca);
    refuses(
      secure({ [`${S}trustStore.location`]: pem }),
      /cannot tell the type of .*ca.crt from its name: set zookeeper.ssl.trustStore.type/,
    );
    refuses(
      secure({ [`${S}trustStore.location`]: pem, [`${S}trustStore.type`]: 'DER' }),
      /trustStore.type must be PEM, PKCS12, JKS or BCFKS/,
    );
    const jks = path.join(dir, 'ks.jks');
    fs.writeFileSync(jks, 'not really jks');
    assert.throws(
      () => tlsFromProperties(secure({ [`${S}keyStore.location`]: jks, [`${S}keyStore.password`]: 'hunter2' })),
      (e: unknown) => /JKS cannot be read here/.test((e as Error).message) && !(e as Error).message.includes('hunter2'),
    );
  });

  it('passwordPath wins over password and loses one trailing line break (X509Util, SecretUtils)', () => {
    const ks = p12(' from file ');
    const pw = path.join(dir, 'pw');
    fs.writeFileSync(pw, ' from file \n');
    const t = tlsFromProperties(
      secure({ [`${S}keyStore.location`]: ks, [`${S}keyStore.password`]: 'inline', [`${S}keyStore.passwordPath`]: pw }),
    );
    assert.equal(t?.passphrase, ' from file ');
    refuses(
      secure({ [`${S}keyStore.location`]: ks, [`${S}keyStore.passwordPath`]: path.join(dir, 'missing') }),
      /cannot read zookeeper.ssl.keyStore.passwordPath/,
    );
  });

  it('key store: a missing file says so first; a wrong password is one line without OpenSSL text or the password', () => {
    refuses(secure({ [`${S}keyStore.location`]: '/nonexist' }), /^key store \/nonexist does not exist$/);
    refuses(secure({ [`${S}trustStore.location`]: '/nonexist.pem' }), /^trust store \/nonexist.pem does not exist$/);
    const ks = p12('right-pass');
    assert.throws(
      () => tlsFromProperties(secure({ [`${S}keyStore.location`]: ks, [`${S}keyStore.password`]: 'wrong-pass-42' })),
      (e: unknown) =>
        e instanceof ClientConfigError &&
        /^cannot read key store .*ks.p12 \(wrong password or not PKCS12\)$/.test(e.message) &&
        !e.message.includes('wrong-pass-42'),
    );
    assert.ok(
      tlsFromProperties(secure({ [`${S}keyStore.location`]: ks, [`${S}keyStore.password`]: 'right-pass' }))?.pfx,
    );
  });
});

describe('client property names zkCli would silently ignore', () => {
  it('a near-miss of zookeeper.client.secure is an error (the user asked for TLS), unless it says false', () => {
    for (const k of [
      'zookeper.client.secure',
      'zookeeper.client.secured',
      'Zookeeper.Client.Secure',
      'zookeeper.clientsecure',
    ]) {
      refuses(
        { [k]: 'true' },
        new RegExp(
          `^${k} is not a property \\(did you mean zookeeper.client.secure\\?\\): refusing to connect without TLS$`,
        ),
      );
    }
    const { tls, warnings } = tlsOf({ 'zookeeper.client.secured': 'false' });
    assert.equal(tls, undefined);
    assert.deepEqual(warnings, [
      'unknown property zookeeper.client.secured ignored (did you mean zookeeper.client.secure?)',
    ]);
  });

  it('warns on near-misses of client keys and unknown zookeeper.client.* keys; server keys pass silently', () => {
    const { warnings } = tlsOf(
      secure({
        'zookeeper.sasl.clientconfg': 'Other',
        'zookeeper.server.Principal': 'zookeeper/x',
        'zookeeper.client.foo': '1',
        'zookeeper.client.portUnification': 'true',
        'zookeeper.sasl.serverconfig': 'Server',
        'zookeeper.snapCount': '1',
        'jute.maxbuffer': '4M',
        'zookeeper.sasl.client': 'false',
        'zookeeper.request.timeout': '5000',
      }),
    );
    assert.deepEqual(warnings, [
      'unknown property zookeeper.sasl.clientconfg ignored (did you mean zookeeper.sasl.clientconfig?)',
      'unknown property zookeeper.server.Principal ignored (names are case-sensitive: did you mean zookeeper.server.principal?)',
      'unknown client property zookeeper.client.foo ignored',
    ]);
  });
});
