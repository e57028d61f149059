import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1, { sasl: { digestUsers: { bob: 'bob-secret', alice: 'alice-pw' }, enforce: true } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-sasl-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text, { mode: 0o600 });
  return f;
};
const jaas = write(
  'client.jaas',
  `
  // as zkCli reads it with -Djava.security.auth.login.config
  Client {
    org.apache.zookeeper.server.auth.DigestLoginModule required
    username="bob"
    password="bob-secret";
  };
  Other { org.apache.zookeeper.server.auth.DigestLoginModule required username="alice" password="alice-pw"; };
`,
);
const zk = (...args: string[]): string[] => ['-server', env.cluster.connectString, ...args];
const noSecret = (s: string): void => {
  for (const secret of ['bob-secret', 'alice-pw', 'wrong-pw'])
    assert.ok(!s.includes(secret), `no password in output: ${s}`);
};

describe('zk-shell with SASL DIGEST-MD5 (server enforces SASL)', () => {
  it('--jaas FILE and ZK_SHELL_JAAS: the Client section; whoami shows the sasl identity', async () => {
    const r = await runCli(zk('--jaas', jaas, 'whoami'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Auth scheme: User\n/);
    assert.match(r.stdout, /^sasl: bob$/m);
    const e = await runCli(zk('whoami'), { env: { ZK_SHELL_JAAS: jaas } });
    assert.match(e.stdout, /^sasl: bob$/m);
  });

  it('zookeeper.sasl.clientconfig in -client-configuration picks another JAAS section', async () => {
    const props = write('client.properties', 'zookeeper.sasl.clientconfig=Other\n');
    const r = await runCli(zk('-client-configuration', props, '--jaas', jaas, 'whoami'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sasl: alice$/m);
  });

  it('--sasl-user with the password from ZK_SHELL_SASL_PASSWORD or --sasl-password-file; sasl ACLs end to end', async () => {
    const bobArgs = ['--sasl-user', 'bob'];
    const bobEnv = { env: { ZK_SHELL_SASL_PASSWORD: 'bob-secret' } };
    const c = await runCli(
      zk(...bobArgs, '-c', 'create /sasl-cli mine', '-c', 'setAcl /sasl-cli sasl:bob:cdrwa', '-c', 'getAcl /sasl-cli'),
      bobEnv,
    );
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, "'sasl,'bob\n: cdrwa\n");
    const pwFile = write('alice.pw', 'alice-pw\n');
    const denied = await runCli(zk('--sasl-user', 'alice', '--sasl-password-file', pwFile, 'get', '/sasl-cli'));
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr, 'Insufficient permission : /sasl-cli\n');
    const ok = await runCli(zk(...bobArgs, 'get', '/sasl-cli'), bobEnv);
    assert.equal(ok.stdout, 'mine\n');
    // The explicit option wins over the environment (a stale exported variable must not log in as bob).
    const both = await runCli(zk('--sasl-user', 'alice', '--sasl-password-file', pwFile, 'whoami'), {
      env: { ZK_SHELL_SASL_PASSWORD: 'wrong-pw' },
    });
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stdout, /^sasl: alice$/m);
  });

  it('a wrong password: one line naming the mechanism, exit 5, at once', async () => {
    const r = await runCli(zk('--sasl-user', 'bob', 'ls', '/'), { env: { ZK_SHELL_SASL_PASSWORD: 'wrong-pw' } });
    assert.equal(r.code, 5);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^Not connected: SASL DIGEST-MD5 authentication as 'bob' failed: the server rejected the credentials \(SESSIONCLOSEDREQUIRESASLAUTH\)\n$/,
      'as the README says for an enforcing server',
    );
    noSecret(r.stderr);
    assert.ok(r.ms < 10000, `no reconnect loop (${r.ms} ms)`);
  });

  it('no credentials against a server that requires SASL: exit 5', async () => {
    const r = await runCli(zk('ls', '/'));
    assert.equal(r.code, 5);
    assert.match(r.stderr, /Session closed because client failed to authenticate/);
  });

  it('set-up errors are usage errors, on one line, without secrets', async () => {
    const noPw = await runCli(zk('--sasl-user', 'bob', 'ls', '/'));
    assert.equal(noPw.code, 2);
    assert.equal(
      noPw.stderr,
      'zk-shell: --sasl-user bob needs a password: set ZK_SHELL_SASL_PASSWORD or use --sasl-password-file FILE (it is never taken on the command line)\n',
    );
    const missing = await runCli(zk('--jaas', path.join(dir, 'nope.jaas'), 'ls', '/'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^zk-shell: cannot read JAAS file .*nope\.jaas: ENOENT\n$/);
    const bad = write(
      'bad.jaas',
      'Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="bob" password="bob-secret" };',
    );
    const b = await runCli(zk('--jaas', bad, 'ls', '/'));
    assert.equal(b.code, 2);
    assert.match(
      b.stderr,
      /^zk-shell: JAAS file .*bad\.jaas: line 1, column 107: missing ";" after the options of a login module\n$/,
    );
    noSecret(b.stderr);
    // An unquoted password with spaces: the error says where, never a word of it.
    const spaced = write(
      'spaced.jaas',
      'Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  username="bob"\n  password=my secret pass;\n};\n',
    );
    const sp = await runCli(zk('--jaas', spaced, 'ls', '/'));
    assert.equal(sp.code, 2);
    assert.match(
      sp.stderr,
      /^zk-shell: JAAS file .*spaced\.jaas: line 4, column 22: expected "=" after an option name \(quote values that hold spaces or ;\{\}="\)\n$/,
    );
    const wrongModule = write(
      'kafka.jaas',
      'Client { org.apache.kafka.common.security.plain.PlainLoginModule required username="bob" password="bob-secret"; };',
    );
    const km = await runCli(zk('--jaas', wrongModule, 'ls', '/'));
    assert.equal(km.code, 2);
    assert.match(
      km.stderr,
      /login module org\.apache\.kafka\.common\.security\.plain\.PlainLoginModule cannot be used by a ZooKeeper client/,
    );
    noSecret(km.stderr);
    const empty = await runCli(zk('--jaas', '', 'ls', '/'));
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--jaas <file>.*a file name is needed\n$/);
    assert.equal(empty.stderr.split('\n').length, 2, empty.stderr);
    const section = await runCli(
      zk(
        '--jaas',
        jaas,
        '-client-configuration',
        write('p2.properties', 'zookeeper.sasl.clientconfig=Nope\n'),
        'ls',
        '/',
      ),
    );
    assert.match(section.stderr, /no section "Nope" \(found: Client, Other\)/);
    const mech = await runCli(zk('--sasl-mechanism', 'PLAIN', 'ls', '/'));
    assert.equal(mech.code, 2);
    assert.match(mech.stderr, /--sasl-mechanism must be DIGEST-MD5 or GSSAPI, got: PLAIN/);
  });

  it('the REPL asks for the --sasl-user password without echo', async () => {
    const sh = new PtyShell(zk('--sasl-user', 'alice', '--history-file', path.join(dir, 'h')), {
      ZK_SHELL_SASL_PASSWORD: '',
    });
    try {
      await sh.waitFor(/SASL password for alice:/);
      sh.write('alice-pw\r');
      await sh.waitFor(/\(CONNECTED\) 0\] $/);
      assert.match(await sh.line('whoami'), /sasl: alice/);
      noSecret(sh.text);
      sh.write('quit\r');
      assert.equal(await sh.exited, 0);
    } finally {
      sh.kill();
    }
  });

  it('REPL: after a wrong password, connect asks for it again (scripts fail at once, above)', async (t) => {
    const sh = new PtyShell(zk('--sasl-user', 'bob', '--history-file', path.join(dir, 'h2')), {
      ZK_SHELL_SASL_PASSWORD: '',
    });
    t.after(() => sh.kill());
    await sh.waitFor(/SASL password for bob:/);
    sh.write('wrong-pw\r');
    await sh.waitFor(/\(AUTH_FAILED\) 0\] $/);
    assert.match(await sh.line('ls /'), /SASL DIGEST-MD5 authentication as 'bob' failed/);
    // Cancelling the new prompt keeps things as they were.
    let from = sh.text.length;
    sh.write('connect\r');
    await sh.waitFor(/SASL password for bob:/, from);
    sh.write('\x03');
    await sh.waitFor(/connect cancelled\n\[zk: [^\n]*\(AUTH_FAILED\) 2\] $/, from);
    // Also after the failed session was closed.
    await sh.line('close');
    from = sh.text.length;
    sh.write('connect\r');
    await sh.waitFor(/SASL password for bob:/, from);
    sh.write('bob-secret\r');
    await sh.waitFor(/\(CONNECTED\) 4\] $/, from);
    assert.match(await sh.line('whoami'), /sasl: bob/);
    noSecret(sh.text);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);
  });
});
