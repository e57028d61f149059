// Long on purpose (~480 lines): the one executor every mode runs lines through (session lifecycle,
// parsing, the command context, rendering, exit codes); scripts are in batch.ts, paths in
// resolve-paths.ts, exit codes in exit-codes.ts.
import type {
  CommandContext,
  CommandResult,
  CommandSpec,
  OutputFormat,
  ShellControl,
  ZkAdapter,
} from '../commands/spec.js';
import {
  CommandFailed,
  Interrupted,
  isStreamed,
  NotConnectedError,
  PromptCancelled,
  UsageError,
} from '../commands/spec.js';
import { usageBlock } from '../commands/help.js';
import { commands } from '../commands/index.js';
import { EXIT } from './exit-codes.js';
import { render, renderNow, tableWidth, type Sink } from '../output/format.js';
import { jsonText } from '../output/json.js';
import { silentFailure } from '../output/nav-output.js';
import { distance } from 'fastest-levenshtein';
import { oneLine, terminalSafe } from '../output/terminal.js';
import { watcherLines } from '../output/zkcli.js';
import { ZooKeeperClient } from '../zk/client.js';
import { Code, InvalidArgumentError, ZkError } from '../zk/errors.js';
import { parseConnectString, type HostPort } from '../zk/host-provider.js';
import { eventTypeName, keeperStateName } from '../zk/protocol.js';
import type { TlsOptions } from '../zk/transport.js';
import { SaslError, type SaslAuthenticator } from '../zk/sasl/exchange.js';
import type { WatchedEvent } from '../zk/watches.js';
import { runScript } from './batch.js';
import { parseCommand, UnknownCommandError } from './parse.js';
import { redactLine } from './redact.js';
import { tokenize, TokenizeError } from './tokenize.js';

export interface ShellOptions {
  connectString: string;
  sessionTimeout: number;
  canBeReadOnly: boolean;
  tls: TlsOptions | undefined;
  /**
   * jute.maxbuffer as the user gave it: the largest reply accepted and the largest request sent.
   * Unset: replies up to DEFAULT_MAX_REPLY, requests up to the server's default limit.
   */
  maxBuffer?: number | undefined;
  /** SASL (DIGEST-MD5 or GSSAPI) for every session this shell opens. */
  sasl?: SaslAuthenticator | undefined;
  /**
   * New SASL credentials, asked for by `connect` when the server rejected the last ones (the REPL asks
   * for the --sasl-user password again; scripts have none and fail fast). Rejects with PromptCancelled.
   */
  renewSasl?: () => Promise<SaslAuthenticator | undefined>;
  /** How long a command waits for a session that is (re)connecting. */
  connectWaitMs: number;
  /** Keep trying until connectWaitMs instead of failing once every host refused (-waitforconnection). */
  waitForConnection: boolean;
  format: OutputFormat;
  /** stdout is a terminal: every string written to sink.out goes through terminalSafe. */
  safeOutput: boolean;
  /** stderr is a terminal (default: safeOutput): the same for sink.err. */
  safeErrors?: boolean;
  sink: Sink;
  interactive: boolean;
  assumeYes: boolean;
  /** Print session events (SyncConnected, Disconnected, …) as zkCli does; off in scripted mode. */
  printSessionEvents: boolean;
  /** Where watch events go; default: the sink's stdout. The REPL prints them above the prompt. */
  onEvent?: (text: string) => void;
  confirm?: (message: string) => Promise<boolean>;
  password?: (message: string) => Promise<string>;
  /** Reads a line with echo (txn in the REPL); rejects with PromptCancelled. */
  ask?: (message: string) => Promise<string>;
  /** Hands the terminal to a program (edit's editor) and takes it back after (the REPL's readline). */
  withTerminal?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Told when the session state changes (the REPL refreshes its prompt). */
  onState?: () => void;
  /** Scripts send consecutive writes as multi batches (default true; --no-batch turns it off). */
  batch?: boolean;
  /** Credentials added to every session as it starts (ZK_SHELL_AUTH). */
  auth?: readonly { scheme: string; auth: string }[];
  /** A tree read from a data dir (--data-dir): commands read it instead of a session. */
  offline?: OfflineSource | undefined;
}

/** A read-only tree that stands in for a session (src/offline), named in the prompt by `label`. */
export type OfflineSource = ZkAdapter & { readonly label: string };

/** The command names closest to a mistyped one (within two edits, or names it starts). */
export function closeNames(word: string, names: readonly string[]): string[] {
  const w = word.toLowerCase();
  const scored = names.map((n) => ({
    n,
    d: n.toLowerCase().startsWith(w) && w.length >= 3 ? 0.5 : distance(w, n.toLowerCase()),
  }));
  const near = scored.filter((x) => x.d <= Math.min(2, Math.max(1, w.length / 3)));
  const best = Math.min(...near.map((x) => x.d));
  return near
    .filter((x) => x.d === best)
    .slice(0, 3)
    .map((x) => x.n);
}

/** The server closed the session because it rejected the SASL login. */
const rejectedSasl = (c: ZooKeeperClient): boolean => c.state === 'AUTH_FAILED' && c.lastError instanceof SaslError;

/** How long a command may take to stop after Ctrl-C before the shell stops waiting for it. */
const INTERRUPT_GRACE_MS = 1500;

/** The state of one shell: session, history, settings. Both the REPL and one-shot mode run lines here. */
export class Shell implements ShellControl {
  client: ZooKeeperClient | null = null;
  connectString: string;
  printWatches = true;
  lastCode = 0;
  quitRequested = false;
  /** The status `quit N` asked for. */
  quitStatus: number | null = null;
  /** The last error reported (scripts ask whether a failed line was sent). */
  lastError: unknown = null;
  /** `close` was run: no session until `connect`. */
  closedByUser = false;
  /** Set by --data-dir or `open`: the offline tree commands read; `connect` goes back to a session. */
  offline: OfflineSource | null;
  /** The current path (`cd`); relative znode arguments are resolved against it. */
  cwd = '/';
  previousCwd = '/';
  private entries: { n: number; line: string }[] = [];
  private counter = 0;
  private abort: AbortController | null = null;
  /**
   * Script multis being sent or reported (nested when a failed one is split), and whether Ctrl-C already asked
   * to stop after them: their lines are applied or not as one, so the script waits for the reply and prints it
   * rather than exit with its outcome unknown.
   */
  private batches = 0;
  private batchInterrupted = false;
  private sasl: SaslAuthenticator | undefined;
  /** The last session closed had its SASL login rejected. */
  private saslRejected = false;

  /** The only way out for text: made safe for a terminal when it goes to one. */
  private readonly sink: Required<Omit<Sink, 'screen'>> & Pick<Sink, 'screen'>;

  constructor(readonly opts: ShellOptions) {
    this.connectString = opts.connectString;
    this.offline = opts.offline ?? null;
    this.sasl = opts.sasl;
    const safeOut = opts.safeOutput ? terminalSafe : (s: string): string => s;
    const safeErr = (opts.safeErrors ?? opts.safeOutput) ? terminalSafe : (s: string): string => s;
    const note = opts.sink.note ? (s: string): void => opts.sink.note!(s) : (s: string): void => opts.sink.err(s);
    this.sink = {
      out: (s) => opts.sink.out(safeOut(s)),
      err: (s) => opts.sink.err(safeErr(s)),
      note: (s) => note(safeErr(s)),
      // Home and clear, then the text made safe: the only escape sequence the shell itself writes.
      ...(opts.safeOutput ? { screen: (s: string) => opts.sink.out(`\x1b[H\x1b[2J${safeOut(s)}`) } : {}),
    };
    this.event = opts.onEvent ? (s) => opts.onEvent!(safeOut(s)) : this.sink.out;
  }

  private readonly event: (text: string) => void;

  get commands(): readonly CommandSpec[] {
    return commands;
  }

  get format(): OutputFormat {
    return this.opts.format;
  }

  get tls(): TlsOptions | undefined {
    return this.opts.tls;
  }

  get state(): ShellControl['state'] {
    return this.client?.state ?? 'NOT_CONNECTED';
  }

  /** The history index of the next command (zkCli's prompt number). */
  get nextIndex(): number {
    return this.counter;
  }

  history(): readonly { n: number; line: string }[] {
    return this.entries;
  }

  targetHost(): HostPort {
    return this.client?.currentHost ?? parseConnectString(this.connectString).hosts[0]!;
  }

  envAuth(scheme: string): string | undefined {
    return this.opts.auth?.find((a) => a.scheme === scheme)?.auth;
  }

  /** Opens an offline tree in place of the session (the `open` command). */
  async openOffline(source: OfflineSource): Promise<void> {
    await this.close();
    this.closedByUser = false;
    this.offline = source;
    this.opts.onState?.();
  }

  quit(status?: number): void {
    this.quitRequested = true;
    if (status !== undefined) this.quitStatus = status;
  }

  changeDir(path: string): void {
    this.previousCwd = this.cwd;
    this.cwd = path;
    this.opts.onState?.();
  }

  /** Opens a session in the background (the REPL does this at start, as zkCli). */
  startSession(): void {
    if (this.client) return;
    const client = new ZooKeeperClient({
      connectString: this.connectString,
      sessionTimeout: this.opts.sessionTimeout,
      canBeReadOnly: this.opts.canBeReadOnly,
      ...(this.opts.tls ? { tls: this.opts.tls } : {}),
      ...(this.opts.maxBuffer ? { maxReply: this.opts.maxBuffer, maxRequest: this.opts.maxBuffer } : {}),
      ...(this.sasl ? { sasl: this.sasl } : {}),
      watcher: (e) => this.onWatch(e),
    });
    client.onState(() => this.opts.onState?.());
    this.client = client;
    client.start();
    // Sent with the handshake; a rejection shows as the session's AUTH_FAILED state.
    for (const a of this.opts.auth ?? []) client.addAuth(a.scheme, a.auth).catch(() => undefined);
  }

  private onWatch(e: WatchedEvent): void {
    if (!this.printWatches) return;
    if (e.type === -1 && !this.opts.printSessionEvents) return;
    const text =
      this.opts.format === 'json'
        ? `${jsonText({ event: { state: keeperStateName(e.state), type: eventTypeName(e.type), path: e.path } })}\n`
        : `${watcherLines(e).join('\n')}\n`;
    this.event(text);
  }

  async connect(connectString?: string): Promise<void> {
    if (connectString !== undefined) parseConnectString(connectString);
    // The same credentials would be rejected again: ask for new ones first (a cancel keeps the session).
    if (this.opts.renewSasl && (this.client ? rejectedSasl(this.client) : this.saslRejected))
      this.sasl = await this.opts.renewSasl();
    await this.close();
    this.offline = null;
    this.closedByUser = false;
    // Another ensemble or chroot: the current path may mean nothing there.
    if (connectString !== undefined && connectString !== this.connectString) this.cwd = this.previousCwd = '/';
    if (connectString !== undefined) this.connectString = connectString;
    this.startSession();
  }

  /** Closes the session. `exiting`: the process ends next, so the reply to closeSession is not awaited. */
  async close(exiting = false): Promise<void> {
    // After `close`, commands say "Not connected" until `connect`, as zkCli (no silent new session).
    this.closedByUser = true;
    this.offline = null;
    const c = this.client;
    this.client = null;
    if (c) this.saslRejected = rejectedSasl(c);
    if (c) await c.close({ waitReply: !exiting });
    this.opts.onState?.();
  }

  /** The client, once connected (waiting up to connectWaitMs while it connects). */
  async ready(): Promise<ZooKeeperClient> {
    // A data dir is open: commands that need a live session (watch, session, cp) must not dial the old
    // connect string behind the user's back.
    if (this.offline)
      throw new CommandFailed(`${this.offline.label} is open (read-only); "connect host:port" goes back to a server`);
    if (!this.client) {
      if (this.closedByUser) throw new NotConnectedError('Not connected');
      this.startSession();
    }
    const c = this.client!;
    // Read again after the wait below (the getter changes while we await; TS would keep it narrowed).
    const authFailed = (): boolean => c.state === 'AUTH_FAILED';
    if (c.state === 'CLOSED') {
      if (c.isExpired)
        throw new NotConnectedError('Not connected: the session expired (use "connect" for a new one)', 'expired');
      throw new NotConnectedError('Not connected');
    }
    if (c.state === 'AUTH_FAILED') {
      const why = c.lastError instanceof SaslError ? c.lastError.message : 'authentication failed';
      throw new NotConnectedError(`Not connected: ${why} (use "connect" for a new session)`, 'authfailed');
    }
    if (!c.isConnected) {
      try {
        // Unless told to wait, a fresh session fails as soon as every host has refused once.
        const maxFailures = this.opts.waitForConnection ? Infinity : c.hostCount;
        await c.waitConnected(this.opts.connectWaitMs, maxFailures);
      } catch (e) {
        const reason = c.isExpired ? 'expired' : authFailed() ? 'authfailed' : 'disconnected';
        throw new NotConnectedError(`Not connected: ${(e as Error).message}`, reason);
      }
    }
    return c;
  }

  /** Adds a line to the numbered history (redacted: secrets never stay in memory or on disk). */
  record(text: string): void {
    if (text.trim().length > 0) this.entries.push({ n: this.counter++, line: redactLine(text) });
  }

  /** Cancels the running command (Ctrl-C). Returns whether one was running. */
  cancel(): boolean {
    if (this.batches > 0 && !this.batchInterrupted) {
      // The caller ends the script (quit); a second Ctrl-C no longer waits for the reply.
      this.batchInterrupted = true;
      return true;
    }
    if (!this.abort) return false;
    this.abort.abort(new Interrupted());
    return true;
  }

  get busy(): boolean {
    return this.abort !== null;
  }

  /**
   * Runs one line (a string to tokenize, or argv words as given by the OS shell) and renders its result.
   * With `record`, the line enters the numbered history first (so `history` lists itself, as zkCli).
   */
  async execute(line: string | readonly string[], record = false): Promise<number> {
    const text = typeof line === 'string' ? line : line.join(' ');
    if (record) this.record(text);
    let code: number;
    try {
      const words = typeof line === 'string' ? tokenize(line) : [...line];
      if (words.length === 0) return this.lastCode;
      const result = await this.runWords(words);
      try {
        await render(result, this.sink, { format: this.opts.format, width: tableWidth() });
      } finally {
        // A streamed result kept its Ctrl-C handle while it was read (see runWords).
        this.abort = null;
      }
      // quit leaves with the status of the command before it, as zkCli, or with the one it was given.
      code = this.quitRequested
        ? (this.quitStatus ?? this.lastCode)
        : silentFailure(result)
          ? EXIT.FAILED.code
          : EXIT.OK.code;
    } catch (e) {
      code = this.report(e);
    }
    this.lastCode = code;
    return code;
  }

  /** Parses and runs words, returning the result unrendered (redo uses this too). */
  async runWords(words: readonly string[]): Promise<CommandResult> {
    const { spec, parsed } = parseCommand(words, this.cwd);
    const abort = new AbortController();
    this.abort = abort;
    // Ctrl-C ends the wait at once; requests already sent finish on their own.
    const aborted = new Promise<never>((_, reject) =>
      abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }),
    );
    aborted.catch(() => undefined);
    let zk: ZkAdapter | null;
    try {
      zk = spec.needsConnection ? (this.offline ?? (await Promise.race([this.ready(), aborted]))) : null;
    } catch (e) {
      if (this.abort === abort) this.abort = null;
      throw e;
    }
    let streamed = false;
    const ctx: CommandContext = {
      get zk(): ZkAdapter {
        if (!zk) throw new NotConnectedError();
        return zk;
      },
      shell: this,
      interactive: this.opts.interactive,
      assumeYes: this.opts.assumeYes,
      // A confirmation left without an answer (Ctrl-C, Ctrl-D) is a no.
      confirm: (m) =>
        this.opts.interactive && !this.opts.assumeYes && this.opts.confirm
          ? this.opts.confirm(m).catch((e: unknown) => {
              if (e instanceof PromptCancelled) return false;
              throw e;
            })
          : Promise.resolve(true),
      password: (m) => {
        if (!this.opts.password)
          return Promise.reject(
            new UsageError('no password given, and none can be asked for outside the interactive shell'),
          );
        return this.opts.password(m);
      },
      note: (l) => this.sink.note(`${l}\n`),
      out: (t) => this.sink.out(t),
      ask: (m) =>
        this.opts.ask
          ? this.opts.ask(m)
          : Promise.reject(new UsageError('this needs the interactive shell (in a script, give the lines in a file)')),
      withTerminal: (fn) => (this.opts.withTerminal ? this.opts.withTerminal(fn) : fn()),
      signal: abort.signal,
      emit: (r) => render(r, this.sink, { format: this.opts.format, width: tableWidth() }),
    };
    try {
      const run = spec.run(ctx, parsed).catch((e: unknown) => {
        if (e instanceof UsageError && e.usage === undefined) e.usage = `${spec.name} ${spec.usage}`;
        // A password prompt left without an answer: the command did nothing, and says so in one line.
        if (e instanceof PromptCancelled)
          throw e.by === 'interrupt'
            ? new Interrupted(`${spec.name} cancelled`)
            : new CommandFailed(`${spec.name} cancelled`);
        throw e;
      });
      run.catch(() => undefined);
      try {
        const result = await Promise.race([run, aborted]);
        // Read lazily while rendered: Ctrl-C must still reach it then (execute clears it after).
        streamed = isStreamed(result);
        return result;
      } catch (e) {
        if (!abort.signal.aborted) throw e;
        // Ctrl-C: a command that watches the signal gets a moment to stop and say how far it got.
        const grace = new Promise<never>((_, reject) => setTimeout(() => reject(e), INTERRUPT_GRACE_MS).unref());
        return await Promise.race([run, grace]);
      }
    } finally {
      // A streamed result (ls -R, txnlog -f, find, …) runs while it renders: Ctrl-C must still reach it.
      if (this.abort === abort && !streamed) this.abort = null;
    }
  }

  /** Runs script lines (see batch.ts: consecutive writes travel as multi batches). */
  runScript(lines: Iterable<string> | AsyncIterable<string>, keepGoing: boolean): Promise<number> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the host's getter reads live state
    const shell = this;
    return runScript(
      {
        execute: (line) => {
          this.lastError = null;
          return this.execute(line);
        },
        lastError: () => this.lastError,
        cwd: () => this.cwd,
        record: (line) => this.record(line),
        connected: () => this.ready(),
        connectedNow: () => !!this.client?.isConnected,
        report: (e) => this.report(e),
        render: async (results) => {
          const o = { format: this.opts.format, width: tableWidth() };
          for (const r of results) if (!renderNow(r, this.sink, o)) await render(r, this.sink, o);
        },
        note: (t) => this.sink.note(`${t}\n`),
        sending: async (work) => {
          if (this.batches++ === 0) this.batchInterrupted = false;
          try {
            return await work();
          } finally {
            this.batches--;
          }
        },
        get quitRequested(): boolean {
          return shell.quitRequested;
        },
        get quitStatus(): number | null {
          return shell.quitStatus;
        },
      },
      lines,
      { keepGoing, batch: !this.offline && (this.opts.batch ?? true) },
    ).then((code) => {
      this.lastCode = code;
      return code;
    });
  }

  /** redo: the history entry being run replaces the redo line itself, as zkCli. */
  async rerun(line: string): Promise<CommandResult> {
    const last = this.entries[this.entries.length - 1];
    if (last) last.line = line;
    return this.runWords(tokenize(line));
  }

  /** Prints an error the way zkCli words it (stderr) and returns its exit code. */
  report(e: unknown): number {
    this.lastError = e;
    // One line per message, even when it echoes a word with a newline in it (a path, an ACL).
    const err = (s: string): void => this.sink.err(`${oneLine(s)}\n`);
    if (e instanceof UnknownCommandError) {
      // Our own text, TABs and all (as zkCli prints it): only what echoes input needs oneLine.
      for (const l of usageBlock(commands)) this.sink.err(`${l}\n`);
      err(e.message);
      const close = closeNames(
        e.command,
        commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
      );
      if (close.length > 0) err(`did you mean ${close.join(' or ')}?`);
      return EXIT.UNKNOWN_COMMAND.code;
    }
    if (e instanceof UsageError || e instanceof TokenizeError || e instanceof InvalidArgumentError) {
      err(e.message);
      if (e instanceof UsageError && e.usage) err(`usage: ${e.usage}`);
      return EXIT.USAGE.code;
    }
    if (e instanceof ZkError) {
      err(e.cliMessage);
      if (e.code === Code.CONNECTIONLOSS) return EXIT.NOT_CONNECTED.code;
      if (e.code === Code.SESSIONEXPIRED) return EXIT.EXPIRED.code;
      // A server that requires SASL closes a session that did not pass it (-124).
      if (e.code === Code.AUTHFAILED || e.code === Code.SESSIONCLOSEDREQUIRESASLAUTH) return EXIT.AUTH_FAILED.code;
      return EXIT.FAILED.code;
    }
    if (e instanceof CommandFailed) {
      // grep's "nothing matched" is an exit code only, as grep(1).
      if (e.message) err(e.message);
      for (const d of e.details) err(d);
      return e instanceof Interrupted ? EXIT.INTERRUPTED.code : EXIT.FAILED.code;
    }
    if (e instanceof NotConnectedError) {
      err(e.message);
      return e.reason === 'expired'
        ? EXIT.EXPIRED.code
        : e.reason === 'authfailed'
          ? EXIT.AUTH_FAILED.code
          : EXIT.NOT_CONNECTED.code;
    }
    const msg = e instanceof Error ? e.message : String(e);
    err(`zk-shell: internal error: ${msg} (this is a bug, please report it)`);
    return EXIT.INTERNAL.code;
  }
}
