import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { askSecret, askYesNo, PromptCancelled } from '../../src/repl/prompts.js';

/** Starts a prompt on an in-memory terminal and types `keys` once it is drawn. */
async function answer<T>(
  ask: (io: { input: PassThrough; output: PassThrough }) => Promise<T>,
  keys: string,
): Promise<T> {
  const input = new PassThrough();
  const output = new PassThrough();
  output.resume();
  const pending = ask({ input, output });
  await new Promise((r) => setTimeout(r, 50));
  input.write(keys);
  return pending;
}

const cancelledBy =
  (by: PromptCancelled['by']) =>
  (e: unknown): boolean =>
    e instanceof PromptCancelled && e.by === by;

describe('prompts: every way of not answering is PromptCancelled', () => {
  it('a secret is returned as typed', async () => {
    assert.equal(await answer((io) => askSecret('pw?', io), 'se cret\r'), 'se cret');
  });
  it('Ctrl-C at a password prompt is an interrupt; Ctrl-D (empty or not) is end of input', async () => {
    await assert.rejects(
      answer((io) => askSecret('pw?', io), '\x03'),
      cancelledBy('interrupt'),
    );
    await assert.rejects(
      answer((io) => askSecret('pw?', io), '\x04'),
      cancelledBy('eof'),
    );
    await assert.rejects(
      answer((io) => askSecret('pw?', io), 'abc\x04'),
      cancelledBy('eof'),
    );
  });
  it('yes/no: y is yes, Enter is the default no, Ctrl-C and Ctrl-D cancel', async () => {
    assert.equal(await answer((io) => askYesNo('sure?', io), 'y\r'), true);
    assert.equal(await answer((io) => askYesNo('sure?', io), '\r'), false);
    await assert.rejects(
      answer((io) => askYesNo('sure?', io), '\x03'),
      cancelledBy('interrupt'),
    );
    await assert.rejects(
      answer((io) => askYesNo('sure?', io), '\x04'),
      cancelledBy('eof'),
    );
  });
});
