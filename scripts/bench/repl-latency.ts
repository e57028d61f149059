// REPL latency: a command line run by the shell's executor (parse, run, render) on a connected session,
// against a bare getData round trip on the same server. The difference is what the shell adds.
import { Shell } from '../../src/shell/shell.js';
import type { ZooKeeperClient } from '../../src/zk/client.js';

export interface ReplLatency {
  /** Mean ms per `get` through the executor. */
  shellMs: number;
  /** Mean ms per sequential getData with the raw client. */
  rawMs: number;
  commands: number;
}

export async function replLatency(
  zk: ZooKeeperClient,
  connectString: string,
  path: string,
  n = 1000,
): Promise<ReplLatency> {
  let bytes = 0;
  const shell = new Shell({
    connectString,
    sessionTimeout: 30000,
    canBeReadOnly: false,
    tls: undefined,
    connectWaitMs: 30000,
    waitForConnection: false,
    format: 'zkcli',
    safeOutput: true,
    sink: {
      out: (s) => {
        bytes += s.length;
      },
      err: (s) => {
        throw new Error(`repl bench: ${s}`);
      },
    },
    interactive: false,
    assumeYes: true,
    printSessionEvents: false,
  });
  await shell.connect();
  for (let i = 0; i < 100; i++) await shell.execute(`get ${path}`, true);
  for (let i = 0; i < 100; i++) await zk.getData(path);
  let t = performance.now();
  for (let i = 0; i < n; i++) await shell.execute(`get ${path}`, true);
  const shellMs = (performance.now() - t) / n;
  t = performance.now();
  for (let i = 0; i < n; i++) await zk.getData(path);
  const rawMs = (performance.now() - t) / n;
  await shell.close();
  if (bytes === 0) throw new Error('repl bench: the shell printed nothing');
  return { shellMs, rawMs, commands: n };
}
