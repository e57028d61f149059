import type { Key } from 'node:readline';
import { PromptCancelled } from '../commands/spec.js';

export { PromptCancelled };

/** Where a prompt reads keys and draws (default: the process's terminal). */
export interface PromptIo {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

interface PromptContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
}

/**
 * The one place that asks the user something (inquirer). Every way of leaving without an answer
 * becomes PromptCancelled: Ctrl-C (inquirer's ExitPromptError, also raised for a signal) and Ctrl-D.
 * inquirer has no answer for Ctrl-D: its readline closes on it (turning terminal echo back on) and the
 * prompt never settles, so Ctrl-D is watched for here and aborts the prompt.
 */
async function ask<T>(io: PromptIo, start: (ctx: PromptContext) => Promise<T>): Promise<T> {
  const input = io.input ?? process.stdin;
  const output = io.output ?? process.stdout;
  const abort = new AbortController();
  const onKey = (_s: string | undefined, key: Key | undefined): void => {
    if (key?.ctrl && key.name === 'd') abort.abort(new PromptCancelled('eof'));
  };
  // inquirer's readline (created synchronously by start) makes the input emit keypress events.
  const pending = start({ input, output, signal: abort.signal });
  input.on('keypress', onKey);
  try {
    return await pending;
  } catch (e) {
    throw cancellation(e, abort.signal) ?? e;
  } finally {
    input.off('keypress', onKey);
  }
}

/** inquirer's errors for a prompt left unanswered, by name (they are classes of a transitive package). */
function cancellation(e: unknown, signal: AbortSignal): PromptCancelled | undefined {
  if (e instanceof PromptCancelled) return e;
  const name = e instanceof Error ? e.name : '';
  if (name === 'AbortPromptError' && signal.reason instanceof PromptCancelled) return signal.reason;
  if (name === 'ExitPromptError' || name === 'CancelPromptError' || name === 'AbortPromptError')
    return new PromptCancelled('interrupt');
  return undefined;
}

/** A secret, read without echo. Rejects with PromptCancelled. */
export async function askSecret(message: string, io: PromptIo = {}): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  return ask(io, (ctx) => password({ message, mask: false }, ctx));
}

/** Yes or no (default no). Rejects with PromptCancelled. */
export async function askYesNo(message: string, io: PromptIo = {}): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return ask(io, (ctx) => confirm({ message, default: false }, ctx));
}

/** One line of text, echoed (txn's lines). Rejects with PromptCancelled. */
export async function askLine(message: string, io: PromptIo = {}): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return ask(io, (ctx) => input({ message }, ctx));
}
