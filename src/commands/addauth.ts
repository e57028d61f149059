import { arg, need, noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'addauth',
  summary: 'add credentials to the session',
  usage: 'scheme auth',
  options: {},
  args: [arg('scheme', 'scheme'), arg('auth', 'auth', true)],
  needsConnection: true,
  help: 'For digest, auth is user:password. "addauth digest user" asks for the password without echo. '
    + 'Credentials are replayed after reconnects and never written to history (the line is redacted).',
  examples: ['addauth digest alice', 'addauth digest alice:secret'],
  async run(ctx, p) {
    const scheme = need(p, 0, 'scheme');
    noMore(p, 2);
    let auth = p.args[1];
    if (auth === undefined || (scheme === 'digest' && !auth.includes(':'))) {
      const user = auth ?? '';
      const pass = await ctx.password(`Password for ${scheme}${user ? ` user ${user}` : ''}: `);
      auth = scheme === 'digest' ? `${user}:${pass}` : pass;
    }
    await ctx.zk.addAuth(scheme, auth);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
