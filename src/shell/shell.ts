import type { CommandContext, CommandResult, CommandSpec, OutputFormat, ShellControl, ZkAdapter } from '../commands/spec.js';
import { CommandFailed, NotConnectedError, UsageError } from '../commands/spec.js';
import { usageBlock } from '../commands/help.js';
import { commands } from '../commands/index.js';
import { EXIT } from '../cli/exit-codes.js';
import { render, type Sink } from '../output/format.js';
import { jsonText } from '../output/json.js';
import { terminalSafe } from '../output/terminal.js';
import { watcherLines } from '../output/zkcli.js';
import { ZooKeeperClient, type MultiResult } from '../zk/client.js';
import { Code, errorFor, InvalidArgumentError, ZkError } from '../zk/errors.js';
import { parseConnectString, type HostPort } from '../zk/host-provider.js';
import { eventTypeName, keeperStateName } from '../zk/protocol.js';
import type { TlsOptions } from '../zk/transport.js';
import type { WatchedEvent } from '../zk/watches.js';
import { batchable, MAX_BATCH_BYTES, MAX_BATCH_OPS, type BatchedLine } from './batch.js';
import { parseCommand, UnknownCommandError } from './parse.js';
import { redactLine } from './redact.js';
import { tokenize, TokenizeError } from './tokenize.js';

export interface ShellOptions {
  connectString: string;
  sessionTimeout: number;
  canBeReadOnly: boolean;
  tls: TlsOptions | undefined;
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
  /** Told when the session state changes (the REPL refreshes its prompt). */
  onState?: () => void;
  /** Credentials added to every session as it starts (ZK_SHELL_AUTH). */
  auth?: readonly { scheme: string; auth: string }[];
}

/** The state of one shell: session, history, settings. Both the REPL and one-shot mode run lines here. */
export class Shell implements ShellControl {
  client: ZooKeeperClient | null = null;
  connectString: string;
  printWatches = true;
  lastCode = 0;
  quitRequested = false;
  private entries: { n: number; line: string }[] = [];
  private counter = 0;
  private abort: AbortController | null = null;

  /** The only way out for text: made safe for a terminal when it goes to one. */
  private readonly sink: Sink;

  constructor(readonly opts: ShellOptions) {
    this.connectString = opts.connectString;
    const safeOut = opts.safeOutput ? terminalSafe : (s: string): string => s;
    const safeErr = (opts.safeErrors ?? opts.safeOutput) ? terminalSafe : (s: string): string => s;
    this.sink = { out: (s) => opts.sink.out(safeOut(s)), err: (s) => opts.sink.err(safeErr(s)) };
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
    return this.client?.session.currentHost ?? parseConnectString(this.connectString).hosts[0]!;
  }

  quit(): void {
    this.quitRequested = true;
  }

  /** Opens a session in the background (the REPL does this at start, as zkCli). */
  startSession(): void {
    if (this.client) return;
    const client = new ZooKeeperClient({
      connectString: this.connectString,
      sessionTimeout: this.opts.sessionTimeout,
      canBeReadOnly: this.opts.canBeReadOnly,
      ...(this.opts.tls ? { tls: this.opts.tls } : {}),
      watcher: (e) => this.onWatch(e),
    });
    client.session.on('state', () => this.opts.onState?.());
    this.client = client;
    client.session.start();
    // Sent with the handshake; a rejection shows as the session's AUTH_FAILED state.
    for (const a of this.opts.auth ?? []) client.addAuth(a.scheme, a.auth).catch(() => undefined);
  }

  private onWatch(e: WatchedEvent): void {
    if (!this.printWatches) return;
    if (e.type === -1 && !this.opts.printSessionEvents) return;
    const text = this.opts.format === 'json'
      ? `${jsonText({ event: { state: keeperStateName(e.state), type: eventTypeName(e.type), path: e.path } })}\n`
      : `${watcherLines(e).join('\n')}\n`;
    this.event(text);
  }

  async connect(connectString?: string): Promise<void> {
    if (connectString !== undefined) parseConnectString(connectString);
    await this.close();
    if (connectString !== undefined) this.connectString = connectString;
    this.startSession();
  }

  /** Closes the session. `exiting`: the process ends next, so the reply to closeSession is not awaited. */
  async close(exiting = false): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.close({ waitReply: !exiting });
    this.opts.onState?.();
  }

  /** The client, once connected (waiting up to connectWaitMs while it connects). */
  private async ready(): Promise<ZooKeeperClient> {
    if (!this.client) this.startSession();
    const c = this.client!;
    if (c.state === 'CLOSED') {
      if (c.session.isExpired) throw new NotConnectedError('Not connected: the session expired (use "connect" for a new one)', 'expired');
      throw new NotConnectedError('Not connected');
    }
    if (c.state === 'AUTH_FAILED') throw new NotConnectedError('Not connected: authentication failed (use "connect" for a new session)', 'authfailed');
    if (!c.session.isConnected) {
      try {
        // Unless told to wait, a fresh session fails as soon as every host has refused once.
        const maxFailures = this.opts.waitForConnection ? Infinity : c.session.hostCount;
        await c.session.waitConnected(this.opts.connectWaitMs, maxFailures);
      } catch (e) {
        const reason = c.session.isExpired ? 'expired' : c.session.state === 'AUTH_FAILED' ? 'authfailed' : 'disconnected';
        throw new NotConnectedError(`Not connected: ${(e as Error).message}`, reason);
      }
    }
    return c;
  }

  /** Cancels the running command (Ctrl-C). Returns whether one was running. */
  cancel(): boolean {
    if (!this.abort) return false;
    this.abort.abort(new CommandFailed('interrupted'));
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
    if (record && text.trim().length > 0) this.entries.push({ n: this.counter++, line: redactLine(text) });
    let code: number;
    try {
      const words = typeof line === 'string' ? tokenize(line) : [...line];
      if (words.length === 0) return this.lastCode;
      const result = await this.runWords(words);
      await render(result, this.sink, { format: this.opts.format });
      code = EXIT.OK.code;
    } catch (e) {
      code = this.report(e);
    }
    this.lastCode = code;
    return code;
  }

  /** Parses and runs words, returning the result unrendered (redo uses this too). */
  async runWords(words: readonly string[]): Promise<CommandResult> {
    const { spec, parsed } = parseCommand(words);
    const abort = new AbortController();
    this.abort = abort;
    // Ctrl-C ends the wait at once; requests already sent finish on their own.
    const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }));
    aborted.catch(() => undefined);
    let zk: ZooKeeperClient | null;
    try {
      zk = spec.needsConnection ? await Promise.race([this.ready(), aborted]) : null;
    } catch (e) {
      if (this.abort === abort) this.abort = null;
      throw e;
    }
    const ctx: CommandContext = {
      get zk(): ZkAdapter {
        if (!zk) throw new NotConnectedError();
        return zk;
      },
      shell: this,
      interactive: this.opts.interactive,
      assumeYes: this.opts.assumeYes,
      confirm: (m) => (this.opts.interactive && !this.opts.assumeYes && this.opts.confirm ? this.opts.confirm(m) : Promise.resolve(true)),
      password: (m) => {
        if (!this.opts.password) return Promise.reject(new UsageError('no password given, and none can be asked for outside the interactive shell'));
        return this.opts.password(m);
      },
      note: (l) => this.sink.err(`${l}\n`),
      signal: abort.signal,
    };
    try {
      const run = spec.run(ctx, parsed).catch((e: unknown) => {
        if (e instanceof UsageError && e.usage === undefined) e.usage = `${spec.name} ${spec.usage}`;
        throw e;
      });
      return await Promise.race([run, aborted]);
    } finally {
      if (this.abort === abort) this.abort = null;
    }
  }

  /**
   * Runs script lines. Consecutive create/set/delete lines go to the server as multi batches (one
   * round trip and one transaction each): a multi is atomic, so when line k of a batch fails nothing
   * was applied; lines before k are then applied again, line k is reported as if run alone, and the
   * script stops there (or goes on with --keep-going). Output and exit code are those of running
   * the lines one by one.
   */
  async runScript(lines: Iterable<string> | AsyncIterable<string>, keepGoing: boolean): Promise<number> {
    let batch: BatchedLine[] = [];
    let bytes = 0;
    let failure = 0;
    let stop = false;
    const flush = async (): Promise<void> => {
      const b = batch;
      batch = [];
      bytes = 0;
      for (let rest = b; rest.length > 0 && !stop;) {
        const { failedAt, code } = await this.runBatch(rest);
        if (failedAt < 0) return;
        failure = code;
        if (!keepGoing) stop = true;
        rest = rest.slice(failedAt + 1);
      }
    };
    for await (const raw of lines) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      let b: BatchedLine | null = null;
      try {
        const { spec, parsed } = parseCommand(tokenize(line));
        b = batchable(line, spec, parsed);
      } catch {
        b = null; // runs on its own below and reports its error there
      }
      if (b) {
        if (batch.length >= MAX_BATCH_OPS || bytes + b.bytes > MAX_BATCH_BYTES) await flush();
        if (stop) break;
        batch.push(b);
        bytes += b.bytes;
        continue;
      }
      await flush();
      if (stop) break;
      const code = await this.execute(line);
      if (code !== 0) {
        failure = code;
        if (!keepGoing) break;
      }
      if (this.quitRequested) break;
    }
    if (!stop) await flush();
    this.lastCode = failure;
    return failure;
  }

  /** Sends one batch; returns the index of the failing line (-1 if none) and its exit code. */
  private async runBatch(b: readonly BatchedLine[]): Promise<{ failedAt: number; code: number }> {
    const sink = this.sink;
    const show = async (lines: readonly BatchedLine[], results: readonly MultiResult[]): Promise<void> => {
      for (let i = 0; i < lines.length; i++) {
        const r = results[i];
        await render(lines[i]!.result(r?.type === 'create' ? r.path : undefined), sink, { format: this.opts.format });
      }
    };
    let zk: ZooKeeperClient;
    try {
      zk = await this.ready();
      if (b.length === 1) {
        // A lone line gains nothing from a multi: run it as written.
        const code = await this.execute(b[0]!.line);
        return { failedAt: code === 0 ? -1 : 0, code };
      }
      await show(b, await zk.multi(b.map((x) => x.op)));
      return { failedAt: -1, code: 0 };
    } catch (e) {
      if (!(e instanceof ZkError) || !e.results) {
        // Lost connection or session: whether the batch was applied cannot be known.
        const code = this.report(e);
        if (b.length > 1) this.sink.err(`(a batch of ${b.length} lines, "${b[0]!.line}" … "${b[b.length - 1]!.line}", may or may not have been applied)\n`);
        return { failedAt: 0, code };
      }
      const k = e.results.findIndex((r) => r.err !== 0);
      const before = b.slice(0, k);
      if (before.length > 0) {
        const again = await this.runBatch(before);
        if (again.failedAt >= 0) return again;
      }
      return { failedAt: k, code: this.report(errorFor(e.results[k]!.err, b[k]!.op.path)) };
    }
  }

  /** redo: the history entry being run replaces the redo line itself, as zkCli. */
  async rerun(line: string): Promise<CommandResult> {
    const last = this.entries[this.entries.length - 1];
    if (last) last.line = line;
    return this.runWords(tokenize(line));
  }

  /** Prints an error the way zkCli words it (stderr) and returns its exit code. */
  report(e: unknown): number {
    const err = (s: string): void => this.sink.err(`${s}\n`);
    if (e instanceof UnknownCommandError) {
      for (const l of usageBlock(commands)) err(l);
      err(e.message);
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
      if (e.code === Code.AUTHFAILED) return EXIT.AUTH_FAILED.code;
      return EXIT.FAILED.code;
    }
    if (e instanceof CommandFailed) {
      err(e.message);
      for (const d of e.details) err(d);
      return e.message === 'interrupted' ? EXIT.INTERRUPTED.code : EXIT.FAILED.code;
    }
    if (e instanceof NotConnectedError) {
      err(e.message);
      return e.reason === 'expired' ? EXIT.EXPIRED.code : e.reason === 'authfailed' ? EXIT.AUTH_FAILED.code : EXIT.NOT_CONNECTED.code;
    }
    const msg = e instanceof Error ? e.message : String(e);
    err(`zk-shell: internal error: ${msg} (this is a bug, please report it)`);
    return EXIT.INTERNAL.code;
  }
}
