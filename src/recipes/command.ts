// What locks, election and members share: one path argument, the servers to ask `cons`, one result type.
import type { CommandContext, CommandResult, ParsedArgs, ZkAdapter } from '../commands/spec.js';
import { need, noMore } from '../commands/common.js';
import { parseConnectString } from '../zk/host-provider.js';
import type { InspectOptions } from './inspect.js';
import type { RecipeView } from './view.js';

export async function runInspector(
  ctx: CommandContext,
  p: ParsedArgs,
  inspect: (zk: ZkAdapter, path: string, o: InspectOptions) => Promise<RecipeView>,
): Promise<CommandResult> {
  const path = need(p, 0, 'path');
  noMore(p, 1);
  const hosts = parseConnectString(ctx.shell.connectString).hosts;
  return { type: 'recipe', view: await inspect(ctx.zk, path, { hosts, tls: ctx.shell.tls }) };
}
