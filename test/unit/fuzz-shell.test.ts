// Property tests for the line tokenizer and the command parser: any input gives words / a parsed
// command or a typed one-line error, in time linear in the input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandNames, commands, findCommand } from '../../src/commands/index.js';
import { UsageError } from '../../src/commands/spec.js';
import { optionWords as spellings } from '../../src/commands/common.js';
import { InvalidArgumentError } from '../../src/zk/errors.js';
import { parseCommand, parseWith, UnknownCommandError } from '../../src/shell/parse.js';
import { tokenize, TokenizeError } from '../../src/shell/tokenize.js';
import { typedOutcome } from '../helpers/typed-outcome.js';

/** Lines rich in the characters the tokenizer treats specially. */
const special = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\r',
  '"',
  "'",
  '\\',
  'n',
  't',
  '-',
  '/',
  'a',
  ',',
  ':',
  '\u2028',
  '\u00a0',
  '\u{1f600}',
);
const lineArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(special, { maxLength: 60 }).map((a) => a.join('')),
);
const wordArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(special, { maxLength: 12 }).map((a) => a.join('')),
);

/** Renderings the tokenizer documents: bare, single-quoted, double-quoted with \" and \\, backslash-escaped. */
function render(word: string, style: number): string | null {
  switch (style) {
    case 0:
      return word.length > 0 && /^[^\s"'\\]+$/.test(word) ? word : null;
    case 1:
      return word.includes("'") ? null : `'${word}'`;
    case 2:
      return `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    default:
      return word.length > 0 ? [...word].map((c) => `\\${c}`).join('') : null;
  }
}

/** The tokenizer as it was before plain words became slices: a character at a time (the model). */
function tokenizeByChar(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length;) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (ch === '\\') {
      if (i + 1 >= line.length) throw new TokenizeError('trailing backslash');
      cur += line[i + 1];
      i += 2;
    } else if (ch === "'" || ch === '"') {
      let end = -1;
      for (let j = i + 1; j < line.length; j++) {
        if (ch === '"' && line[j] === '\\') j++;
        else if (line[j] === ch) {
          end = j;
          break;
        }
      }
      if (end < 0) throw new TokenizeError(`unterminated ${ch === '"' ? 'double' : 'single'} quote`);
      const body = line.slice(i + 1, end);
      cur += ch === '"' ? body.replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) : body;
      i = end + 1;
    } else {
      cur += ch;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

describe('tokenize (properties)', () => {
  it('splits every line as the character-at-a-time tokenizer does', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const model = typedOutcome(() => tokenizeByChar(line), [TokenizeError]);
        const real = typedOutcome(() => tokenize(line), [TokenizeError]);
        if (model instanceof Error) assert.equal(real instanceof Error && real.message, model.message);
        else assert.deepEqual(real, model);
      }),
      { numRuns: 5000 },
    );
  });

  it('any line gives words or a one-line TokenizeError', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const r = typedOutcome(() => tokenize(line), [TokenizeError]);
        if (r instanceof Error) assert.doesNotMatch(r.message, /[\r\n]/);
        else for (const w of r) assert.equal(typeof w, 'string');
      }),
      { numRuns: 3000 },
    );
  });

  it('a quoted rendering of words gives the words back', () => {
    const rendered = fc.array(
      fc.tuple(wordArb, fc.integer({ min: 0, max: 3 }), fc.constantFrom(' ', '\t', '  ', ' \t\n ')),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(rendered, (items) => {
        const parts = items.map(([w, s]) => ({ w, r: render(w, s) ?? render(w, 2)! }));
        const line = items.map(([, , sep], i) => parts[i]!.r + sep).join('');
        assert.deepEqual(
          tokenize(line),
          parts.map((p) => p.w),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('inside double quotes a backslash takes the next character literally (except \\n and \\t)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== 'n' && c !== 't'),
        (c) => {
          assert.deepEqual(tokenize(`"a\\${c}b"`), [`a${c}b`]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('adjacent pieces join into one word; whitespace splits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(wordArb, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 5 }),
        (pieces) => {
          const line = pieces.map(([w, s]) => render(w, s) ?? render(w, 2)!).join('');
          assert.deepEqual(tokenize(line), [pieces.map(([w]) => w).join('')]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('stays linear on long adversarial lines', () => {
    const n = 200_000;
    for (const line of [
      '"'.repeat(n),
      `'${'a'.repeat(n)}`,
      '\\ '.repeat(n),
      `"${'\\"'.repeat(n)}"`,
      'a '.repeat(n),
      `${'"x" '.repeat(n / 4)}"`,
    ]) {
      const t0 = performance.now();
      typedOutcome(() => tokenize(line), [TokenizeError]);
      assert.ok(
        performance.now() - t0 < 500,
        `${JSON.stringify(line.slice(0, 12))}… took ${performance.now() - t0} ms`,
      );
    }
  });
});

const names = commandNames();
const optionWords = [...new Set(commands.flatMap((c) => Object.values(c.options).flatMap(spellings)))];
/** Words that look like real command lines: names, options, numbers, paths, ACLs, junk. */
const argWord = fc.oneof(
  fc.constantFrom(
    ...optionWords,
    '-v',
    '-1',
    '-0',
    '--',
    '-',
    '--stat',
    '--version=3',
    '-sw',
    '-sv',
    '-vv',
    '-R',
    '-99999999999999999999',
  ),
  fc.constantFrom(
    '/',
    '/a',
    '/a/b',
    '//x',
    '/zookeeper/quota',
    'world:anyone:cdrwa',
    'digest:u:p:ra',
    'x',
    '',
    ' ',
    '1',
    '0x10',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => `-${s}`),
  fc.integer().map(String),
);
const commandLine = fc.tuple(
  fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'LS'),
  ),
  fc.array(argWord, { maxLength: 7 }),
);
const PARSE_ERRORS = [UsageError, UnknownCommandError];

describe('parseCommand (properties)', () => {
  it('any words give a command or a typed error; never another exception', () => {
    fc.assert(
      fc.property(commandLine, ([name, rest]) => {
        const r = typedOutcome(() => parseCommand([name, ...rest]), PARSE_ERRORS);
        if (r instanceof UsageError && r.usage !== undefined)
          assert.ok(names.some((n) => r.usage!.startsWith(`${n} `) || r.usage === n));
        if (!(r instanceof Error)) {
          assert.ok(r.parsed.args.every((a) => typeof a === 'string'));
          for (const v of Object.values(r.parsed.options))
            assert.ok(v === undefined || typeof v === 'string' || typeof v === 'boolean');
        }
      }),
      { numRuns: 4000 },
    );
  });

  // The option parser's own property: parseCommand then resolves relative znode paths (resolve-paths.test).
  it('positionals that are not options pass through in order', () => {
    const plain = fc.array(
      fc.string({ maxLength: 10 }).filter((s) => !s.startsWith('-')),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('ls', 'get', 'set', 'create', 'delete', 'stat', 'setAcl', 'sync'),
        plain,
        (name, args) => {
          assert.deepEqual(parseWith(findCommand(name)!, name, args).args, args);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('-v takes any negative number as its value, as zkCli', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: -1 }), (n) => {
        assert.equal(parseCommand(['set', '-v', String(n), '/a', 'x']).parsed.options['version'], String(n));
      }),
      { numRuns: 200 },
    );
  });

  it('batchable commands turn any parsed line into a multi op or a typed error', () => {
    const batchable = commands.filter((c) => c.toMultiOp);
    assert.ok(batchable.length >= 3);
    fc.assert(
      fc.property(
        fc.constantFrom(...batchable.map((c) => c.name)),
        fc.array(argWord, { maxLength: 6 }),
        (name, rest) => {
          const parsed = typedOutcome(() => parseCommand([name, ...rest]), PARSE_ERRORS);
          if (parsed instanceof Error) return;
          const r = typedOutcome(() => parsed.spec.toMultiOp!(parsed.parsed), [UsageError, InvalidArgumentError]);
          if (r instanceof Error) assert.doesNotMatch(r.message, /^\s*$/);
          else if (r !== null) assert.equal(typeof r.op.path, 'string');
        },
      ),
      { numRuns: 3000 },
    );
  });
});
