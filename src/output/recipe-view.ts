// locks, election, members: a summary line, one row per participant in queue order, then notes (orphans,
// servers that would not say who is connected).
import type { Participant, RecipeView } from '../recipes/view.js';
import { jsonText } from './json.js';
import { anyOf, arrayOf, obj, type Shape } from './json-shape.js';
import { tablesText, type TableSpec } from './table.js';

const INSTANCE: Shape = obj({
  service: anyOf('string', 'null'),
  id: anyOf('string', 'null'),
  address: anyOf('string', 'null'),
  port: anyOf('integer', 'null'),
  sslPort: anyOf('integer', 'null'),
  registered: anyOf('string', 'null'),
  serviceType: anyOf('string', 'null'),
  enabled: anyOf('boolean', 'null'),
});

export const RECIPE_JSON: Shape = obj({
  recipe: 'string',
  path: 'string',
  layout: 'string',
  holders: arrayOf('string'),
  participants: arrayOf(
    obj({
      name: 'string',
      path: 'string',
      sequence: anyOf('integer', 'null'),
      role: 'string',
      position: anyOf('integer', 'null'),
      session: anyOf('string', 'null'),
      created: 'string',
      ageSeconds: 'integer',
      client: anyOf('string', 'null'),
      data: anyOf('string', 'null'),
      orphan: anyOf('string', 'null'),
      'instance?': INSTANCE,
    }),
  ),
  notes: arrayOf('string'),
});

/** 75 → "1m15s": ages an operator reads at a glance. */
export function age(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${m}m`;
  return m ? `${m}m${s}s` : `${s}s`;
}

const v = (x: string | number | boolean | null | undefined): string => (x === null || x === undefined ? '-' : `${x}`);
const flag = (p: Participant): string => (p.orphan ? '!! orphan' : '');

export function recipeTables(view: RecipeView): TableSpec[] {
  const ps = view.participants;
  if (view.recipe === 'members') {
    if (view.layout === 'curator-discovery')
      return [
        {
          head: ['service', 'instance', 'address', 'port', 'ssl', 'registered', 'type', 'session', 'client', 'age', ''],
          rows: ps.map((p) => [
            v(p.instance?.service),
            p.name,
            v(p.instance?.address),
            v(p.instance?.port),
            v(p.instance?.sslPort),
            v(p.instance?.registered),
            v(p.instance?.serviceType),
            v(p.session),
            v(p.client),
            age(p.ageSeconds),
            flag(p),
          ]),
        },
      ];
    return [
      {
        head: ['instance', 'data', 'session', 'client', 'age', ''],
        rows: ps.map((p) => [p.name, v(p.data), v(p.session), v(p.client), age(p.ageSeconds), flag(p)]),
      },
    ];
  }
  return [
    {
      head: ['#', 'node', 'role', 'session', 'client', 'age', 'data', ''],
      rows: ps.map((p) => [
        v(p.position),
        p.name,
        p.role,
        v(p.session),
        v(p.client),
        age(p.ageSeconds),
        v(p.data),
        flag(p),
      ]),
    },
  ];
}

/** The line above the table: who holds or leads, how many wait. */
export function recipeSummary(view: RecipeView): string {
  const n = view.participants.length;
  if (view.recipe === 'members') return `${view.path} (${view.layout}): ${n} instance${n === 1 ? '' : 's'}`;
  const held = view.recipe === 'lock' ? 'held by' : 'led by';
  const who = view.holders.length
    ? `${held} ${view.holders.join(', ')}`
    : view.recipe === 'lock'
      ? 'free'
      : 'no leader';
  // Children without a sequence number (no position) are listed but neither hold nor wait.
  const waiting = view.participants.filter((p) => p.position !== null).length - view.holders.length;
  return `${view.path} (${view.layout}): ${who}; ${waiting} ${view.recipe === 'lock' ? 'waiting' : 'other candidate'}${waiting === 1 || view.recipe === 'lock' ? '' : 's'}`;
}

/** --format table: the summary, the participants and the notes, each a table. */
export function recipeAllTables(view: RecipeView): TableSpec[] {
  return [
    { head: ['recipe', 'summary'], rows: [[view.recipe, recipeSummary(view)]] },
    ...(view.participants.length ? recipeTables(view) : []),
    ...(view.notes.length ? [{ head: ['notes'], rows: view.notes.map((n) => [n]) }] : []),
  ];
}

export async function renderRecipe(
  view: RecipeView,
  sink: { out(text: string): void },
  o: { format: 'zkcli' | 'json' | 'table'; width?: number | undefined },
): Promise<void> {
  if (o.format === 'json') {
    sink.out(`${jsonText(view)}\n`);
    return;
  }
  if (o.format === 'table') {
    sink.out(await tablesText(recipeAllTables(view), o.width));
    return;
  }
  const table = view.participants.length ? await tablesText(recipeTables(view), o.width) : '';
  sink.out(`${recipeSummary(view)}\n${table}${view.notes.map((l) => `note: ${l}\n`).join('')}`);
}
