import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigestMd5Exchange, digestResponse, parseDirectives } from '../../../src/zk/sasl/digest-md5.js';
import { gssServiceName, servicePrincipal } from '../../../src/zk/sasl/gssapi.js';
import { JaasError, jaasLogin, parseJaas } from '../../../src/zk/sasl/jaas.js';
import { saslProperties } from '../../../src/cli/sasl-config.js';

// RFC 2831 section 4, the IMAP example: the only published test vector for DIGEST-MD5.
const rfc = {
  username: 'chris', password: 'secret', realm: 'elwood.innosoft.com', nonce: 'OA6MG9tEQGm2hh',
  cnonce: 'OA6MHXh6VqTrRk', nc: '00000001', digestUri: 'imap/elwood.innosoft.com', utf8: false,
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
    const d = parseDirectives('realm="a",realm="b\\"c", nonce="n,1",qop="auth,auth-int",charset=utf-8,algorithm=md5-sess');
    assert.deepEqual(d.get('realm'), ['a', 'b"c']);
    assert.deepEqual(d.get('nonce'), ['n,1']);
    assert.deepEqual(d.get('charset'), ['utf-8']);
    assert.throws(() => parseDirectives('nonce="open'), /unterminated/);
  });

  it('answers the RFC challenge as the RFC does and checks the server proof', async () => {
    const x = new DigestMd5Exchange('chris', 'secret', rfc.cnonce, rfc.digestUri);
    assert.equal((await x.initial()).length, 0);
    const challenge = Buffer.from('realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8');
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
    await assert.rejects(new DigestMd5Exchange('u', 'p').step(Buffer.from('nonce="x",qop="auth-conf",algorithm=md5-sess')), /security layer/);
  });
});

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
    assert.deepEqual(jaasLogin(s, 'Kerb'), { mechanism: 'GSSAPI', principal: 'zkcli@EXAMPLE.COM', keyTab: '/etc/zk.keytab' });
    assert.deepEqual(jaasLogin(s, 'Cache'), { mechanism: 'GSSAPI' });
  });
  it('says what is wrong, without quoting values', () => {
    assert.throws(() => jaasLogin(parseJaas(text), 'Other'), /no section "Other" \(found: Client, Kerb, Cache\)/);
    assert.throws(() => parseJaas('Client { M required username="x" password="secret" };'), (e: Error) => e instanceof JaasError && /missing ";" after the options of M/.test(e.message) && !e.message.includes('secret'));
    assert.throws(() => parseJaas('Client { M required x= ; };'), /option x has no value/);
    assert.throws(() => jaasLogin(parseJaas('Client { M required username="x"; };'), 'Client'), /username without password/);
    assert.throws(() => jaasLogin(parseJaas('Client { a.Krb5LoginModule required useKeyTab=true principal="p"; };'), 'Client'), /needs keyTab/);
  });
});

describe('Kerberos service principal', () => {
  it('is zookeeper/<canonical host>, as zkCli derives it, unless configured', async () => {
    assert.equal(await servicePrincipal({ host: '127.0.0.1', port: 2181 }, {}), 'zookeeper/localhost');
    assert.equal(await servicePrincipal({ host: '127.0.0.1', port: 2181 }, { canonicalize: false }), 'zookeeper/127.0.0.1');
    assert.equal(await servicePrincipal({ host: 'localhost', port: 2181 }, { serviceName: 'zk' }), 'zk/localhost');
    assert.equal(await servicePrincipal({ host: 'x', port: 1 }, { serverPrincipal: 'zk/h.example@R' }), 'zk/h.example@R');
    assert.equal(gssServiceName('zookeeper/localhost@EXAMPLE.COM'), 'zookeeper@localhost');
    assert.equal(gssServiceName('zookeeper/localhost'), 'zookeeper@localhost');
  });
  it('honours the client-configuration properties', () => {
    const p = saslProperties({
      'zookeeper.server.principal': 'zk/a@B', 'zookeeper.sasl.client.username': 'zk',
      'zookeeper.sasl.client.canonicalize.hostname': 'false', 'zookeeper.sasl.clientconfig': 'Other', 'zookeeper.sasl.client': 'false',
    });
    assert.deepEqual(p, { enabled: false, section: 'Other', gss: { serverPrincipal: 'zk/a@B', serviceName: 'zk', canonicalize: false } });
    assert.deepEqual(saslProperties({}), { enabled: true, section: 'Client', gss: {} });
  });
});
