import { RECIPE_JSON } from '../output/recipe-view.js';
import { runInspector } from '../recipes/command.js';
import { inspectLock } from '../recipes/inspect.js';
import { arg } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'locks',
  summary: 'who holds a lock and who waits (Curator mutex, read-write lock, semaphore; plain lock- recipe)',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    "Reads a lock node's sequential ephemeral children and shows the holder and the queue in order, with " +
    "each contender's session id, age, data (Curator stores the client's IP) and, where the servers allow " +
    '"cons", the client address of its session. Layouts: Curator InterProcessMutex (_c_<uuid>-lock-N, ordered ' +
    'by the sequence number as Curator does), InterProcessReadWriteLock (__READ__/__WRIT__: a writer holds when ' +
    'first, else every reader ahead of the first writer holds), InterProcessSemaphoreV2 (the path holding ' +
    'leases/ and locks/: every lease is held) and the plain ZooKeeper recipe (lock-N). Orphans are flagged: ' +
    'a persistent contender (nothing will ever remove it), or an ephemeral whose session has no connection to ' +
    'any server of the connect string (its client is gone; it blocks the lock until the session expires).',
  examples: ['locks /app/locks/orders', 'zk-shell -server zk1:2181 --format json locks /curator/mutex'],
  json: RECIPE_JSON,
  table: 'a summary line, one row per contender in queue order (#, node, role, session, client, age, data, flag)',
  run: (ctx, p) => runInspector(ctx, p, inspectLock),
} as const satisfies CommandSpec;
