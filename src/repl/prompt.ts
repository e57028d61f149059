import type { ZooKeeperClient } from '../zk/client.js';
import { formatHostPort, parseConnectString } from '../zk/host-provider.js';
import { terminalSafe } from '../output/terminal.js';

/**
 * zkCli's prompt: "[zk: host:port(STATE) N] ", with the current path after the number once `cd` left /
 * ("[zk: host:port(STATE) N /app] "), so the prompt stays zkCli's until the user moves. The path is
 * made safe for the terminal: node names come from the server.
 */
export const promptText = (where: string, state: string, n: number, cwd = '/'): string =>
  `[zk: ${where}(${state}) ${n}${cwd === '/' ? '' : ` ${terminalSafe(cwd)}`}] `;

/**
 * What the prompt names: the server the session is on once connected (a connect string of five
 * hosts says nothing about which one answers), else the connect string as given. The chroot stays.
 */
export function promptWhere(connectString: string, client: ZooKeeperClient | null): string {
  const host = client?.currentHost;
  if (!host || (client.state !== 'CONNECTED' && client.state !== 'CONNECTEDREADONLY')) return connectString;
  return formatHostPort(host) + (parseConnectString(connectString).chroot ?? '');
}

/** The state word: EXPIRED rather than CLOSED once the server ended the session, so `connect` is the cue. */
export function promptState(client: ZooKeeperClient | null): string {
  if (!client) return 'CLOSED';
  if (client.isExpired) return 'EXPIRED';
  return client.state === 'NOT_CONNECTED' ? 'CONNECTING' : client.state;
}
