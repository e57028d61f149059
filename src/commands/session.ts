import type { SessionInfo } from '../live/results.js';
import { SESSION_JSON } from '../output/live-results.js';
import { zxidHex } from '../output/watch-lines.js';
import { formatHostPort } from '../zk/host-provider.js';
import { WATCH_TABLES } from '../zk/watches.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'session',
  aliases: ['session_info'],
  summary: 'this session: id, timeouts, server, state, read-only, auth identities, watch counts',
  usage: '',
  options: {},
  args: [],
  needsConnection: true,
  help:
    'Shows the session id (0x hex, as the server logs it and cons/wchc list it), its state, the server it ' +
    'is connected to, whether that server is read-only, the timeout asked for and the one the server ' +
    'granted, the last zxid seen, the auth identities (from the server with whoami on 3.7+, else the ' +
    'schemes this session added), and how many watches of each kind the client has set (data, exist, ' +
    'child, persistent, persistentRecursive) — these are set again on the server after every reconnect.',
  examples: ['session', 'session_info --format json'],
  json: SESSION_JSON,
  table: 'key and value',
  async run(ctx, p) {
    noMore(p, 0);
    const c = await ctx.shell.ready();
    const s = c.session;
    let identities: { scheme: string; user: string }[];
    let identitiesFrom: SessionInfo['identitiesFrom'] = 'server';
    try {
      identities = (await c.whoAmI()).map((i) => ({ scheme: i.authScheme, user: i.user }));
    } catch {
      // Before 3.7 there is no whoami: say which schemes this session added (never the secrets).
      identitiesFrom = 'client';
      identities = s.authSchemes().map((scheme) => ({ scheme, user: '' }));
    }
    const watches = Object.fromEntries(
      WATCH_TABLES.map((t) => [t, s.watches.paths(t).length]),
    ) as SessionInfo['watches'];
    const info: SessionInfo = {
      sessionId: zxidHex(s.sessionId),
      state: s.state,
      server: s.currentHost ? formatHostPort(s.currentHost) : null,
      readOnly: s.state === 'CONNECTEDREADONLY',
      requestedTimeout: s.requestedTimeout,
      negotiatedTimeout: s.negotiatedTimeout,
      lastZxid: zxidHex(s.lastZxid),
      identities,
      identitiesFrom,
      watches,
    };
    return { type: 'session', info };
  },
} as const satisfies CommandSpec;
