// Long on purpose (~410 lines): the process entry point, commander's option table and the choice
// between one-shot, script, REPL, sandbox and offline modes; each mode lives in its own module.
import fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { commands, findCommand } from '../commands/index.js';
import type { OutputFormat } from '../commands/spec.js';
import { version } from '../commands/version.js';
import { Shell } from '../shell/shell.js';
import { makeStyle } from '../output/style.js';
import { terminalSafe } from '../output/terminal.js';
import { parseConnectString } from '../zk/host-provider.js';
import { untilFinished } from './unfinished.js';
import { legacyTerm, rewriteLegacyArgs } from './argv.js';
import { ClientConfigError, loadClientConfig } from './client-config.js';
import { takeEnvAuth, type Credential } from './env-auth.js';
import { EXIT } from '../shell/exit-codes.js';
import { explicitMaxBuffer } from './max-buffer.js';
import { joinedOutput } from './joined-output.js';
import type { ReplOptions } from '../repl/repl.js';
import { scriptLines } from '../shell/script-lines.js';

function stdinIsDirectory(): boolean {
  try {
    return fs.fstatSync(0).isDirectory();
  } catch {
    return false;
  }
}

interface GlobalOptions {
  server: string;
  timeout: string;
  readonly?: boolean;
  waitforconnection?: boolean;
  clientConfiguration?: string;
  jaas?: string;
  saslUser?: string;
  saslPasswordFile?: string;
  saslMechanism?: string;
  command: string[];
  file?: string;
  format: OutputFormat;
  color: boolean;
  yes?: boolean;
  keepGoing?: boolean;
  historyFile?: string;
  sandbox?: boolean;
  port?: string;
  version?: boolean;
  maxBuffer?: string;
  batch: boolean;
  dataDir?: string;
  zxid?: string;
  at?: string;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];
/** `--jaas ''` (an unset variable in a script) must not quietly mean "no SASL". */
const nonEmpty = (v: string): string => {
  if (!v) throw new InvalidArgumentError('a file name is needed');
  return v;
};

export function exitCodeTable(): string {
  return Object.values(EXIT)
    .sort((a, b) => a.code - b.code)
    .map((e) => `  ${String(e.code).padStart(3)}  ${e.meaning}`)
    .join('\n');
}

/** The process options; `env` supplies defaults (the man page passes none, so it never depends on the machine). */
export function buildProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('zk-shell')
    .description('A fast, scriptable, zkCli-compatible shell for Apache ZooKeeper.')
    .usage('[options] [command [args...]]')
    .argument('[command...]', 'a shell command to run once (as zkCli: the rest of the line is the command)')
    .option(
      '--server <host:port[,host:port...][/chroot]>',
      'servers to connect to (zkCli: -server)',
      env['ZK_SHELL_SERVER'] ?? 'localhost:2181',
    )
    .option('--timeout <ms>', 'session timeout in ms (zkCli: -timeout)', '30000')
    .option('-r, --readonly', 'accept a read-only server (zkCli: -r)')
    .option(
      '--waitforconnection',
      'keep trying to connect until the timeout; the shell shows its first prompt once connected (zkCli: -waitforconnection)',
    )
    .option(
      '--client-configuration <file>',
      "zkCli's client properties: TLS key/trust stores, read as zkCli does; unusable settings are errors (zkCli: -client-configuration)",
    )
    .option(
      '--max-buffer <bytes>',
      "largest reply accepted (the client's jute.maxbuffer; default 64M, also ZK_SHELL_MAX_BUFFER or jute.maxbuffer in -client-configuration); also the largest request sent (default 1M, the server's default)",
    )
    .option(
      '--jaas <file>',
      'JAAS file whose Client section has the SASL login (zkCli: -Djava.security.auth.login.config)',
      nonEmpty,
      env['ZK_SHELL_JAAS'],
    )
    .option(
      '--sasl-user <name>',
      'SASL DIGEST-MD5 user; password from ZK_SHELL_SASL_PASSWORD, --sasl-password-file or a prompt',
    )
    .option('--sasl-password-file <file>', 'file holding the --sasl-user password (never give it on the command line)')
    .option('--sasl-mechanism <mech>', 'DIGEST-MD5 or GSSAPI (GSSAPI alone: Kerberos with the ticket cache)')
    .option('-c, --command <line>', 'run this line (repeatable); stops at the first failure', collect, [])
    .option('-f, --file <script>', 'run the lines of a script file ("-" for stdin)')
    .addOption(new Option('--format <format>', 'output format').choices(['zkcli', 'json', 'table']).default('zkcli'))
    .option('--no-color', 'no colour (also NO_COLOR=1; colour is only ever used on a terminal)')
    .option('-y, --yes', 'never ask for confirmation (deleteall, setAcl -R)')
    .option(
      '--no-batch',
      'in scripts, send every line as its own request (default: consecutive writes go as multi batches)',
    )
    .option('--keep-going', 'in scripts, run the remaining lines after a failure (exit code: the last failure)')
    .option('--history-file <file>', 'REPL history file (default ~/.zk_shell_history)', env['ZK_SHELL_HISTORY'])
    .option(
      '--sandbox',
      'start a throwaway local ZooKeeper, open the shell on it, remove it on exit (history kept apart, in its temp dir)',
    )
    .option('--port <port>', 'with --sandbox: the port the sandbox ZooKeeper listens on (default: a free one)')
    .option('--data-dir <dir>', "open a server's data dir (snapshots and transaction logs) read-only, not a server")
    .option('--zxid <zxid>', 'with --data-dir: the tree right after this transaction (0x1a2b or decimal)')
    .option('--at <time>', 'with --data-dir: the tree at this time (ISO 8601 or epoch ms)')
    .option('-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .configureHelp({ optionTerm: (o) => legacyTerm(o.flags) })
    .passThroughOptions()
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', () =>
      [
        '',
        'Modes:',
        '  zk-shell [-server h:p]                  interactive shell (REPL) when stdin is a terminal',
        '  zk-shell -server h:p get /x             one command, as zkCli (argv is used as given)',
        '  zk-shell -server h:p -c "deleteall /x"  lines; -f script.zk and piped stdin work the same way',
        '  zk-shell ruok|srvr|mntr|… [-server h:p] four-letter words; zk-shell admin COMMAND for the AdminServer',
        '',
        'Unlike zkCli, scripted runs print only results on stdout (errors on stderr), close their session,',
        'and never exit 0 after a failure. The interactive shell, as zkCli, exits (quit, Ctrl-D) with the',
        'status of the last command: 1 after "get /missing", 0 once a later command has succeeded.',
        '',
        'Commands:',
        ...[...commands].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => `  ${c.name.padEnd(22)}${c.summary}`),
        '',
        'Exit codes:',
        exitCodeTable(),
        '',
        'Environment: ZK_SHELL_SERVER (default server), ZK_SHELL_HISTORY (history file), ZK_SHELL_MAX_BUFFER, NO_COLOR,',
        'ZK_SHELL_JAAS (JAAS file), ZK_SHELL_SASL_PASSWORD (--sasl-user password), KRB5CCNAME, KRB5_CONFIG.',
        '  ZK_SHELL_AUTH=scheme:auth (credentials for every session, e.g. digest:user:password; keeps',
        '  secrets off the command line; see also addauth --password-env/--password-file).',
      ].join('\n'),
    );
  return program;
}

/**
 * Four-letter words and admin are subcommands people type as `zk-shell mntr --format table`: for them
 * (only), --format and --no-color are taken from anywhere on the line. Other commands keep argv as given.
 */
function liftSubcommandOptions(words: string[], opts: GlobalOptions): string[] {
  const spec =
    words[0] === 'stat' && words.length === 1 ? findCommand('4lw') : words[0] ? findCommand(words[0]) : undefined;
  if (!spec || (spec.name !== '4lw' && spec.name !== 'admin')) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = /^--format=(.*)$/.exec(w);
    if (w === '--format' && i + 1 < words.length) opts.format = words[++i] as OutputFormat;
    else if (eq) opts.format = eq[1] as OutputFormat;
    else if (w === '--no-color') opts.color = false;
    else out.push(w);
  }
  if (!['zkcli', 'json', 'table'].includes(opts.format)) {
    process.stderr.write(`zk-shell: --format must be one of zkcli, json, table\n`);
    process.exit(EXIT.USAGE.code);
  }
  return out;
}

export async function main(argv: readonly string[]): Promise<void> {
  // A reader that goes away (`zk-shell … | head`) is not an error worth a stack trace, but the output was
  // cut short: exit as a process killed by SIGPIPE would, so `set -o pipefail` does not read "all done".
  // Any other write error (a full disk: `export / > file`, EIO) means the output is incomplete: say so in one
  // line, not a stack trace, and fail.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(EXIT.BROKEN_PIPE.code);
      if (stream === process.stdout) {
        try {
          fs.writeSync(2, `zk-shell: cannot write to standard output: ${e.code ?? e.message}\n`);
        } catch {
          // stderr is gone too: the exit status still tells.
        }
      }
      process.exit(EXIT.FAILED.code);
    });
  }
  const program = buildProgram();
  let opts: GlobalOptions;
  let words: string[];
  try {
    program.parse(rewriteLegacyArgs(argv), { from: 'user' });
    opts = program.opts<GlobalOptions>();
    words = liftSubcommandOptions(program.args, opts);
    // The sandbox keeps its own history (in its temp dir) unless one is named on the command line.
    if (opts.sandbox && program.getOptionValueSource('historyFile') !== 'cli') delete opts.historyFile;
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    process.exit(EXIT.USAGE.code);
  }
  if (opts.version) {
    process.stdout.write(`zk-shell ${version()}\n`);
    return;
  }
  process.exitCode = await untilFinished(run(opts, words));
  // The command is done: exit now rather than after Node tears the heap down (~1 ms of a one-shot run), unless
  // something is still going (output a slow reader has not taken yet, a handle other than stdio's): then the
  // natural exit waits for it as before. Two turns: handles closed by the command finish closing in between.
  setImmediate(() =>
    setImmediate(() => {
      if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) return;
      if (process.getActiveResourcesInfo().every((r) => r === 'TTYWrap' || r === 'PipeWrap')) process.exit();
    }),
  );
}

/** The REPL leaves stdin in a state that can keep Node alive: exit explicitly once it is done. */
async function exitAfter(p: Promise<number>): Promise<number> {
  const code = await p;
  process.exit(code);
}

async function run(opts: GlobalOptions, words: string[]): Promise<number> {
  // Messages may echo file names, keys or values from the user's files: safe for a terminal too.
  const output = joinedOutput(process.stdout, process.stderr);
  const toStderr = (line: string): void => {
    output.err(process.stderr.isTTY ? terminalSafe(line) : line);
  };
  const fail = (msg: string, code: number = EXIT.USAGE.code): number => {
    toStderr(`zk-shell: ${msg}\n`);
    return code;
  };
  const timeout = /^\d+$/.test(opts.timeout) ? Number(opts.timeout) : NaN;
  // Node timers hold at most 2^31-1 ms (more warns and fires at once); ZooKeeper's timeout is an int too.
  if (!(timeout > 0 && timeout <= 0x7fffffff))
    return fail(`--timeout takes a positive number of milliseconds up to 2147483647, got: ${opts.timeout}`);
  try {
    parseConnectString(opts.server);
  } catch (e) {
    return fail(`bad --server: ${(e as Error).message}`);
  }
  // First: nothing started below (openssl for a PKCS12 store) may inherit it.
  let auth: Credential[];
  try {
    auth = takeEnvAuth();
  } catch (e) {
    return fail((e as Error).message);
  }

  let tls;
  try {
    tls = opts.clientConfiguration
      ? loadClientConfig(opts.clientConfiguration, (w) => toStderr(`zk-shell: ${opts.clientConfiguration}: ${w}\n`))
      : undefined;
  } catch (e) {
    return fail(e instanceof ClientConfigError ? e.message : String(e));
  }
  let maxBuffer: number | undefined;
  try {
    maxBuffer = explicitMaxBuffer(opts.maxBuffer, process.env, opts.clientConfiguration);
  } catch (e) {
    return fail((e as Error).message);
  }

  const scripted = words.length > 0 || opts.command.length > 0 || opts.file !== undefined || !process.stdin.isTTY;
  let sasl;
  let renewSasl: ReplOptions['renewSasl'];
  if (opts.jaas || opts.saslUser !== undefined || opts.saslMechanism || opts.saslPasswordFile) {
    // Loaded only when asked for: the SASL modules pull in crypto and dns.
    const { resolveSasl, SaslConfigError } = await import('./sasl-config.js');
    const { askSecret, PromptCancelled } = await import('../repl/prompts.js');
    try {
      sasl = await resolveSasl(opts, process.env, scripted || opts.sandbox ? undefined : (m) => askSecret(m));
    } catch (e) {
      if (e instanceof SaslConfigError) return fail(e.message);
      // Ctrl-C is an interruption (130); Ctrl-D gave no password, as if none could be had (2).
      if (e instanceof PromptCancelled)
        return fail(
          `no password given for --sasl-user ${opts.saslUser}`,
          e.by === 'interrupt' ? EXIT.INTERRUPTED.code : EXIT.USAGE.code,
        );
      throw e;
    }
    // In the REPL a rejected --sasl-user password is asked for again on connect; only the prompt, as
    // the environment or file would give the same rejected password.
    if (opts.saslUser !== undefined && !scripted && !opts.sandbox) {
      const { ZK_SHELL_SASL_PASSWORD: _, ...envWithoutPassword } = process.env;
      renewSasl = (ask) => resolveSasl({ ...opts, saslPasswordFile: undefined }, envWithoutPassword, ask);
    }
  }
  if (opts.port !== undefined && !opts.sandbox)
    return fail('--port is for --sandbox (to connect to a server, use -server host:port)');
  if (opts.sandbox) {
    if (scripted && (words.length > 0 || opts.command.length > 0 || opts.file))
      return fail('--sandbox opens the interactive shell; it takes no command');
    const port = opts.port === undefined ? undefined : /^\d+$/.test(opts.port) ? Number(opts.port) : NaN;
    if (port !== undefined && !(port >= 1 && port <= 65535))
      return fail(`--port takes a port number (1-65535), got: ${opts.port}`);
    const { runSandbox } = await import('./sandbox.js');
    const { port: _port, historyFile, ...rest } = opts;
    return runSandbox(
      { ...rest, ...(historyFile !== undefined ? { historyFile } : {}), ...(port !== undefined ? { port } : {}) },
      tls,
    );
  }
  let offline;
  if (opts.dataDir !== undefined || opts.zxid !== undefined || opts.at !== undefined) {
    const { offlineFromCli } = await import('../offline/cli.js');
    const loaded = offlineFromCli(opts, toStderr, !scripted);
    if (typeof loaded === 'number') return loaded;
    offline = loaded;
  }
  const style = await makeStyle(!!process.stdout.isTTY, !opts.color);
  if (!scripted) {
    const { startRepl } = await import('../repl/repl.js');
    return exitAfter(
      startRepl({
        connectString: opts.server,
        timeout,
        readonly: !!opts.readonly,
        waitForConnection: !!opts.waitforconnection,
        tls,
        maxBuffer,
        sasl,
        renewSasl,
        auth,
        format: opts.format,
        assumeYes: !!opts.yes,
        historyFile: opts.historyFile,
        style,
        offline,
      }),
    );
  }
  const shell = new Shell({
    connectString: opts.server,
    sessionTimeout: timeout,
    canBeReadOnly: !!opts.readonly,
    tls,
    maxBuffer,
    batch: opts.batch,
    sasl,
    connectWaitMs: timeout,
    waitForConnection: !!opts.waitforconnection,
    format: opts.format,
    safeOutput: !!process.stdout.isTTY,
    safeErrors: !!process.stderr.isTTY,
    sink: {
      out: (s) => output.out(s),
      err: (s) => output.err(style.enabled ? style.error(s) : s),
      note: (s) => output.err(s),
    },
    interactive: false,
    assumeYes: true,
    printSessionEvents: false,
    auth,
    offline,
  });
  const onSigint = (): void => {
    if (!shell.cancel()) process.exit(EXIT.INTERRUPTED.code);
    // The running command stops and says how far it got (its own exit code when run alone: a watch ends with 0);
    // a script must not go on to its next line.
    if (words.length === 0) shell.quit(EXIT.INTERRUPTED.code);
  };
  process.on('SIGINT', onSigint);
  let code: number;
  try {
    if (words.length > 0) code = await shell.execute(words);
    else if (opts.command.length > 0) code = await shell.runScript(opts.command, !!opts.keepGoing);
    else {
      let input: NodeJS.ReadableStream = process.stdin;
      if (opts.file && opts.file !== '-') {
        let fd: number;
        try {
          fd = fs.openSync(opts.file, 'r');
        } catch (e) {
          return fail(`cannot read script ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        input = fs.createReadStream('', { fd });
      } else if (stdinIsDirectory()) {
        // Node reads a directory on fd 0 as empty input: the script would "succeed" without running anything.
        return fail('cannot read script (stdin): EISDIR');
      }
      // A read error mid-script (e.g. a directory) ends the script with a message, not a stack trace.
      let readError: Error | null = null;
      try {
        code = await shell.runScript(scriptLines(input as AsyncIterable<Buffer>), !!opts.keepGoing);
      } catch (e) {
        readError = e as Error;
        code = 0;
      }
      if (readError)
        code = fail(
          `cannot read script ${opts.file ?? '(stdin)'}: ${(readError as NodeJS.ErrnoException).code ?? readError.message}`,
        );
    }
  } finally {
    process.off('SIGINT', onSigint);
    await shell.close(true);
  }
  return code;
}
