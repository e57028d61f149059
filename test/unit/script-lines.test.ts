// Script lines are split by hand for speed: they must be the lines readline gives, whatever the chunks.
import assert from 'node:assert/strict';
import readline from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { scriptLines } from '../../src/shell/script-lines.js';

async function all(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

/** The bytes of `text` cut at the given offsets (inside UTF-8 sequences too). */
function chunks(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out.filter((b) => b.length > 0);
}

describe('script lines', () => {
  it('are the lines readline gives ("\\n", "\\r\\n", lone "\\r"), however the input is cut', async () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', ' ', 'é', '😀', '\r', '\n', '\r\n'), { maxLength: 40 })
      .map((a) => a.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(200), { maxLength: 8 }), async (t, cuts) => {
        const expected = await all(
          readline.createInterface({ input: Readable.from(chunks(t, cuts)), crlfDelay: Infinity }),
        );
        assert.deepEqual(await all(scriptLines(Readable.from(chunks(t, cuts)))), expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('hands out a line already read as a settled promise (a pause in piped input is told apart)', async () => {
    const it = scriptLines(Readable.from([Buffer.from('one\ntwo\nthr')]));
    assert.deepEqual(await it.next(), { value: 'one', done: false });
    const pending = Symbol('pending');
    assert.deepEqual(await Promise.race([it.next(), Promise.resolve(pending)]), { value: 'two', done: false });
    assert.deepEqual(await it.next(), { value: 'thr', done: false });
    assert.equal((await it.next()).done, true);
  });

  it('hands out a line ended by a lone "\\r" before the next chunk comes (as readline does)', async () => {
    // A pipe that sends "create /a\r" then waits (or waits for the output) must not stall.
    const input = new PassThrough();
    const it = scriptLines(input);
    input.write('one\r');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('stalled'), 200));
    assert.deepEqual(await Promise.race([it.next(), timeout]), { value: 'one', done: false });
    input.end('\ntwo\r\n\rthree');
    assert.deepEqual(await all(it), ['two', '', 'three']);
  });

  it('rejects with the read error', async () => {
    const input = new Readable({
      read() {
        this.push('a\n');
        this.destroy(Object.assign(new Error('boom'), { code: 'EIO' }));
      },
    });
    await assert.rejects(all(scriptLines(input)), /boom/);
  });
});
