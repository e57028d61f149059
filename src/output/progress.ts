// A progress line on stderr for long walks (nodes done, rate, elapsed): only when stderr is a terminal and
// the work has run for a while, so quick commands and piped runs never see it. cli-progress draws it; it
// is loaded only when a line is first shown.
import { Interrupted } from '../commands/spec.js';

/** How long work runs before the line appears (ZK_SHELL_PROGRESS_DELAY_MS overrides it, for tests). */
const DEFAULT_DELAY_MS = 2000;

interface Bar {
  start(total: number, value: number, payload: object): void;
  update(value: number, payload: object): void;
  stop(): void;
}

export interface ProgressLine {
  /** Clears the line (before output goes to the same terminal); it is drawn again on the next tick. */
  clear(): void;
  stop(): void;
}

let active: { clear(): void } | null = null;

/** Clears the progress line, if one is showing, so a line of output does not land in it. */
export function clearProgressLine(): void {
  active?.clear();
}

const enabled = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean =>
  !!stream.isTTY && env['ZK_SHELL_PROGRESS'] !== '0';

export const rateText = (done: number, ms: number): string =>
  ms <= 0 ? '0' : Math.round((done * 1000) / ms).toLocaleString('en-US');

export const elapsedText = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

/**
 * Shows `label: N nodes, R/s, T` on stderr while work runs, polling `count`. Nothing happens when stderr
 * is not a terminal or the work ends within the delay.
 */
export function startProgress(
  label: string,
  count: () => number,
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  unit = 'nodes',
): ProgressLine {
  if (!enabled(stream, env)) return { clear: () => undefined, stop: () => undefined };
  const t0 = Date.now();
  const delay = Number(env['ZK_SHELL_PROGRESS_DELAY_MS'] ?? DEFAULT_DELAY_MS);
  let bar: Bar | null = null;
  let stopped = false;
  let poll: NodeJS.Timeout | null = null;
  const payload = (): object => {
    const ms = Date.now() - t0;
    return { label, rate: rateText(count(), ms), elapsed: elapsedText(ms) };
  };
  const show = async (): Promise<void> => {
    const { default: cli } = await import('cli-progress');
    if (stopped) return;
    const b = new cli.SingleBar({
      format: `{label}: {value} ${unit}, {rate}/s, {elapsed}`,
      stream,
      clearOnComplete: true,
      hideCursor: null,
      forceRedraw: true,
      linewrap: false,
      fps: 5,
      formatValue: (v: number, _o: unknown, type: string) => (type === 'value' ? v.toLocaleString('en-US') : String(v)),
    });
    b.start(0, count(), payload());
    bar = b;
    poll = setInterval(() => b.update(count(), payload()), 200);
    poll.unref();
  };
  const timer = setTimeout(() => void show().catch(() => undefined), Number.isFinite(delay) ? delay : DEFAULT_DELAY_MS);
  timer.unref();
  const line: ProgressLine = {
    clear: () => {
      if (bar) stream.write('\r\x1b[K');
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      bar?.stop();
      bar = null;
      if (active === line) active = null;
    },
  };
  active = line;
  return line;
}

/**
 * Passes a lazy walk through, counting `nodes` per item, with a progress line while it runs. Ctrl-C
 * (`signal`) ends it at once, even while a reply is awaited, with a message saying how far it got.
 */
export async function* withProgress<T>(
  label: string,
  items: AsyncIterable<T>,
  signal: AbortSignal,
  nodes: (item: T) => number = () => 1,
): AsyncGenerator<T> {
  let done = 0;
  const t0 = Date.now();
  const line = startProgress(label, () => done);
  const it = items[Symbol.asyncIterator]();
  // Ctrl-C rejects the item being awaited. Only that one wait is reachable from the listener: racing each
  // item against one long-lived "aborted" promise kept every item ever yielded reachable from it, so a
  // walk's memory grew with the tree (a million-node ls -R held ~90 MB of paths).
  let stop: ((e: Error) => void) | null = null;
  const onAbort = (): void => stop?.(new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  const interrupted = (): Interrupted =>
    new Interrupted(
      `${label} interrupted after ${done.toLocaleString('en-US')} nodes (${elapsedText(Date.now() - t0)})`,
    );
  try {
    for (;;) {
      if (signal.aborted) throw interrupted();
      let r: IteratorResult<T>;
      try {
        r = await new Promise<IteratorResult<T>>((resolve, reject) => {
          stop = reject;
          it.next().then(resolve, reject);
        });
      } catch (e) {
        if (signal.aborted) throw interrupted();
        throw e;
      }
      stop = null;
      if (r.done) return;
      done += nodes(r.value);
      yield r.value;
    }
  } finally {
    line.stop();
    signal.removeEventListener('abort', onAbort);
    // Let the walk stop its own work (it checks the same signal); do not wait for a stalled reply.
    void it.return?.(undefined)?.catch(() => undefined);
  }
}
