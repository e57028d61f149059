import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { PtyShell } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';
import { assertNoSecrets, fileSource } from '../helpers/secret-scan.js';

const env = useCluster(1);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-secrets-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const UP = '\x1b[A';

/** Output after the echo of the typed line (the terminal echoes what was typed; that is not a leak). */
const afterEcho = (out: string): string => out.slice(out.indexOf('\n') + 1);

describe('digest secrets never reach history, errors or output', () => {
  it('REPL: every way of giving a secret; redo and Up-arrow of a redacted line ask again; 0644 history is tightened', async (t) => {
    const history = path.join(dir, 'repl.history');
    fs.writeFileSync(history, 'ls /\naddauth digest saved:***\n', { mode: 0o644 });
    fs.chmodSync(history, 0o644);
    const pwFile = path.join(dir, 'dave.pw');
    fs.writeFileSync(pwFile, 'pw-file-5\n', { mode: 0o600 });
    // Never typed, so never on the screen at all.
    const hidden = ['pw-zkauth-1', 'pw-prompt-3', 'pw-envopt-4', 'pw-file-5', 'pw-saved-6', 'pw-recall-7', 'pw-redo-8'];
    // Typed on the command line (echoed as typed), so only absent from what zk-shell prints and stores.
    const typed = ['pw-inline-2', 'pw-extra-9'];
    const sh = new PtyShell(['-server', env.cluster.connectString, '--history-file', history], {
      ZK_SHELL_AUTH: 'digest:zkauth:pw-zkauth-1',
      CAROL_PW: 'pw-envopt-4',
    });
    const printed: Record<string, string> = {};
    t.after(() => sh.kill());
    await sh.waitFor(/\(CONNECTED\) 0\] $/);
    assert.match(sh.text, /history file .*repl.history was readable by others \(mode 0644\); it is now 0600/);
    assert.equal(fs.statSync(history).mode & 0o777, 0o600);

    // Up-arrow recalls the saved, redacted line: Enter asks for the password instead of sending "***".
    let from = sh.text.length;
    sh.write(UP);
    await sh.waitFor(/addauth digest saved:\*\*\*$/, from);
    sh.write('\r');
    await sh.waitFor(/the password was not kept in history\n[\s\S]*Password for digest user saved/, from);
    sh.write('pw-saved-6\r');
    await sh.waitFor(/\(CONNECTED\) 1\] $/, from);

    printed['inline'] = afterEcho(await sh.line('addauth digest alice:pw-inline-2'));
    // Live history holds the redacted form too.
    from = sh.text.length;
    sh.write(UP);
    await sh.waitFor(/addauth digest alice:\*\*\*$/, from);
    sh.write('\r');
    await sh.waitFor(/Password for digest user alice/, from);
    sh.write('pw-recall-7\r');
    await sh.waitFor(/\(CONNECTED\) 3\] $/, from);

    from = sh.text.length;
    sh.write('addauth digest bob\r');
    await sh.waitFor(/Password for digest user bob/, from);
    sh.write('pw-prompt-3\r');
    await sh.waitFor(/\(CONNECTED\) 4\] $/, from);
    printed['env'] = afterEcho(await sh.line('addauth digest carol -E CAROL_PW'));
    printed['file'] = afterEcho(await sh.line(`addauth digest dave --password-file ${pwFile}`));
    printed['error'] = afterEcho(await sh.line('addauth digest eve:pw-extra-9 more words'));
    assert.match(printed['error'], /addauth takes one auth argument/);
    printed['missing'] = afterEcho(await sh.line('addauth digest frank -E NO_SUCH_VAR_ZK'));
    assert.match(printed['missing'], /environment variable NO_SUCH_VAR_ZK is not set/);

    // redo of the inline addauth (entry 1) asks as well.
    from = sh.text.length;
    sh.write('redo 1\r');
    await sh.waitFor(/Password for digest user alice/, from);
    sh.write('pw-redo-8\r');
    await sh.waitFor(/\(CONNECTED\) 9\] $/, from);

    printed['history'] = afterEcho(await sh.line('history'));
    assert.match(printed['history'], /1 - addauth digest alice:\*\*\*\n/);
    assert.match(printed['history'], /8 - addauth digest alice:\*\*\*\n/, 'the redo line is recorded without a secret');
    const who = afterEcho(await sh.line('whoami'));
    for (const u of ['zkauth', 'saved', 'alice', 'bob', 'carol', 'dave'])
      assert.match(who, new RegExp(`digest: ${u}\\n`), u);
    assert.doesNotMatch(who, /digest: eve|digest: frank/);
    sh.write('quit\r');
    assert.equal(await sh.exited, 0);

    assertNoSecrets(hidden, { screen: sh.output });
    assertNoSecrets([...hidden, ...typed], { historyFile: fileSource(history), ...printed });
    assert.equal(fs.statSync(history).mode & 0o777, 0o600);
  });

  it('scripts and one-shot runs: env/file ways work, a redacted line is refused, JSON output and errors hold no secret', async () => {
    const pwFile = path.join(dir, 'script.pw');
    fs.writeFileSync(pwFile, 'pw-sfile-2\n');
    const secrets = ['pw-szk-1', 'pw-sfile-2', 'pw-senv-3', 'pw-sinline-4', 'pw-sextra-5'];
    const r = await runCli(
      [
        '-server',
        env.cluster.connectString,
        '--format',
        'json',
        '-c',
        `addauth digest sfile -F ${pwFile}`,
        '-c',
        'addauth digest senv --password-env=S_PW',
        '-c',
        'addauth digest sinline:pw-sinline-4',
        '-c',
        'whoami',
      ],
      { env: { ZK_SHELL_AUTH: 'digest:szk:pw-szk-1', S_PW: 'pw-senv-3' } },
    );
    assert.equal(r.code, 0, r.stderr);
    const ids = (JSON.parse(r.stdout.trim().split('\n').pop()!) as { identities: { user: string }[] }).identities.map(
      (i) => i.user,
    );
    assert.deepEqual(ids.filter((u) => u.startsWith('s')).sort(), ['sfile', 'senv', 'sinline', 'szk'].sort());
    assertNoSecrets(secrets, { stdout: r.stdout, stderr: r.stderr });

    const bad = await runCli(['-server', env.cluster.connectString, '--format', 'json', '-c', 'addauth digest x:***'], {
      env: { ZK_SHELL_AUTH: 'digest:szk:pw-szk-1' },
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\*\*\* stands for a secret that was not kept in history/);
    const extra = await runCli([
      '-server',
      env.cluster.connectString,
      '--format',
      'json',
      'addauth',
      'digest',
      'y:pw-sextra-5',
      'tail',
    ]);
    assert.equal(extra.code, 2);
    // The message names the option that was given (it used to say --password-env for -F).
    const both = await runCli([
      '-server',
      env.cluster.connectString,
      'addauth',
      'digest',
      'u:pw-sextra-5',
      '-F',
      pwFile,
    ]);
    assert.deepEqual([both.code, both.stderr.split('\n')[0]], [2, 'addauth digest USER -F FILE: give the user alone']);
    assertNoSecrets(secrets, { both: both.stdout + both.stderr });
    const noPw = await runCli(['-server', env.cluster.connectString, 'addauth', 'digest', 'z']);
    assert.equal(noPw.code, 2);
    assert.match(noPw.stderr, /no password given/);
    const badEnv = await runCli(['-server', env.cluster.connectString, 'ls', '/'], {
      env: { ZK_SHELL_AUTH: 'digest:pw-szk-1' },
    });
    assert.equal(badEnv.code, 2);
    assert.match(badEnv.stderr, /ZK_SHELL_AUTH=digest:… must be digest:user:password/);
    assertNoSecrets(secrets, {
      bad: bad.stdout + bad.stderr,
      extra: extra.stdout + extra.stderr,
      badEnv: badEnv.stderr,
    });
  });

  it('admin -auth: the secret from -E, -F or ZK_SHELL_AUTH (never the command line), sent as the Authorization header', async (t) => {
    // ZooKeeper 3.8's AdminServer ignores Authorization, so a loopback HTTP endpoint stands in for one
    // that checks it (3.9 snapshot/restore) and records the header zk-shell sends.
    const seen: (string | undefined)[] = [];
    const admin = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json');
      res.end('{"command":"ruok","error":null}');
    });
    await new Promise<void>((r) => admin.listen(0, '127.0.0.1', r));
    t.after(() => admin.close());
    const port = String((admin.address() as net.AddressInfo).port);
    const pwFile = path.join(dir, 'admin.pw');
    fs.writeFileSync(pwFile, 'pw-admin-2\n', { mode: 0o600 });
    const secrets = ['pw-admin-1', 'pw-admin-2', 'pw-admin-3', 'pw-admin-4'];
    const call = (args: string[], env: Record<string, string> = {}) =>
      runCli(['-server', `127.0.0.1:${port}`, 'admin', 'ruok', '-port', port, ...args], { env });

    const ok: [string[], Record<string, string>, string][] = [
      [['-auth', 'digest root', '-E', 'ROOT_PW'], { ROOT_PW: 'pw-admin-1' }, 'digest root:pw-admin-1'],
      [['-auth', 'digest root', '--password-file', pwFile], {}, 'digest root:pw-admin-2'],
      [['-auth', 'digest'], { ZK_SHELL_AUTH: 'digest:root:pw-admin-3' }, 'digest root:pw-admin-3'],
      [['-auth', 'myscheme', '--password-env=TOKEN'], { TOKEN: 'pw-admin-4' }, 'myscheme pw-admin-4'],
    ];
    for (const [args, env, header] of ok) {
      seen.length = 0;
      const r = await call(args, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.deepEqual(seen, [header], args.join(' '));
      assertNoSecrets(secrets, { stdout: r.stdout, stderr: r.stderr });
    }
    seen.length = 0;
    const bad: [string[], Record<string, string>, RegExp][] = [
      [['-auth', 'digest'], {}, /admin: -auth digest needs the auth: .*-E VAR, -F FILE or ZK_SHELL_AUTH=digest:/],
      [['-auth', 'digest'], { ZK_SHELL_AUTH: 'other:pw-admin-3' }, /-auth digest needs the auth/],
      [['-auth', 'digest root'], {}, /no password given/],
      [
        ['-auth', 'digest root:pw-admin-1', '-E', 'ROOT_PW'],
        { ROOT_PW: 'pw-admin-4' },
        /give the -auth secret or -E, not both/,
      ],
      [
        ['-auth', 'digest root', '-F', path.join(dir, 'missing.pw')],
        {},
        /admin: cannot read password file .*missing.pw: ENOENT/,
      ],
      [['-E', 'ROOT_PW'], { ROOT_PW: 'pw-admin-1' }, /give -auth too/],
    ];
    for (const [args, env, re] of bad) {
      const r = await call(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assertNoSecrets(secrets, { stdout: r.stdout, stderr: r.stderr });
    }
    assert.deepEqual(seen, [], 'nothing sent after a usage error');
  });
});
