import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewriteLegacyArgs } from '../../src/cli/argv.js';
import { decodeInt } from '../../src/commands/redo.js';
import { formatStatsTrack, parseStatsTrack } from '../../src/commands/quota-util.js';
import { connectForm } from '../../src/commands/config.js';
import { parseCommand, UnknownCommandError } from '../../src/shell/parse.js';
import { redactLine } from '../../src/shell/redact.js';
import { tokenize, TokenizeError } from '../../src/shell/tokenize.js';
import { UsageError } from '../../src/commands/spec.js';

describe('tokenize', () => {
  const cases: [string, string[]][] = [
    ['set /x "hello world"', ['set', '/x', 'hello world']],
    ["set /x 'single quoted'", ['set', '/x', 'single quoted']],
    ['set /x a"b c"', ['set', '/x', 'ab c']],
    ['set /x ""', ['set', '/x', '']],
    ["set /x ''", ['set', '/x', '']],
    ['set /x "it\'s"', ['set', '/x', "it's"]],
    ['set /x \'say "hi"\'', ['set', '/x', 'say "hi"']],
    ['set /x "{\\"a\\": 1}"', ['set', '/x', '{"a": 1}']],
    ['set /x back\\ slash', ['set', '/x', 'back slash']],
    ['  ls\t/  ', ['ls', '/']],
    ['set /x "a\\nb"', ['set', '/x', 'a\nb']],
    // A backslash before a line terminator inside double quotes escapes it like any other character.
    ['set /x "a\\\rb"', ['set', '/x', 'a\rb']],
    ['set /x "a\\\u2028b"', ['set', '/x', 'a\u2028b']],
    ['', []],
  ];
  for (const [line, words] of cases) it(JSON.stringify(line), () => assert.deepEqual(tokenize(line), words));

  it('refuses an unterminated quote instead of dropping it (zkCli does)', () => {
    assert.throws(() => tokenize('set /x "unterminated'), TokenizeError);
    assert.throws(() => tokenize("set /x 'no"), /unterminated single quote/);
    assert.throws(() => tokenize('set /x a\\'), /trailing backslash/);
  });
});

describe('command parsing', () => {
  it('accepts options anywhere and combined, as commons-cli', () => {
    const { spec, parsed } = parseCommand(['ls', '/a', '-sw']);
    assert.equal(spec.name, 'ls');
    assert.deepEqual(parsed.args, ['/a']);
    assert.equal(parsed.options['stat'], true);
    assert.equal(parsed.options['watch'], true);
    assert.equal(parseCommand(['set', '-v', '3', '/a', 'x']).parsed.options['version'], '3');
  });

  it('routes stat without a path to the four-letter word and resolves aliases', () => {
    assert.equal(parseCommand(['stat']).spec.name, '4lw');
    assert.equal(parseCommand(['stat', '/a']).spec.name, 'stat');
    assert.equal(parseCommand(['rmr', '/a']).spec.name, 'deleteall');
    assert.equal(parseCommand(['exit']).spec.name, 'quit');
    assert.equal(parseCommand(['mntr']).parsed.invokedAs, 'mntr');
  });

  it('unknown commands and options', () => {
    assert.throws(() => parseCommand(['getacl', '/']), UnknownCommandError);
    assert.throws(
      () => parseCommand(['get', '-q', '/']),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message === 'Unrecognized option: -q' &&
        e.usage === 'get [-s] [-w] [-b] [-x] path',
    );
    assert.throws(() => parseCommand(['create', '-t']), /Missing argument for option: t/);
  });
});

describe('argv, redaction, numbers, quota strings, config', () => {
  it('rewrites zkCli single-dash options before the command only', () => {
    assert.deepEqual(rewriteLegacyArgs(['-server', 'h:1', '-timeout', '5', '-r', 'get', '-server', 'x']), [
      '--server',
      'h:1',
      '--timeout',
      '5',
      '-r',
      'get',
      '-server',
      'x',
    ]);
    assert.deepEqual(rewriteLegacyArgs(['-waitforconnection', '-client-configuration', 'f', 'ls', '/']), [
      '--waitforconnection',
      '--client-configuration',
      'f',
      'ls',
      '/',
    ]);
    assert.deepEqual(rewriteLegacyArgs(['-c', 'ls -R /', '-f', 'x']), ['-c', 'ls -R /', '-f', 'x']);
  });

  it('redacts secrets before anything is written', () => {
    assert.equal(redactLine('addauth digest bob:pw'), 'addauth digest bob:***');
    assert.equal(redactLine('addauth   digest "bob:p w"'), 'addauth digest bob:***');
    assert.equal(redactLine('addauth ip 1.2.3.4'), 'addauth ip 1.2.3.4');
    assert.equal(redactLine('admin snapshot -auth "digest root:pw"'), 'admin snapshot -auth ***');
    assert.equal(redactLine('ls /'), 'ls /');
  });

  it("decodes redo numbers as Java's Integer.decode", () => {
    assert.deepEqual(['10', '0x1f', '#10', '010', '-1', 'abc', '1e3'].map(decodeInt), [10, 31, 16, 8, -1, null, null]);
  });

  it('StatsTrack strings as ZooKeeper writes them', () => {
    const s = parseStatsTrack('count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=10');
    assert.equal(s['countHardLimit'], 10n);
    assert.equal(formatStatsTrack(s), 'count=5,bytes=-1=;byteHardLimit=-1;countHardLimit=10');
    assert.equal(formatStatsTrack(parseStatsTrack('count=-1,bytes=100')), 'count=-1,bytes=100');
  });

  it('config -c form', () => {
    assert.equal(
      connectForm(
        'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2281\nserver.2=127.0.0.1:2889:3889:participant;0.0.0.0:2282\nversion=100000000\n',
      ),
      '100000000 127.0.0.1:2281,127.0.0.1:2282',
    );
    assert.equal(connectForm(''), ' ');
  });
});
