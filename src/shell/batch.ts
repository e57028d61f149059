import { NotConnectedError, type CommandResult, type CommandSpec, type ParsedArgs } from '../commands/spec.js';
import type { MultiOp, MultiResult, ZooKeeperClient } from '../zk/client.js';
import { ConnectionLossError, isSessionError, ZkError } from '../zk/errors.js';
import { isSequential } from '../zk/protocol.js';
import { clearProgressLine, startProgress } from '../output/progress.js';
import { validatePath } from '../zk/path.js';
import { multiSafeAcl } from '../zk/acl.js';
import { parseCommand } from './parse.js';
import { QuotaGuard } from './quota-guard.js';
import { tokenize } from './tokenize.js';
import { END, lineReader } from './script-lines.js';
import { MAX_BATCH_BYTES, MAX_BATCH_OPS, MULTI_OVERHEAD, multiOpBytes } from './multi-size.js';

/** A script line that can travel inside a multi. */
export interface BatchedLine {
  /** 1-based line number in the script (for reports that must not echo long lines). */
  no: number;
  line: string;
  op: MultiOp;
  result: (created?: string) => CommandResult;
  /** The op's exact size inside a multi request. */
  bytes: number;
}

// The sizes live apart so mv (src/tree/move-tree.ts) can use them without importing the command registry.
export { MAX_BATCH_BYTES, MAX_BATCH_OPS, multiOpBytes };

/** The line as a multi sub-op, or null if it must run on its own (other commands, bad arguments). */
export function batchable(no: number, line: string, spec: CommandSpec, parsed: ParsedArgs): BatchedLine | null {
  if (!spec.toMultiOp) return null;
  let m;
  try {
    m = spec.toMultiOp(parsed);
    if (!m) return null;
    // Validate here, so a bad path fails its own line rather than the whole batch.
    validatePath(m.op.path, m.op.type === 'create' && isSequential(m.op.mode ?? 0));
  } catch {
    return null;
  }
  // The server's own subtree (quota nodes among them) is never batched: see QuotaGuard.
  if (m.op.path === '/zookeeper' || m.op.path.startsWith('/zookeeper/')) return null;
  // An ACL id beyond U+FFFF would be stored as U+FFFD inside a multi (see multiSafeAcl): the line runs alone.
  if (m.op.type === 'create' && !multiSafeAcl(m.op.acl)) return null;
  return { no, line, op: m.op, result: m.result, bytes: multiOpBytes(m.op) };
}

/** What the script runner needs from the shell. */
export interface ScriptHost {
  /** Runs one line on its own (already recorded in the history) and returns its exit code. */
  execute(line: string): Promise<number>;
  /** The error the last execute reported, if any. */
  lastError(): unknown;
  /** The current path: relative paths of a batched line resolve against it when the line is read. */
  cwd(): string;
  /** Adds a line to the numbered history (scripts keep one, as zkCli's piped mode does). */
  record(line: string): void;
  /** The connected client, waiting for a connection as a command would. */
  connected(): Promise<ZooKeeperClient>;
  /** Whether a session is connected right now (no waiting). */
  connectedNow(): boolean;
  /** Prints an error as a command would and returns its exit code. */
  report(e: unknown): number;
  /** Renders results in order (a batch's, with one set of render options). */
  render(results: readonly CommandResult[]): Promise<void>;
  note(text: string): void;
  /** Runs a multi of script lines and the report of its results; Ctrl-C meanwhile ends the script after it. */
  sending<T>(work: () => Promise<T>): Promise<T>;
  readonly quitRequested: boolean;
  /** The status `quit N` gave: the script's own, whatever failed before. */
  readonly quitStatus: number | null;
}

export interface ScriptOptions {
  keepGoing: boolean;
  /** Send consecutive writes as multi batches (default true); off, every line is its own request. */
  batch?: boolean;
}

const span = (b: readonly BatchedLine[]): string =>
  b.length === 1 ? `line ${b[0]!.no}` : `lines ${b[0]!.no}-${b[b.length - 1]!.no} (${b.length} lines, one transaction)`;

/**
 * Runs script lines. Consecutive create/set/delete lines go to the server as multi batches (one
 * round trip and one transaction each); the output, exit code and resulting tree are those of
 * running the lines one by one:
 * - a multi is atomic, so when line k of a batch fails nothing was applied: lines before k are sent
 *   again, line k is reported as if run alone, and the script stops (or goes on with keepGoing);
 * - writes under a quota run alone, since the server checks quotas per request, not per op;
 * - a batch whose outcome is unknown (connection lost after it was sent) is never sent again: its
 *   lines are named by number as "may or may not have been applied".
 */
export async function runScript(
  host: ScriptHost,
  lines: Iterable<string> | AsyncIterable<string>,
  opts: ScriptOptions,
): Promise<number> {
  // A long script shows how far it got (stderr on a terminal only, after ~2 s).
  const read = { lines: 0 };
  const progress = startProgress('script', () => read.lines, process.stderr, process.env, 'lines');
  try {
    return await runLines(host, lines, opts, read);
  } finally {
    progress.stop();
  }
}

async function runLines(
  host: ScriptHost,
  lines: Iterable<string> | AsyncIterable<string>,
  opts: ScriptOptions,
  read: { lines: number },
): Promise<number> {
  const batching = opts.batch ?? true;
  const guard = new QuotaGuard();
  let batch: BatchedLine[] = [];
  let bytes = MULTI_OVERHEAD;
  let failure = 0;
  let stop = false;
  let no = 0;
  // Once the shell cannot connect (or the session ended), lines that need a connection are not run:
  // each would wait out a connection attempt only to fail the same way. They are named once at the end.
  const skipped = { first: 0, last: 0, count: 0 };
  let wentOffline = false;
  // Each error is looked at once: a stale one must not count again after `connect`.
  let seen: unknown = null;
  const observe = (): void => {
    const e = host.lastError();
    if (e === seen) return;
    seen = e;
    if (e instanceof NotConnectedError) wentOffline = true;
  };
  const offline = (): boolean => opts.keepGoing && wentOffline && !host.connectedNow();
  // Lines are read ahead of the batch running, so a batch's lines may be skipped after later ones: keep the span.
  const skip = (n: number): void => {
    skipped.first = skipped.count === 0 ? n : Math.min(skipped.first, n);
    skipped.last = Math.max(skipped.last, n);
    skipped.count++;
  };
  const skips = (spec: CommandSpec | undefined): boolean => {
    if (!spec?.needsConnection || !offline()) return false;
    skip(no);
    return true;
  };
  /**
   * Runs a batch once the one before it lets it (`turn`): when that one is done, or, when it went as one multi
   * that succeeded, as soon as its reply is in, before its results are printed (`ahead`: done printing).
   */
  const run = async (b: BatchedLine[], turn: Promise<void>, ahead: Promise<void>, clear: () => void): Promise<void> => {
    await turn;
    // Ctrl-C while the batch ahead was on the wire ends the script after it: nothing more is sent.
    if (stop || host.quitRequested) return;
    // Read while the batch before it ran: that batch may have found the shell offline (all batched lines need
    // the connection).
    if (offline()) {
      for (const x of b) skip(x.no);
      return;
    }
    const segs = b.length > 1 ? await segments(host, guard, b) : [b];
    // Only a batch that goes as one multi may be sent while the one ahead prints; it prints after it.
    const oneMulti = segs.length === 1 && b.length > 1;
    if (!oneMulti) await ahead;
    for (const seg of segs) {
      for (let rest = seg; rest.length > 0 && !stop;) {
        if (offline()) {
          for (const x of rest) skip(x.no);
          return;
        }
        clearProgressLine();
        const { failedAt, code } = await runBatch(host, rest, oneMulti && rest === seg ? { ahead, clear } : undefined);
        observe();
        // A lone line runs through execute: Ctrl-C there ends the script (see runLines).
        if (host.quitRequested) {
          if (host.quitStatus !== null) failure = host.quitStatus;
          stop = true;
          return;
        }
        if (failedAt < 0) break;
        // Run alone, the failing line may have succeeded after all (another client changed the tree).
        if (code !== 0) {
          failure = code;
          if (!opts.keepGoing) stop = true;
        }
        rest = rest.slice(failedAt + 1);
      }
    }
    observe();
  };
  // Batches go one after another, each once the one before it succeeded (its failure stops the script), but
  // the lines of the next batch are read and parsed while a multi is on the wire, and a batch's results are
  // printed while the next one is on the wire.
  let running: Promise<void> = Promise.resolve();
  // Resolved when the last batch queued lets the next one go (see run).
  let cleared: Promise<void> = Promise.resolve();
  let broke: { e: unknown } | null = null;
  /** Queues the batch read so far; resolves when the batch before it is done. */
  const send = (): Promise<void> => {
    const before = running;
    if (batch.length > 0) {
      const b = batch;
      batch = [];
      bytes = MULTI_OVERHEAD;
      const turn = cleared;
      let clear!: () => void;
      cleared = new Promise<void>((resolve) => (clear = resolve));
      running = run(b, turn, before, clear)
        .catch((e: unknown) => {
          broke ??= { e };
          stop = true;
        })
        .finally(clear);
    }
    return before;
  };
  // A batch that threw (a defect, not a failing line) rethrows where the loop waits.
  const rethrow = (): void => {
    if (broke) throw broke.e;
  };
  /** Runs everything queued. */
  const flush = async (): Promise<void> => {
    void send();
    await running;
    rethrow();
  };
  const nextLine = lineReader(lines, () => (batch.length > 0 && !stop ? send() : null));
  for (;;) {
    let raw = nextLine();
    if (typeof raw === 'object') raw = await raw;
    // Lines in hand are read without a wait: let the batch sent meanwhile leave, and its reply be read,
    // every so often rather than after the next 1,000 lines.
    else if (no % YIELD_EVERY === 0) await nextTurn();
    if (raw === END) break;
    no++;
    read.lines = no;
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    host.record(line);
    // Parsed once here; a line that does not parse runs on its own below and reports its error.
    let cmd: ReturnType<typeof parseCommand> | null = null;
    try {
      cmd = parseCommand(tokenize(line), host.cwd());
    } catch {
      cmd = null;
    }
    if (cmd?.spec.name === 'connect') {
      wentOffline = false; // a new session: lines may run again
      seen = host.lastError();
    } else if (skips(cmd?.spec)) continue;
    const b = batching && cmd ? batchable(no, line, cmd.spec, cmd.parsed) : null;
    if (b) {
      if (batch.length >= MAX_BATCH_OPS || bytes + b.bytes > MAX_BATCH_BYTES) {
        await send();
        rethrow();
        // The batch waited for may have found the shell offline.
        if (stop) break;
        if (skips(cmd?.spec)) continue;
      }
      if (stop) break;
      batch.push(b);
      bytes += b.bytes;
      continue;
    }
    await flush();
    if (stop) break;
    if (skips(cmd?.spec)) continue;
    // Any other line may change quotas (setquota, delquota, a hand-made quota node).
    guard.invalidate();
    clearProgressLine();
    const code = await host.execute(line);
    observe();
    if (code !== 0) {
      failure = code;
      if (!opts.keepGoing) break;
    }
    if (host.quitRequested) {
      if (host.quitStatus !== null) failure = host.quitStatus;
      break;
    }
  }
  // Whatever is queued runs unless a failure stopped the script; a batch still running is waited for.
  await flush();
  if (skipped.count > 0) {
    const which =
      skipped.count === 1 ? `line ${skipped.first}` : `${skipped.count} lines (${skipped.first}-${skipped.last})`;
    host.note(`${which} not run: not connected`);
  }
  return failure;
}

/** Lines read in a row, at most, before the batch being sent gets a turn (see runLines). */
const YIELD_EVERY = 128;
/** Resolves after a turn of the event loop: I/O, and every promise job queued before it, have run. */
const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Splits a batch so that writes under a quota (or where quotas cannot be read) run alone, in order. */
async function segments(host: ScriptHost, guard: QuotaGuard, b: BatchedLine[]): Promise<BatchedLine[][]> {
  let limited: boolean[] | null = null;
  // A connection lost while reading quotas: wait for it like a command would, and ask again.
  for (let attempt = 0; limited === null; attempt++) {
    let zk: ZooKeeperClient;
    try {
      zk = await host.connected();
    } catch {
      return [b]; // not connected: nothing can be sent, and runBatch reports it once for the batch
    }
    try {
      await guard.load(zk);
      limited = b.map((x) => x.op.type !== 'delete' && x.op.type !== 'check' && guard.limits(zk, x.op.path));
    } catch {
      limited = null;
      if (attempt >= 2) return b.map((x) => [x]); // quotas unknown: no batching; each line reports the failure
    }
  }
  const out: BatchedLine[][] = [];
  let cur: BatchedLine[] = [];
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (limited[i]) {
      if (cur.length) out.push(cur);
      out.push([x]);
      cur = [];
    } else cur.push(x);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A multi sent while the batch ahead of it prints: the next may go once its reply is in, it prints after `ahead`. */
interface Overlap {
  ahead: Promise<void>;
  clear: () => void;
}

/** Sends one batch; returns the index of the failing line (-1 if none) and its exit code. */
async function runBatch(
  host: ScriptHost,
  b: readonly BatchedLine[],
  overlap?: Overlap,
): Promise<{ failedAt: number; code: number }> {
  if (b.length === 1) {
    // A lone line gains nothing from a multi: run it as written.
    const code = await host.execute(b[0]!.line);
    // Only a request that reached a server and lost its reply has an unknown outcome; "Not connected"
    // and requests that never left the queue were certainly not applied (their message says so).
    const e = host.lastError();
    if (e instanceof ConnectionLossError && e.sent)
      host.note(`${span(b)}: may or may not have been applied (the reply was lost)`);
    else if (isSessionError(e) && !(e instanceof ConnectionLossError))
      host.note(`${span(b)}: may or may not have been applied (the session ended)`);
    return { failedAt: code === 0 ? -1 : 0, code };
  }
  // Waiting for a connection is not sending: Ctrl-C then ends the script at once, as for any line.
  const conn = await host.connected().then(
    (zk) => ({ zk }),
    (error: unknown) => ({ error }),
  );
  // Ctrl-C while this waited for the connection and the batch ahead still printed (which held the script for
  // it): this one is not sent.
  if (overlap && host.quitRequested) return { failedAt: b.length - 1, code: 0 };
  // The multi and the report of its results are one piece for Ctrl-C: the script stops after both.
  return host.sending(async () => {
    let results: MultiResult[];
    try {
      if ('error' in conn) throw conn.error;
      results = await conn.zk.multi(b.map((x) => x.op));
    } catch (e) {
      if (overlap) await overlap.ahead;
      if (!(e instanceof ZkError) || !e.results || isSessionError(e)) {
        const code = host.report(e);
        if (e instanceof ConnectionLossError && !e.sent) host.note(`${span(b)}: not applied (nothing was sent)`);
        else if (isSessionError(e))
          host.note(
            `${span(b)}: may or may not have been applied (the reply was lost); check before running them again`,
          );
        else host.note(`${span(b)}: not applied`);
        return { failedAt: b.length - 1, code };
      }
      const k = e.results.findIndex((r) => r.err !== 0);
      const before = b.slice(0, k);
      if (before.length > 0) {
        const again = await runBatch(host, before);
        if (again.failedAt >= 0) return again;
      }
      // Line k now meets the state it met inside the multi: run it alone, so its report (and any hint,
      // such as the current version after a stale one) is exactly that of running it alone.
      const code = await host.execute(b[k]!.line);
      return { failedAt: k, code };
    }
    if (overlap) {
      overlap.clear();
      // The next batch's multi leaves first (its way to the socket waits on nothing), then these results print.
      await nextTurn();
      await overlap.ahead;
    }
    const shown: CommandResult[] = [];
    for (let i = 0; i < b.length; i++) {
      const r = results[i];
      shown.push(b[i]!.result(r?.type === 'create' ? r.path : undefined));
    }
    await host.render(shown);
    return { failedAt: -1, code: 0 };
  });
}
