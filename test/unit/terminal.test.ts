import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonText } from '../../src/output/json.js';
import { terminalSafe } from '../../src/output/terminal.js';

// Every BMP code point once (surrogates excluded: they are not text on their own).
const ALL = Array.from({ length: 0x10000 }, (_, c) => c)
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCharCode(c))
  .join('');

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminal safety', () => {
  it('terminalSafe leaves no control character but newline and tab, keeps the rest, and is idempotent', () => {
    const out = terminalSafe(ALL);
    assert.ok(!CONTROL.test(out));
    assert.equal(terminalSafe(out), out);
    assert.equal(terminalSafe('a\tb\nc\x1b[2J\r\x08\u009b\u00e9'), 'a\tb\nc\\x1b[2J\\x0d\\x08\\x9b\u00e9');
  });

  it('bidi controls are escaped as \\uNNNN: a name cannot be shown reordered (gpj.exe as exe.jpg)', () => {
    assert.equal(terminalSafe('/bidi\u202egpj.exe'), '/bidi\\u202egpj.exe');
    const bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const c of bidi)
      assert.equal(terminalSafe(`a${String.fromCharCode(c)}b`), `a\\u${c.toString(16).padStart(4, '0')}b`);
    // Neighbours that only join or space text are left alone.
    assert.equal(terminalSafe('\u200d\u2060\u0627'), '\u200d\u2060\u0627');
  });

  it('jsonText: the same value back, and no raw C0, DEL, C1 or line separator in the text', () => {
    const text = jsonText({ s: ALL });
    assert.ok(!CONTROL.test(text) && !/[\n\u2028\u2029]/.test(text));
    assert.equal((JSON.parse(text) as { s: string }).s, ALL);
    assert.equal(jsonText({ a: [1] }, 2), JSON.stringify({ a: [1] }, null, 2));
  });
});
