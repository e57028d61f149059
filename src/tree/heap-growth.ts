// V8 lets the old generation grow to several times the live heap before a full collection. A walk's paths
// and listings live just long enough (while their requests are in flight) to be promoted, so a million-node
// ls -R peaked at ~224 MB RSS for ~25 MB live. Growing the heap in 50% steps keeps it at ~140 MB for ~10%
// more CPU at that size and nothing measurable at 100k nodes (bench/RESULTS.md, "Memory at a million nodes").
import type v8 from 'node:v8';
import { builtin } from '../zk/builtin.js';

let set = false;

/** Called by bulk work (walks); a --heap-growing-percent the user gave node wins. */
export function boundHeapGrowth(): void {
  if (set) return;
  set = true;
  const given = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((a) =>
    a.includes('heap-growing-percent'),
  );
  if (!given) builtin<typeof v8>('node:v8')().setFlagsFromString('--heap-growing-percent=50');
}
