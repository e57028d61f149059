import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commandHelp } from '../../src/commands/help.js';
import { commands } from '../../src/commands/index.js';
import { renderManPage } from '../../src/doc/man.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

describe('command registry', () => {
  it('every command is documented: summary, usage, help, examples, option descriptions', () => {
    for (const c of commands) {
      assert.ok(c.summary.length > 5, `${c.name} summary`);
      assert.ok(c.help.length > 20, `${c.name} help`);
      assert.ok(c.examples.length > 0, `${c.name} examples`);
      for (const [k, o] of Object.entries(c.options))
        assert.ok(
          o.description.length > 3 && (o.short?.length === 1 || (o.long?.length ?? 0) > 1),
          `${c.name} option ${k}`,
        );
    }
  });

  it('commands that ask for confirmation show -y in their usage line', () => {
    const asking = commands.filter((c) => Object.values(c.options).some((o) => o.short === 'y'));
    assert.deepEqual(asking.map((c) => c.name).sort(), ['deleteall', 'setAcl']);
    for (const c of asking) assert.match(commandHelp(c).join('\n'), /^usage: \S+ .*\[-y\]/m, c.name);
  });

  it('every command module under src/commands is registered', () => {
    const helpers = new Set(['spec.ts', 'index.ts', 'common.ts', 'quota-util.ts', 'secret-source.ts']);
    const files = fs
      .readdirSync(path.join(REPO_ROOT, 'src', 'commands'))
      .filter((f) => f.endsWith('.ts') && !helpers.has(f));
    assert.equal(files.length, commands.length, `${files.length} command files, ${commands.length} registered`);
  });

  it('covers every zkCli 3.9 command name', () => {
    const names = new Set(commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
    for (const n of [
      'connect',
      'close',
      'quit',
      'history',
      'redo',
      'printwatches',
      'addauth',
      'config',
      'create',
      'delete',
      'deleteall',
      'delquota',
      'get',
      'getAcl',
      'getAllChildrenNumber',
      'getEphemerals',
      'listquota',
      'ls',
      'reconfig',
      'removewatches',
      'set',
      'setAcl',
      'setquota',
      'stat',
      'sync',
      'version',
      'whoami',
      'addWatch',
      'ls2',
      'rmr',
      'exit',
    ]) {
      assert.ok(names.has(n), n);
    }
  });
});

describe('modules', () => {
  it('every module loads on its own (no import cycle depends on load order)', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.js')) files.push(p);
      }
    };
    walk(path.join(REPO_ROOT, 'dist', 'src'));
    assert.ok(files.length > 50);
    // One process imports each module in a fresh context (a worker per module would be slower to start).
    const script = `for (const f of ${JSON.stringify(files)}) { const r = await import('node:child_process').then((c) => c.spawnSync(process.execPath, ['--input-type=module', '-e', 'await import(' + JSON.stringify(f) + ')'], { encoding: 'utf8' })); if (r.status !== 0) { console.log(f + ': ' + r.stderr.split('\\n').find((l) => /Error/.test(l))); } }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.stdout, '', r.stdout);
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('man page', () => {
  const file = path.join(REPO_ROOT, 'man', 'zk-shell.1');

  it('is up to date with the specs (run npm run gen:man)', () => {
    assert.equal(fs.readFileSync(file, 'utf8'), renderManPage());
  });

  it('documents every command and exit code', () => {
    const text = fs.readFileSync(file, 'utf8');
    for (const c of commands) assert.ok(text.includes(`.B ${c.name.replace(/-/g, '\\-')}`), c.name);
    for (const code of ['0', '1', '2', '3', '4', '5', '70', '127', '130'])
      assert.match(text, new RegExp(`^\\.B ${code}$`, 'm'));
  });

  it('renders without warnings on an 80-column terminal', () => {
    // What man(1) runs at 80 columns: nroff output, 78n line length (man-db leaves groff's default).
    const r = spawnSync('groff', ['-t', '-man', '-Tutf8', '-rLL=78n', '-ww', '-z', file], { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'groff must be installed (Debian: groff-base)');
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
  });
});
