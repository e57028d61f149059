import { RECIPE_JSON } from '../output/recipe-view.js';
import { runInspector } from '../recipes/command.js';
import { inspectMembers } from '../recipes/inspect.js';
import { arg } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'members',
  summary: 'registered instances of a service-discovery or server-list node, data decoded',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    "Lists a service's instances (the children of PATH), or every service's instances when PATH holds " +
    "services (Curator's base path). Curator ServiceInstance JSON is decoded: service name, address, port, " +
    'SSL port, registration time, service type; other data (the server-list pattern: host:port text) is ' +
    'shown as it is. Each instance shows its session, age and, where "cons" is allowed, the client address. ' +
    'A DYNAMIC instance that is persistent, or whose session has no connection, is flagged as an orphan ' +
    '(PERMANENT and STATIC instances are persistent on purpose).',
  examples: ['members /discovery/services/web', 'members /discovery/services', 'members /brokers --format json'],
  json: RECIPE_JSON,
  table:
    'Curator: service, instance, address, port, ssl, registered, type, session, client, age, flag; else instance, data, session, client, age, flag',
  run: (ctx, p) => runInspector(ctx, p, inspectMembers),
} as const satisfies CommandSpec;
