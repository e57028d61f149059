import type { MultiOp, ZooKeeperClient } from '../zk/client.js';
import type { ZkError } from '../zk/errors.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import type { HostPort } from '../zk/host-provider.js';
import type { SessionState } from '../zk/session.js';
import type { TlsOptions } from '../zk/transport.js';
import type { Shape } from '../output/json-shape.js';
import type { TxnEntry } from '../offline/txn-view.js';
import type { ClientGroup, SessionInfo, TxnOutcome } from '../live/results.js';
import type { ClusterReport } from '../cluster/report.js';
import type { ClusterTrend } from '../output/cluster-view.js';
import type { RecipeView } from '../recipes/view.js';
import type { SearchResult } from '../search/results.js';

/** The client operations commands may use; unit tests pass a fake. */
export type ZkAdapter = Pick<
  ZooKeeperClient,
  | 'create'
  | 'create2'
  | 'delete'
  | 'exists'
  | 'getData'
  | 'setData'
  | 'getACL'
  | 'setACL'
  | 'getChildren'
  | 'getChildren2'
  | 'sync'
  | 'multi'
  | 'getConfig'
  | 'reconfig'
  | 'removeWatches'
  | 'addWatch'
  | 'getEphemerals'
  | 'getAllChildrenNumber'
  | 'whoAmI'
  | 'addAuth'
  | 'toServerPath'
>;

/** A command-line option, declared once; parsing, help, completion and the man page derive from it. */
export interface OptionSpec {
  /** The single letter used after one dash (zkCli's spelling). An option has a short or a long name, or both. */
  readonly short?: string;
  /** The long name, written `--long` (`--dry-run`); with `singleDash` written `-long` too (find's `-name`). */
  readonly long?: string;
  readonly singleDash?: boolean;
  readonly type: 'boolean' | 'string';
  /** Shown in help for valued options, e.g. "version". */
  readonly valueName?: string;
  readonly description: string;
}

/** What a positional argument is, for completion and help. */
export type ArgKind =
  | 'znode'
  /** A znode, or a zk:// URL, export file or data: dir (cp, diff): completes as a znode unless it names another kind. */
  | 'endpoint'
  | 'data'
  | 'acl'
  | 'scheme'
  | 'auth'
  | 'number'
  | 'hostport'
  | 'word'
  | 'mode';

export interface ArgSpec {
  readonly name: string;
  readonly kind: ArgKind;
  readonly optional?: boolean;
  /** znode: a trailing `/` means something here (`create -s /q/`, a getEphemerals prefix): keep it. */
  readonly keepTrailingSlash?: boolean;
  /** znode: words passed on as typed instead of resolved against the current path (cd's `-`). */
  readonly keep?: readonly string[];
}

/** Parsed command line: option values by option name, then positionals. */
export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly args: readonly string[];
  /** The name or alias the user typed. */
  readonly invokedAs?: string;
}

/** What the REPL or one-shot runner lets a command control besides the ZooKeeper client. */
export interface ShellControl {
  readonly connectString: string;
  readonly state: SessionState | 'NOT_CONNECTED';
  /** Closes the current session (if any) and opens one to `connectString` (default: the current one). */
  connect(connectString?: string): Promise<void>;
  close(): Promise<void>;
  /** `close` was run and no `connect` since: commands say "Not connected". */
  readonly closedByUser: boolean;
  /** Reads an offline tree (a data dir, src/offline) instead of a session until `connect`. */
  openOffline?(source: ZkAdapter & { readonly label: string }): Promise<void>;
  /** Ends the shell after this command; with `status`, the process exits with it. */
  quit(status?: number): void;
  /** Numbered history, oldest first, as zkCli keeps it. */
  history(): readonly { n: number; line: string }[];
  /** Runs a history entry again (redo). */
  rerun(line: string): Promise<CommandResult>;
  printWatches: boolean;
  /** The default-mode of the output (zkcli/json/table). */
  readonly format: OutputFormat;
  /** The server the session is on, else the first of the connect string (for four-letter words). */
  targetHost(): HostPort;
  /** The auth ZK_SHELL_AUTH gave for this scheme (admin -auth SCHEME), if any. */
  envAuth(scheme: string): string | undefined;
  /** TLS options of the session, for four-letter words on a secure port. */
  readonly tls: TlsOptions | undefined;
  /** The command registry (for help). */
  readonly commands: readonly CommandSpec[];
  /** The session's client, if one was started (session_info, watch: state, events, new session after expiry). */
  readonly client: ZooKeeperClient | null;
  /** The client once connected, starting or waiting for a session as any command does. */
  ready(): Promise<ZooKeeperClient>;
  /** The current path (`cd`), a client path: with a chroot, `/` is the chroot. */
  readonly cwd: string;
  /** The path before the last `cd` (`cd -`). */
  readonly previousCwd: string;
  /** Makes `path` (absolute, already checked to exist) the current path. */
  changeDir(path: string): void;
}

export type OutputFormat = 'zkcli' | 'json' | 'table';

export interface CommandContext {
  /** The connected client; throws NotConnectedError when there is none. */
  readonly zk: ZkAdapter;
  readonly shell: ShellControl;
  /** True in the REPL on a terminal: only then may a command ask for confirmation. */
  readonly interactive: boolean;
  /** --yes / -y was given: never ask. */
  readonly assumeYes: boolean;
  /** Asks the user; resolves true without asking when not interactive or assumeYes, false when the user cancels. */
  confirm(message: string): Promise<boolean>;
  /** Asks for a secret without echo (REPL only); rejects with PromptCancelled on Ctrl-C or Ctrl-D. */
  password(message: string): Promise<string>;
  /** A line for stderr that is not the result (deprecation notes, progress). */
  note(line: string): void;
  /** Streams text to stdout as it happens (watch); made safe for a terminal like any result. */
  out(text: string): void;
  /** Reads one line typed by the user, with echo (REPL only); rejects with PromptCancelled on Ctrl-C or Ctrl-D. */
  ask(message: string): Promise<string>;
  /** Runs fn (an editor) with the terminal to itself: the REPL's line editor lets go of it meanwhile. */
  withTerminal<T>(fn: () => Promise<T>): Promise<T>;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
  /** Renders a result now, while the command goes on (live views such as cluster --watch). */
  readonly emit?: (r: CommandResult) => Promise<void>;
}

/** Data returned by a command; src/output renders it as zkCli text, JSON or tables. */
export type CommandResult =
  | { type: 'none' }
  /** The command wrote its output as it happened (watch): nothing more to print, in any format. */
  | { type: 'streamed' }
  | { type: 'children'; path: string; children: string[]; stat?: Stat }
  /**
   * A streamed subtree listing; a node that could not be listed comes as a PathError in its place.
   * Items may come one by one or in arrays (a walk hands over whole batches: no await per path).
   */
  | { type: 'paths'; path: string; paths: AsyncIterable<string | PathError | readonly (string | PathError)[]> }
  | { type: 'data'; path: string; data: Buffer | null; stat?: Stat; encoding: 'text' | 'base64' | 'hex' }
  | { type: 'stat'; path: string; stat: Stat }
  | { type: 'acl'; path: string; acl: ACL[]; stat?: Stat }
  | { type: 'created'; path: string; stat?: Stat }
  | { type: 'number'; path: string; value: number }
  | { type: 'lines'; name: string; lines: string[]; stderr?: boolean }
  | { type: 'ephemerals'; paths: string[] }
  | { type: 'whoami'; identities: { scheme: string; user: string }[] }
  | { type: 'config'; text: string; stat?: Stat; form: 'full' | 'connect' }
  | { type: 'quota'; path: string; limits: string | null; stats: string | null }
  | { type: 'flw'; word: string; server: string; text: string }
  | { type: 'admin'; command: string; status: number; body: Record<string, unknown> }
  | { type: 'version'; version: string; zookeeperProtocol: string }
  /** Logged transactions, streamed (txnlog); notes (a truncated log) go to stderr where they occur. */
  | { type: 'txns'; entries: AsyncIterable<TxnEntry | { note: string }>; fullData: boolean }
  | { type: 'txn'; ops: TxnOutcome[] }
  | { type: 'session'; info: SessionInfo }
  | { type: 'clients'; word: 'cons' | 'wchc' | 'wchp'; server: string; groups: ClientGroup[] }
  /** cluster: a report; `frame` while watching (redrawn in place), `shown` once the frames were emitted. */
  | { type: 'cluster'; report: ClusterReport; trend?: ClusterTrend; frame?: { interval: number }; shown?: boolean }
  | { type: 'recipe'; view: RecipeView }
  /** Text written as it comes, in every format (export to stdout, diff): the command formats it. */
  | { type: 'stream'; chunks: AsyncIterable<string> }
  /** What export, import or cp did: summary lines for text, counts for JSON and tables. */
  | { type: 'transfer'; action: string; summary: string[]; counts: Record<string, number | string> }
  // Navigation (src/output/nav-output.ts renders these).
  /** cd/pwd: the current path; `print` says whether the zkcli format shows it (pwd, `cd -`). */
  | { type: 'cwd'; path: string; print: boolean }
  /** exists: stat null when missing (exit 1); the stat is printed only with `print` (-s). */
  | { type: 'exists'; path: string; stat: Stat | null; print: boolean }
  | { type: 'edited'; path: string; changed: boolean; stat?: Stat }
  | { type: 'moved'; from: string; to: string; nodes: number }
  /** tree, find, grep, du: streamed rows (src/search/results.ts). */
  | SearchResult;

/** Results read lazily while they are rendered: Ctrl-C must still reach the command then. */
export const isStreamed = (r: CommandResult): boolean =>
  r.type === 'paths' ||
  r.type === 'txns' ||
  r.type === 'tree' ||
  r.type === 'found' ||
  r.type === 'grep' ||
  r.type === 'du';

/** A shell command: declarative spec plus a handler that returns data. */
export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** zkCli's option string, e.g. "[-s] [-w] [-R] path"; printed for usage errors. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly args: readonly ArgSpec[];
  /** Needs a live session (zkCli prints "Not connected" otherwise). */
  readonly needsConnection: boolean;
  /** Longer help: what it does, and where it differs from zkCli. */
  readonly help: string;
  readonly examples: readonly string[];
  /** The shape of its --format json document (man page and tests derive from it). */
  readonly json: Shape;
  /** What --format table shows, for help and the man page. */
  readonly table: string;
  /** Takes its words unparsed (for zkCli's multi-letter options such as -add, -server). */
  readonly raw?: boolean;
  run(ctx: CommandContext, parsed: ParsedArgs): Promise<CommandResult>;
  /**
   * The same command as one multi sub-op, so a script's consecutive writes can be sent as one atomic
   * batch; null when this line cannot be batched (it then runs on its own). The result is what run()
   * would have returned on success.
   */
  toMultiOp?(parsed: ParsedArgs): { op: MultiOp; result: (created?: string) => CommandResult } | null;
}

/** Wrong arguments: the message, then the usage line; exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** The command's usage line, printed after the message (filled in by the executor). */
  usage?: string;
}

/** The command ran and failed for a reason that is not a ZooKeeper error code; exit code 1. */
/** A node inside a walk that could not be read (no permission, a reply over the limit, …). */
export interface PathError {
  readonly path: string;
  readonly error: ZkError;
}

export class CommandFailed extends Error {
  override name = 'CommandFailed';
  /** Output produced before the failure (e.g. the nodes deleteall could not delete). */
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** Ctrl-C stopped the command; the message says how far it got. Exit code 130. */
export class Interrupted extends CommandFailed {
  override name = 'Interrupted';
  constructor(message = 'interrupted', details: string[] = []) {
    super(message, details);
  }
}

/**
 * The user left a prompt without answering: Ctrl-C (or a signal) is 'interrupt', Ctrl-D is 'eof'.
 * Every prompt turns its library's ways of ending into this (src/repl/prompts.ts).
 */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor(readonly by: 'interrupt' | 'eof') {
    super(by === 'interrupt' ? 'interrupted' : 'no answer (end of input)');
  }
}

/** No session (zkCli: "Not connected"). */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
  /** Why: decides the exit code (could not connect / lost, expired, auth failed). */
  constructor(
    message = 'Not connected',
    readonly reason: 'disconnected' | 'expired' | 'authfailed' = 'disconnected',
  ) {
    super(message);
  }
}

/** Parses a decimal integer option or fails with a usage error naming the option. */
export function intOption(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined || value === false) return fallback;
  // Java's Integer.parseInt: an optional sign (+ too), then decimal digits.
  if (typeof value !== 'string' || !/^[+-]?\d+$/.test(value))
    throw new UsageError(`${name} must be an int value, got: ${String(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647)
    throw new UsageError(`${name} is out of range: ${value}`);
  return n;
}
