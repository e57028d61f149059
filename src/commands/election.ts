import { RECIPE_JSON } from '../output/recipe-view.js';
import { runInspector } from '../recipes/command.js';
import { inspectElection } from '../recipes/inspect.js';
import { arg } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'election',
  summary: 'who leads an election and who waits (Curator LeaderLatch/LeaderSelector; the n_ recipe)',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    "Reads an election node's sequential ephemeral children: the lowest sequence number leads, the rest wait " +
    'in order. Layouts: Curator LeaderLatch (_c_<uuid>-latch-N; the data is the participant id), ' +
    'LeaderSelector (a mutex: _c_<uuid>-lock-N) and the ZooKeeper recipe (n_N, or any name ending in a ' +
    'sequence number). Each candidate shows its session id, age, data and, where "cons" is allowed, the ' +
    'client address; orphaned candidates (persistent, or whose session has no connection) are flagged.',
  examples: ['election /app/leader', 'zk-shell -server zk1:2181 election /curator/latch --format table'],
  json: RECIPE_JSON,
  table: 'a summary line, one row per candidate, leader first (#, node, role, session, client, age, data, flag)',
  run: (ctx, p) => runInspector(ctx, p, inspectElection),
} as const satisfies CommandSpec;
