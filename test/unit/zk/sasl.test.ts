import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestMd5Exchange, digestResponse, parseDirectives } from '../../../src/zk/sasl/digest-md5.js';
import { gssServiceName, servicePrincipal } from '../../../src/zk/sasl/gssapi.js';
import { JaasError, jaasLogin, parseJaas } from '../../../src/zk/sasl/jaas.js';
import { saslProperties } from '../../../src/cli/sasl-config.js';

// RFC 2831 section 4, the IMAP example: the only published test vector for DIGEST-MD5.
const rfc = {
  username: 'chris',
  password: 'secret',
  realm: 'elwood.innosoft.com',
  nonce: 'OA6MG9tEQGm2hh',
  cnonce: 'OA6MHXh6VqTrRk',
  nc: '00000001',
  digestUri: 'imap/elwood.innosoft.com',
  utf8: false,
};

describe('DIGEST-MD5', () => {
  it('computes the RFC 2831 example response and rspauth', () => {
    assert.equal(digestResponse(rfc), 'd388dad90d4bbd760a152321f2143af7');
    assert.equal(digestResponse(rfc, true), 'ea40f60335c427b5527b84dbabcdfffd');
  });

  it('hashes strings that fit ISO 8859-1 as ISO 8859-1 even with charset=utf-8 (RFC 2831 2.1.2.1, as Java)', () => {
    const latin = { ...rfc, password: 'sécret' };
    assert.equal(digestResponse({ ...latin, utf8: true }), digestResponse({ ...latin, utf8: false }));
    const greek = { ...rfc, password: 'σecret' };
    assert.notEqual(digestResponse({ ...greek, utf8: true }), digestResponse({ ...greek, utf8: false }));
  });

  it('parses directives with quotes, escapes and repeated keys', () => {
    const d = parseDirectives(
      'realm="a",realm="b\\"c", nonce="n,1",qop="auth,auth-int",charset=utf-8,algorithm=md5-sess',
    );
    assert.deepEqual(d.get('realm'), ['a', 'b"c']);
    assert.deepEqual(d.get('nonce'), ['n,1']);
    assert.deepEqual(d.get('charset'), ['utf-8']);
    assert.throws(() => parseDirectives('nonce="open'), /unterminated/);
  });

  it('answers the RFC challenge as the RFC does and checks the server proof', async () => {
    const x = new DigestMd5Exchange('chris', 'secret', rfc.cnonce, rfc.digestUri);
    assert.equal((await x.initial()).length, 0);
    const challenge = Buffer.from(
      'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8',
    );
    const response = (await x.step(challenge))!.toString();
    assert.match(response, /response=d388dad90d4bbd760a152321f2143af7/);
    assert.match(response, /username="chris"/);
    assert.match(response, /digest-uri="imap\/elwood.innosoft.com"/);
    assert.doesNotMatch(response, /secret/);
    assert.equal(await x.step(Buffer.from('rspauth=ea40f60335c427b5527b84dbabcdfffd')), null);
  });

  it('refuses a server whose rspauth is wrong, a missing challenge, and a required security layer', async () => {
    const x = new DigestMd5Exchange('chris', 'secret', rfc.cnonce, rfc.digestUri);
    await x.step(Buffer.from('realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess'));
    await assert.rejects(x.step(Buffer.from('rspauth=00000000000000000000000000000000')), /does not know the password/);
    await assert.rejects(new DigestMd5Exchange('u', 'p').step(null), /no DIGEST-MD5 challenge/);
    await assert.rejects(
      new DigestMd5Exchange('u', 'p').step(Buffer.from('nonce="x",qop="auth-conf",algorithm=md5-sess')),
      /security layer/,
    );
  });
});

const DIGEST = 'org.apache.zookeeper.server.auth.DigestLoginModule';
const KRB5 = 'com.sun.security.auth.module.Krb5LoginModule';
const IBM = 'com.ibm.security.auth.module.Krb5LoginModule';

describe('JAAS file', () => {
  const text = `
    /* zkCli's client login */
    Client {
      org.apache.zookeeper.server.auth.DigestLoginModule required
      username="bob"
      password="p;a\\"ss";   // quoted: ; and " inside
    };
    Kerb {
      com.sun.security.auth.module.Krb5LoginModule required
      useKeyTab=true keyTab="/etc/zk.keytab" storeKey=true useTicketCache=false
      principal="zkcli@EXAMPLE.COM";
    };
    Cache { com.sun.security.auth.module.Krb5LoginModule required useTicketCache=true; };
  `;
  it('reads DIGEST-MD5 and Kerberos sections as zkCli does', () => {
    const s = parseJaas(text);
    assert.deepEqual(jaasLogin(s, 'Client'), { mechanism: 'DIGEST-MD5', username: 'bob', password: 'p;a"ss' });
    assert.deepEqual(jaasLogin(s, 'Kerb'), {
      mechanism: 'GSSAPI',
      principal: 'zkcli@EXAMPLE.COM',
      keyTab: '/etc/zk.keytab',
    });
    assert.deepEqual(jaasLogin(s, 'Cache'), { mechanism: 'GSSAPI' });
  });
  it('says what is wrong, without quoting values', () => {
    assert.throws(() => jaasLogin(parseJaas(text), 'Other'), /no section "Other" \(found: Client, Kerb, Cache\)/);
    assert.throws(
      () => parseJaas('Client { M required username="x" password="secret" };'),
      (e: Error) =>
        e instanceof JaasError &&
        /^line 1, column 52: missing ";" after the options of a login module$/.test(e.message),
    );
    assert.throws(
      () => parseJaas('Client { M required x= ; };'),
      /JaasError: line 1, column 24: an option has no value$/,
    );
    assert.throws(
      () => jaasLogin(parseJaas(`Client { ${DIGEST} required username="x"; };`), 'Client'),
      /username without password/,
    );
    assert.throws(
      () => jaasLogin(parseJaas(`Client { ${KRB5} required useKeyTab=true principal="p"; };`), 'Client'),
      /needs keyTab/,
    );
  });

  it('a parse error gives line and column, never text from the file (it may be part of an unquoted password)', () => {
    const secretWords = ['my', 'secret', 'pass', 'x;y', 'zz'];
    const bad = [
      `Client {\n  ${DIGEST} required\n  username="bob"\n  password=my secret pass;\n};`,
      `Client { ${DIGEST} required username="bob" password=x;y zz; };`,
      `Client { ${DIGEST} required username="bob" password="unterminated; };`,
    ];
    const expected = [
      /^line 4, column 22: expected "=" after an option name/,
      /^line 1, column \d+: Invalid control flag/,
      /^line 1, column \d+: unterminated quoted value$/,
    ];
    bad.forEach((text, n) =>
      assert.throws(
        () => parseJaas(text),
        (e: Error) => {
          assert.match(e.message, expected[n]!);
          for (const w of secretWords)
            assert.ok(
              !new RegExp(`\\b${w}\\b`).test(e.message.replace(/^line \d+, column \d+: /, '')),
              `${w} in ${e.message}`,
            );
          return true;
        },
      ),
    );
  });

  it('as strict as Java: control flags, one section per name, login modules a ZooKeeper client can load', () => {
    assert.ok(
      parseJaas(`Client { ${DIGEST} REQUIRED username="a" password="b"; };`).get('Client'),
      'flags in any case',
    );
    for (const flag of ['requird', 'mandatory']) {
      assert.throws(
        () => parseJaas(`Client { ${DIGEST} ${flag} username="a" password="b"; };`),
        /JaasError: line 1, column 61: Invalid control flag: use required, requisite, sufficient or optional$/,
      );
    }
    assert.throws(
      () => parseJaas(`Client { ${DIGEST} required username="a" password="b"; };\nClient { ${KRB5} required; };`),
      /JaasError: line 2, column 1: section Client is given twice/,
    );
    const kafka = `KafkaClient { org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b"; };
      Client { org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b"; };
      Zk { ${DIGEST} required username="a" password="b"; };`;
    assert.throws(
      () => jaasLogin(parseJaas(kafka), 'Client'),
      /JaasError: section Client: login module org.apache.kafka.common.security.plain.PlainLoginModule cannot be used by a ZooKeeper client/,
    );
    assert.deepEqual(
      jaasLogin(parseJaas(kafka), 'Zk'),
      { mechanism: 'DIGEST-MD5', username: 'a', password: 'b' },
      'other sections may hold other modules',
    );
    assert.throws(
      () => jaasLogin(parseJaas('Client { Krb5LoginModule required; };'), 'Client'),
      /login module Krb5LoginModule cannot be used/,
    );
  });

  it('Krb5LoginModule booleans are case-insensitive (as Java); a non-boolean is refused; IBM option names', () => {
    const k = (opts: string, module = KRB5): unknown =>
      jaasLogin(parseJaas(`Client { ${module} required ${opts}; };`), 'Client');
    assert.deepEqual(k('useKeyTab=TRUE storeKey=True useTicketCache=FALSE keyTab="/k" principal="p@R"'), {
      mechanism: 'GSSAPI',
      principal: 'p@R',
      keyTab: '/k',
    });
    assert.deepEqual(k('useKeyTab=false keyTab="/k"'), { mechanism: 'GSSAPI' });
    assert.throws(
      () => k('useKeyTab=yes keyTab="/k" principal="p"'),
      /JaasError: section Client: useKeyTab must be true or false$/,
    );
    assert.throws(() => k('storeKey=1'), /storeKey must be true or false/);
    assert.deepEqual(k('principal="p@R" useKeytab="file:///etc/zk.keytab" credsType=initiator', IBM), {
      mechanism: 'GSSAPI',
      principal: 'p@R',
      keyTab: '/etc/zk.keytab',
    });
    assert.deepEqual(k('useCcache="file:/tmp/cc" useDefaultCcache=false', IBM), {
      mechanism: 'GSSAPI',
      ticketCache: '/tmp/cc',
    });
  });
});

describe('Kerberos service principal', () => {
  it('is zookeeper/<canonical host>, as zkCli derives it, unless configured', async () => {
    assert.equal(await servicePrincipal({ host: '127.0.0.1', port: 2181 }, {}), 'zookeeper/localhost');
    assert.equal(
      await servicePrincipal({ host: '127.0.0.1', port: 2181 }, { canonicalize: false }),
      'zookeeper/127.0.0.1',
    );
    assert.equal(await servicePrincipal({ host: 'localhost', port: 2181 }, { serviceName: 'zk' }), 'zk/localhost');
    assert.equal(
      await servicePrincipal({ host: 'x', port: 1 }, { serverPrincipal: 'zk/h.example@R' }),
      'zk/h.example@R',
    );
    assert.equal(gssServiceName('zookeeper/localhost@EXAMPLE.COM'), 'zookeeper@localhost');
    assert.equal(gssServiceName('zookeeper/localhost'), 'zookeeper@localhost');
  });
  it('honours the client-configuration properties', () => {
    const p = saslProperties({
      'zookeeper.server.principal': 'zk/a@B',
      'zookeeper.sasl.client.username': 'zk',
      'zookeeper.sasl.client.canonicalize.hostname': 'false',
      'zookeeper.sasl.clientconfig': 'Other',
      'zookeeper.sasl.client': 'false',
    });
    assert.deepEqual(p, {
      enabled: false,
      section: 'Other',
      gss: { serverPrincipal: 'zk/a@B', serviceName: 'zk', canonicalize: false },
    });
    assert.deepEqual(saslProperties({}), { enabled: true, section: 'Client', gss: {} });
  });
});
