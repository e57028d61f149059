// The lines of a script (-f file, piped stdin), split as readline splits them: "\n", "\r\n" and a lone "\r"
// each end a line, and a last line without an ending counts. readline's async iterator cost ~3 µs a line, a
// tenth of a 10,000-line create script; this splits a chunk at a time.
import { StringDecoder } from 'node:string_decoder';

const BREAK = /\r\n|\r|\n/;

/**
 * An async iterator over the lines of `input`. A line already read is handed out as a settled promise, or by
 * inHand without one, so runScript can tell lines in hand from a pause in piped input. A read error rejects the
 * next line.
 */
export function scriptLines(
  input: AsyncIterable<Buffer | string>,
): AsyncIterableIterator<string> & { inHand(): string | undefined } {
  const chunks = input[Symbol.asyncIterator]();
  const decoder = new StringDecoder('utf8');
  let lines: string[] = [];
  let at = 0;
  // The text after the last line break read: the start of a line not ended yet.
  let rest = '';
  // The last chunk ended in "\r", which ended its line at once: a "\n" starting the next is its other half.
  let skipLf = false;
  let ended = false;
  const take = (text: string): void => {
    lines = text.split(BREAK);
    at = 0;
  };
  const more = async (): Promise<IteratorResult<string>> => {
    while (at >= lines.length) {
      if (ended) return { value: undefined, done: true };
      const c = await chunks.next();
      if (c.done) {
        ended = true;
        const last = rest + decoder.end();
        rest = '';
        if (last !== '') take(last);
        continue;
      }
      let text = rest + (typeof c.value === 'string' ? c.value : decoder.write(c.value));
      if (skipLf && text !== '') {
        if (text.startsWith('\n')) text = text.slice(1);
        skipLf = false;
      }
      // Cut after the last break. A "\r" at the very end ends its line now, as readline's does: a pipe that
      // waits for that line's output before sending more must not stall.
      const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      if (cut < 0) {
        rest = text;
        continue;
      }
      rest = text.slice(cut + 1);
      skipLf = text[cut] === '\r' && cut === text.length - 1;
      // The break at the cut ends the piece's last line: "\r\n" there leaves its "\r" in the piece.
      const piece = text[cut] === '\n' && text[cut - 1] === '\r' ? text.slice(0, cut - 1) : text.slice(0, cut);
      take(piece);
    }
    return { value: lines[at++]!, done: false };
  };
  return {
    next: () => (at < lines.length ? Promise.resolve({ value: lines[at++]!, done: false }) : more()),
    // The next line if it has been read already (runScript takes those without a promise), else undefined.
    inHand: () => (at < lines.length ? lines[at++]! : undefined),
    async return() {
      ended = true;
      lines = [];
      await chunks.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const NOT_YET_VALUE = Symbol('not yet');
/** Settled already: loses a race only to a promise that was settled before it. */
const NOT_YET = Promise.resolve(NOT_YET_VALUE);
/** What lineReader's reader returns once the lines are done. */
export const END = Symbol('end');

/** How long a batch waits for the next line before it is sent anyway (piped input may pause). */
const IDLE_FLUSH_MS = 20;

/** Lines that can be handed out without a promise: those of an array, or those scriptLines has in hand. */
interface LinesInHand extends AsyncIterator<string> {
  inHand?(): string | undefined;
}

/**
 * Reads the lines. A line in hand comes back at once, not as a promise: two promises a line were ~10% of
 * a 10,000-line script. When the next line is slow to come, calls `onIdle` first, so that a batch built
 * from piped input is sent while the writer pauses instead of waiting for the script to go on.
 */
export function lineReader(
  lines: Iterable<string> | AsyncIterable<string>,
  onIdle: () => Promise<void> | null,
): () => string | typeof END | Promise<string | typeof END> {
  if (!(Symbol.asyncIterator in lines)) {
    const it = lines[Symbol.iterator]();
    return () => {
      const r = it.next();
      return r.done ? END : r.value;
    };
  }
  const it: LinesInHand = lines[Symbol.asyncIterator]();
  const wait = async (): Promise<string | typeof END> => {
    const next = it.next();
    // A line already read needs no timer: a timer per line was ~8% of a 10,000-line script.
    const ready = await Promise.race([next, NOT_YET]);
    let r: IteratorResult<string> | 'idle';
    if (ready !== NOT_YET_VALUE) r = ready;
    else {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((res) => {
        timer = setTimeout(() => res('idle'), IDLE_FLUSH_MS);
      });
      r = await Promise.race([next, idle]);
      clearTimeout(timer);
    }
    if (r === 'idle') {
      await onIdle();
      r = await next;
    }
    return r.done ? END : r.value;
  };
  return () => it.inHand?.() ?? wait();
}
