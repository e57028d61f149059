import readline from 'node:readline';
import type { OutputFormat } from '../commands/spec.js';
import type { Style } from '../output/style.js';
import { redactLine } from '../shell/redact.js';
import { Shell, type OfflineSource } from '../shell/shell.js';
import type { TlsOptions } from '../zk/transport.js';
import type { SaslAuthenticator } from '../zk/sasl/exchange.js';
import { Completer } from './completer.js';
import { defaultHistoryFile, loadHistory, MAX_HISTORY, saveHistory, tightenHistoryFile } from './history-file.js';
import { jobControl } from './job-control.js';
import { promptState, promptText, promptWhere } from './prompt.js';
import { askLine, askSecret, askYesNo } from './prompts.js';

export interface ReplOptions {
  connectString: string;
  timeout: number;
  readonly: boolean;
  waitForConnection: boolean;
  tls: TlsOptions | undefined;
  /** jute.maxbuffer as the user gave it (see ShellOptions.maxBuffer). */
  maxBuffer?: number | undefined;
  sasl?: SaslAuthenticator | undefined;
  /** New SASL credentials after a rejected login, asking with the given no-echo prompt (see ShellOptions). */
  renewSasl?:
    ((askPassword: (message: string) => Promise<string>) => Promise<SaslAuthenticator | undefined>) | undefined;
  format: OutputFormat;
  assumeYes: boolean;
  historyFile: string | undefined;
  style: Style;
  /** Credentials for every session (ZK_SHELL_AUTH). */
  auth?: readonly { scheme: string; auth: string }[];
  /** A data dir opened read-only (--data-dir) instead of a session. */
  offline?: OfflineSource | undefined;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * The interactive shell: one command in flight (lines typed or pasted meanwhile wait their turn),
 * events printed above the prompt without losing the line being typed, Ctrl-C cancels the running
 * command or clears the line, Ctrl-D and quit leave with the last command's exit code.
 */
export async function startRepl(o: ReplOptions): Promise<number> {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stdout;
  const historyFile = o.historyFile ?? defaultHistoryFile();
  const saved = loadHistory(historyFile);
  // eslint-disable-next-line prefer-const -- assigned once below; handlers above close over it
  let shell: Shell;
  let promptShown = false;
  let closed = false;
  let rl: readline.Interface;

  const write = (s: string): void => {
    output.write(s);
  };
  // Print above the prompt: clear the line, write, then redraw the prompt with what was typed so far.
  const printAbove = (s: string): void => {
    if (!promptShown || closed) {
      write(s);
      return;
    }
    readline.clearLine(output, 0);
    readline.cursorTo(output, 0);
    write(o.style.event(s));
    rl.prompt(true);
  };
  const prompt = (): string =>
    shell.offline
      ? promptText(shell.offline.label, 'READ-ONLY', shell.nextIndex, shell.cwd)
      : promptText(
          promptWhere(shell.connectString, shell.client),
          promptState(shell.client),
          shell.nextIndex,
          shell.cwd,
        );
  const refreshPrompt = (): void => {
    // After close, prompting would resume stdin and keep the process alive.
    if (closed) return;
    rl.setPrompt(o.style.prompt(prompt()));
    if (promptShown) rl.prompt(true);
  };

  // Our readline must not see a single key while inquirer asks (it would echo a password and run the
  // answer as a command): close it for the question and open a new one, with the same history, after.
  let suspended = false;
  const withoutReadline = async <T>(fn: () => Promise<T>): Promise<T> => {
    const history = [...((rl as unknown as { history: string[] }).history ?? [])];
    suspended = true;
    rl.close();
    try {
      return await fn();
    } finally {
      suspended = false;
      rl = createRl(history);
    }
  };
  const askPassword = (message: string): Promise<string> =>
    withoutReadline(() => askSecret(message, { input, output }));

  shell = new Shell({
    connectString: o.connectString,
    sessionTimeout: o.timeout,
    canBeReadOnly: o.readonly,
    tls: o.tls,
    maxBuffer: o.maxBuffer,
    sasl: o.sasl,
    ...(o.renewSasl ? { renewSasl: () => o.renewSasl!(askPassword) } : {}),
    connectWaitMs: o.timeout,
    waitForConnection: o.waitForConnection,
    format: o.format,
    safeOutput: !!output.isTTY,
    // Errors are red; notes and confirmations ("Created /x", deprecation lines) are plain, as in one-shot mode.
    sink: {
      out: write,
      err: (s) => (output === process.stdout ? process.stderr.write(o.style.error(s)) : write(s)),
      note: (s) => (output === process.stdout ? process.stderr.write(s) : write(s)),
    },
    interactive: !!(input as NodeJS.ReadStream).isTTY,
    assumeYes: o.assumeYes,
    printSessionEvents: true,
    onEvent: printAbove,
    onState: () => refreshPrompt(),
    ...(o.auth ? { auth: o.auth } : {}),
    confirm: (message) => withoutReadline(() => askYesNo(message, { input, output })),
    password: askPassword,
    offline: o.offline,
    ask: (message) => withoutReadline(() => askLine(message, { input, output })),
    withTerminal: (fn) => withoutReadline(fn),
  });

  const completer = new Completer(
    () => shell.offline ?? (shell.client?.isConnected ? shell.client : null),
    () => shell.cwd,
  );
  let historyWarned = false;
  /** Set while -waitforconnection holds the first prompt: Ctrl-C stops the wait, lines typed wait. */
  let stopWaiting: (() => void) | null = null;
  let sawSigint = false;
  const createRl = (history: string[]): readline.Interface => {
    const r = readline.createInterface({
      input,
      output,
      terminal: !!output.isTTY && !!(input as NodeJS.ReadStream).isTTY,
      history,
      historySize: MAX_HISTORY,
      removeHistoryDuplicates: false,
      completer: (line: string, cb: (err: null, res: [string[], string]) => void) => {
        void completer.complete(line).then((res) => cb(null, res));
      },
    });
    r.setPrompt(o.style.prompt(prompt()));
    r.on('history', (h: string[]) => {
      // readline has already handed the line on; what stays for Up-arrow is the redacted form.
      if (h[0] !== undefined) h[0] = redactLine(h[0]);
      const err = saveHistory(historyFile, [...h].reverse());
      if (err && !historyWarned) {
        historyWarned = true;
        printAbove(`zk-shell: ${err}\n`);
      }
    });
    r.on('line', (line) => {
      sawSigint = false;
      queue.push(line);
      void pump();
    });
    r.on('SIGINT', () => {
      if (stopWaiting) {
        write('^C\n');
        stopWaiting();
        return;
      }
      if (shell.cancel()) return;
      // No command running: drop the line being typed, as a shell does. At an empty prompt say how
      // to leave, and leave on a second Ctrl-C in a row, as node's REPL does.
      const empty = r.line.length === 0;
      write('^C\n');
      if (empty && sawSigint) {
        r.close();
        return;
      }
      sawSigint = empty;
      if (empty) write('(To exit, press Ctrl-C again or Ctrl-D or type quit)\n');
      r.write(null, { ctrl: true, name: 'u' });
      r.prompt();
    });
    r.on('SIGTSTP', () => job.suspend());
    r.on('close', () => {
      if (suspended || closed) return;
      closed = true;
      if (!running) void end();
    });
    return r;
  };

  const queue: string[] = [];
  let running = false;
  // After fg: redraw the prompt with the line typed so far (a running command just goes on).
  const job = jobControl(input, () => {
    if (promptShown && !closed && !suspended) rl.prompt(true);
  });
  rl = createRl([...saved].reverse());
  const tightened = tightenHistoryFile(historyFile);
  if (tightened) process.stderr.write(`zk-shell: ${tightened}\n`);
  if (!o.offline) {
    write(`Connecting to ${o.connectString}\n`);
    shell.startSession();
  }
  refreshPrompt();

  let finish!: (code: number) => void;
  const done = new Promise<number>((r) => {
    finish = r;
  });

  const end = async (): Promise<void> => {
    if (running) return;
    closed = true;
    rl.close();
    job.dispose();
    await shell.close();
    finish(shell.lastCode);
  };

  const pump = async (): Promise<void> => {
    if (running || stopWaiting) return;
    running = true;
    while (queue.length > 0) {
      const line = queue.shift()!;
      promptShown = false;
      await shell.execute(line, true);
      if (shell.quitRequested) {
        running = false;
        await end();
        return;
      }
    }
    running = false;
    if (closed) {
      await end();
      return;
    }
    refreshPrompt();
    promptShown = true;
    rl.prompt();
  };

  if (o.waitForConnection && shell.client) {
    // As zkCli -waitforconnection: no prompt until the session is up (or the timeout has passed).
    const client = shell.client;
    let waiting = true;
    await Promise.race([
      client.waitConnected(o.timeout).catch((e: Error) => {
        if (waiting && !closed) write(`zk-shell: ${e.message}\n`);
      }),
      new Promise<void>((r) => {
        stopWaiting = r;
      }),
    ]);
    waiting = false;
    stopWaiting = null;
    // Ctrl-D while waiting has already ended the shell.
    if (closed) return done;
    if (queue.length > 0) {
      void pump();
      return done;
    }
    refreshPrompt();
  }
  promptShown = true;
  rl.prompt();
  return done;
}
