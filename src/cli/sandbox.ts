import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { OutputFormat } from '../commands/spec.js';
import { makeStyle } from '../output/style.js';
import type { ZkCluster } from '../server/zookeeper-server.js';
import type { TlsOptions } from '../zk/transport.js';
import { EXIT } from '../shell/exit-codes.js';

export interface SandboxOptions {
  format: OutputFormat;
  yes?: boolean;
  /** Only an explicit --history-file: by default the sandbox keeps its history in its own temp dir. */
  historyFile?: string;
  color: boolean;
  timeout: string;
  /** --port: the sandbox server's client port (default: a free one). */
  port?: number;
}

/** Signals that end the shell: the server is stopped and the temp dir removed before the shell exits. */
const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

/** Whether something already listens on the loopback port (then ZooKeeper would fail with a log dump). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(false)));
  });
}

/**
 * --sandbox: a throwaway standalone ZooKeeper on a loopback port in a temp dir, the REPL on it, and the
 * server stopped and the dir removed when the shell ends: by quit, end of input, SIGTERM or SIGHUP.
 */
export async function runSandbox(opts: SandboxOptions, _tls: TlsOptions | undefined): Promise<number> {
  const { startCluster, SUPER_AUTH } = await import('../server/zookeeper-server.js');
  const { ZooKeeperUnavailable } = await import('../server/install.js');
  const say = (l: string): void => {
    process.stderr.write(`zk-shell: ${l}\n`);
  };
  if (opts.port !== undefined && (await portInUse(opts.port))) {
    say(`cannot start the sandbox: port ${opts.port} is already in use on 127.0.0.1`);
    return EXIT.NOT_CONNECTED.code;
  }
  // One dir for everything the sandbox leaves: the server's data and the shell's history.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-sandbox-'));
  const removeBase = (): void => fs.rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  process.once('exit', removeBase);
  say('starting a sandbox ZooKeeper…');
  const starting = startCluster(1, {
    baseDir: base,
    ...(opts.port !== undefined ? { clientPort: opts.port } : {}),
    log: say,
  });
  starting.catch(() => undefined);
  let stopping: Promise<void> | undefined;
  // Idempotent: a signal and the REPL's own end may both ask. A server still starting is waited for.
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      const c = await starting.catch(() => undefined);
      await c?.stop().catch(() => undefined);
      removeBase();
    })());
  const onSignal = (sig: (typeof ENDING_SIGNALS)[number]): void => {
    if (stopping) return;
    process.stderr.write(`\nzk-shell: ${sig}: stopping the sandbox ZooKeeper\n`);
    void stop().finally(() => process.exit(128 + os.constants.signals[sig]));
  };
  for (const sig of ENDING_SIGNALS) process.on(sig, onSignal);
  try {
    let cluster: ZkCluster;
    try {
      cluster = await starting;
    } catch (e) {
      say(e instanceof ZooKeeperUnavailable ? e.message : `the sandbox server did not start: ${(e as Error).message}`);
      return EXIT.NOT_CONNECTED.code;
    }
    const server = cluster.servers[0]!;
    say(`sandbox ZooKeeper on ${cluster.connectString} (data in ${base}; removed on exit)`);
    say(`port ${server.cfg.clientPort}; AdminServer: admin COMMAND -port ${server.cfg.adminPort}`);
    // The server trusts this digest (super:admin): after an ACL that locks everyone out, it is the way back.
    say(`superuser: addauth digest ${SUPER_AUTH}`);
    const { startRepl } = await import('../repl/repl.js');
    return await startRepl({
      connectString: cluster.connectString,
      timeout: Number(opts.timeout) || 30000,
      readonly: false,
      waitForConnection: false,
      tls: undefined,
      format: opts.format,
      assumeYes: !!opts.yes,
      historyFile: opts.historyFile ?? path.join(base, 'history'),
      style: await makeStyle(!!process.stdout.isTTY, !opts.color),
    });
  } finally {
    await stop();
    for (const sig of ENDING_SIGNALS) process.off(sig, onSignal);
  }
}
