import { OK } from '../output/json-shape.js';
import { arg, noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'connect',
  summary: 'close the session and connect (again, or elsewhere)',
  usage: 'host:port',
  options: {},
  args: [arg('host:port', 'hostport', true)],
  needsConnection: false,
  help:
    'Without an argument reconnects to the current connect string. Accepts several hosts and a chroot. ' +
    'After the server rejected a --sasl-user login, asks for the password again (interactive shell only).',
  examples: ['connect', 'connect 127.0.0.1:2182/app'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    noMore(p, 1);
    await ctx.shell.connect(p.args[0]);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
