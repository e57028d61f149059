import type { OutputFormat } from '../commands/spec.js';
import { makeStyle } from '../output/style.js';
import type { TlsOptions } from '../zk/transport.js';
import { EXIT } from './exit-codes.js';

/**
 * --sandbox: a throwaway standalone ZooKeeper on a free loopback port in a temp dir, the REPL on it,
 * and the server stopped and removed when the shell exits.
 */
export async function runSandbox(opts: { format: OutputFormat; yes?: boolean; historyFile?: string; color: boolean; timeout: string }, _tls: TlsOptions | undefined): Promise<number> {
  const { startCluster } = await import('../server/zookeeper-server.js');
  const { ZooKeeperUnavailable } = await import('../server/install.js');
  process.stderr.write('zk-shell: starting a sandbox ZooKeeper…\n');
  let cluster;
  try {
    cluster = await startCluster(1, { log: (l) => process.stderr.write(`zk-shell: ${l}\n`) });
  } catch (e) {
    const msg = e instanceof ZooKeeperUnavailable ? e.message : `the sandbox server did not start: ${(e as Error).message}`;
    process.stderr.write(`zk-shell: ${msg}\n`);
    return EXIT.NOT_CONNECTED.code;
  }
  const stop = (): void => {
    void cluster.stop();
  };
  process.once('SIGTERM', stop);
  process.stderr.write(`zk-shell: sandbox ZooKeeper on ${cluster.connectString} (data in ${cluster.dir}; removed on exit)\n`);
  try {
    const { startRepl } = await import('../repl/repl.js');
    return await startRepl({
      connectString: cluster.connectString, timeout: Number(opts.timeout) || 30000, readonly: false, waitForConnection: false,
      tls: undefined, format: opts.format, assumeYes: !!opts.yes, historyFile: opts.historyFile, style: await makeStyle(!!process.stdout.isTTY, !opts.color),
    });
  } finally {
    process.off('SIGTERM', stop);
    await cluster.stop();
  }
}
