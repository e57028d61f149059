import { OK } from '../output/json-shape.js';
import { arg, noMore } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

export default {
  name: 'quit',
  aliases: ['exit'],
  summary: 'close the session and leave the shell',
  usage: '[status]',
  options: {},
  args: [arg('status', 'number', true)],
  needsConnection: false,
  help:
    'Exits with the status of the previous command, as zkCli; with a status (0-255), with that one, as ' +
    'sh\'s exit (zkCli ignores it): a script can end with "exit 4" to report its own failure. Ctrl-D does ' +
    'the same as quit.',
  examples: ['quit', 'exit 4'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    noMore(p, 1);
    const text = p.args[0];
    const status = text === undefined ? undefined : /^\d{1,3}$/.test(text) ? Number(text) : NaN;
    if (status !== undefined && !(status <= 255))
      throw new UsageError(`quit takes an exit status from 0 to 255, got: ${text}`);
    ctx.shell.quit(status);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
