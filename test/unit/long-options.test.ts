import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { longOpt, opt, optionLabel } from '../../src/commands/common.js';
import { UsageError, type CommandSpec } from '../../src/commands/spec.js';
import { parseWith } from '../../src/shell/parse.js';
import { commandHelp } from '../../src/commands/help.js';

// A command with every kind of option the registry allows.
const spec = {
  name: 'probe',
  summary: 'test command',
  usage: '[-s] [--dry-run] [-d|--depth n] [-name glob] path',
  options: {
    stat: opt('s', 'show the stat'),
    dryRun: longOpt('dry-run', 'change nothing'),
    depth: longOpt('depth', 'how deep', { short: 'd', valueName: 'n' }),
    name: longOpt('name', 'glob on the name', { valueName: 'glob', singleDash: true }),
  },
  args: [],
  needsConnection: false,
  help: 'test',
  examples: [],
  json: 'string',
  table: '',
  run: () => Promise.resolve({ type: 'none' }),
} as unknown as CommandSpec;

describe('long options', () => {
  it('parses short, long, single-dash long and negative values, keyed by the spec key', () => {
    const p = parseWith(spec, 'probe', ['-s', '--dry-run', '--depth', '3', '-name', '*.json', '/a']);
    assert.deepEqual(p.options, { stat: true, dryRun: true, depth: '3', name: '*.json' });
    assert.deepEqual(p.args, ['/a']);
    assert.deepEqual(parseWith(spec, 'probe', ['-d', '-1', '/a']).options, { depth: '-1' });
    assert.deepEqual(parseWith(spec, 'probe', ['--depth', '-1', '/a']).options, { depth: '-1' });
    assert.deepEqual(parseWith(spec, 'probe', ['--name=x', '/a']).options, { name: 'x' });
    // find-style option given a negative number: the value, not a placeholder.
    assert.deepEqual(parseWith(spec, 'probe', ['-name', '-1', '/a']).options, { name: '-1' });
  });

  it('an unknown long option is a usage error naming it', () => {
    assert.throws(
      () => parseWith(spec, 'probe', ['--nope', '/a']),
      (e: Error) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, /Unrecognized option: --nope/);
        return true;
      },
    );
  });

  it('help shows each spelling', () => {
    assert.equal(optionLabel(spec.options['depth']!), '-d, --depth <n>');
    const help = commandHelp(spec).join('\n');
    assert.match(help, /^ {2}--dry-run {2}change nothing$/m);
    assert.match(help, /^ {2}-name <glob> {2}glob on the name$/m);
  });
});
