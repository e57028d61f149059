import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { takeEnvAuth } from '../../src/cli/env-auth.js';
import { saveHistory, tightenHistoryFile } from '../../src/repl/history-file.js';
import { isRedacted, redactLine } from '../../src/shell/redact.js';
import { findSecrets } from '../helpers/secret-scan.js';

describe('secrets', () => {
  it('redacts addauth secrets and keeps what is not one (user, variable name, file name)', () => {
    const cases: [string, string][] = [
      ['addauth digest bob:pw', 'addauth digest bob:***'],
      ['addauth   digest "bob:p w"', 'addauth digest bob:***'],
      ['addauth digest bob:p w', 'addauth digest bob:*** ***'],
      ['addauth digest :pw', 'addauth digest ***'],
      // ip, world and x509 auths are no secret: a redacted ip line would ask "Password for ip" on redo.
      ['addauth ip 1.2.3.4', 'addauth ip 1.2.3.4'],
      ['addauth world anyone', 'addauth world anyone'],
      ['addauth myprovider token', 'addauth myprovider ***'],
      ['addauth digest bob', 'addauth digest bob'],
      ['addauth digest bob -E BOB_PW', 'addauth digest bob -E BOB_PW'],
      ['addauth digest bob --password-file /run/pw', 'addauth digest bob --password-file /run/pw'],
      ['addauth digest bob --password-env=BOB_PW', 'addauth digest bob --password-env=BOB_PW'],
      ['addauth digest -secret', 'addauth digest ***'],
      ['admin snapshot -auth "digest root:pw"', 'admin snapshot -auth ***'],
      ['admin snapshot -auth "digest root" -E ROOT_PW', 'admin snapshot -auth "digest root" -E ROOT_PW'],
      ['admin snapshot -auth digest', 'admin snapshot -auth digest'],
      ['admin snapshot -auth "token abc"', 'admin snapshot -auth ***'],
      ['ls /', 'ls /'],
    ];
    for (const [line, shown] of cases) assert.equal(redactLine(line), shown, line);
  });

  it('knows the redacted form when it comes back (redo, Up-arrow)', () => {
    assert.ok(isRedacted('digest', 'bob:***'));
    assert.ok(isRedacted('digest', '***'));
    assert.ok(isRedacted('myprovider', '***'));
    assert.ok(!isRedacted('ip', '***'), 'ip lines are never redacted, so *** there is literal');
    assert.ok(!isRedacted('digest', 'bob:***x'));
    assert.ok(!isRedacted('digest', 'a:b:***'));
    assert.ok(!isRedacted('digest', 'bob:pw'));
  });

  it('ZK_SHELL_AUTH: parsed, removed from the environment, errors never show the value', () => {
    const env: NodeJS.ProcessEnv = { ZK_SHELL_AUTH: 'digest:ann:pw:with:colons' };
    assert.deepEqual(takeEnvAuth(env), [{ scheme: 'digest', auth: 'ann:pw:with:colons' }]);
    assert.equal(env['ZK_SHELL_AUTH'], undefined);
    assert.deepEqual(takeEnvAuth({}), []);
    for (const bad of ['nocolon-secret-1', 'digest:only-secret-2', ':x-secret-3', 'digest:']) {
      assert.throws(
        () => takeEnvAuth({ ZK_SHELL_AUTH: bad }),
        (e: unknown) => /ZK_SHELL_AUTH/.test((e as Error).message) && !(e as Error).message.includes('secret'),
      );
    }
  });

  it('history file: written 0600, an existing 0644 file is tightened with a note', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-hist-'));
    try {
      const f = path.join(dir, 'h');
      fs.writeFileSync(f, 'ls /\n', { mode: 0o644 });
      fs.chmodSync(f, 0o644);
      assert.match(tightenHistoryFile(f)!, /was readable by others \(mode 0644\); it is now 0600/);
      assert.equal(fs.statSync(f).mode & 0o777, 0o600);
      assert.equal(tightenHistoryFile(f), null);
      fs.chmodSync(f, 0o644);
      assert.equal(saveHistory(f, ['addauth digest a:b']), null);
      assert.equal(fs.statSync(f).mode & 0o777, 0o600);
      assert.equal(fs.readFileSync(f, 'utf8'), 'addauth digest a:***\n');
      assert.equal(tightenHistoryFile(path.join(dir, 'missing')), null);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the scan helper finds a secret in raw, JSON, base64 and hex forms', () => {
    const s = 'pw-"scan"-1';
    const found = findSecrets([s], {
      a: `x ${s} y`,
      b: JSON.stringify({ p: s }),
      c: Buffer.from(s).toString('base64'),
      d: Buffer.from(Buffer.from(s).toString('hex')),
      e: 'clean',
    });
    assert.deepEqual(
      found.map((f) => `${f.source}:${f.form}`),
      ['a:raw', 'b:json', 'c:base64', 'd:hex'],
    );
    assert.ok(found.every((f) => !f.context.includes('scan')));
  });
});
