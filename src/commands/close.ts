import { OK } from '../output/json-shape.js';
import { noMore } from './common.js';
import { NotConnectedError, type CommandSpec } from './spec.js';

export default {
  name: 'close',
  summary: 'close the session (its ephemeral nodes go at once)',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'The shell stays open; commands then say "Not connected" until "connect" opens a new session (as zkCli).',
  examples: ['close'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    noMore(p, 0);
    // zkCli answers a second close with "Not connected".
    if (ctx.shell.state === 'NOT_CONNECTED' && ctx.shell.closedByUser) throw new NotConnectedError('Not connected');
    await ctx.shell.close();
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
