import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonText } from '../../src/output/json.js';
import { terminalSafe } from '../../src/output/terminal.js';

// Every BMP code point once (surrogates excluded: they are not text on their own).
const ALL = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)).join('');
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminal safety', () => {
  it('terminalSafe leaves no control character but newline and tab, keeps the rest, and is idempotent', () => {
    const out = terminalSafe(ALL);
    assert.ok(!CONTROL.test(out));
    assert.equal(terminalSafe(out), out);
    assert.equal(terminalSafe('a\tb\nc\x1b[2J\r\x08\u009b\u00e9'), 'a\tb\nc\\x1b[2J\\x0d\\x08\\x9b\u00e9');
  });

  it('jsonText: the same value back, and no raw C0, DEL, C1 or line separator in the text', () => {
    const text = jsonText({ s: ALL });
    assert.ok(!CONTROL.test(text) && !/[\n\u2028\u2029]/.test(text));
    assert.equal((JSON.parse(text) as { s: string }).s, ALL);
    assert.equal(jsonText({ a: [1] }, 2), JSON.stringify({ a: [1] }, null, 2));
  });
});
