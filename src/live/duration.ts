import { UsageError } from '../commands/spec.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `1.5m`, `2h`, or a bare number of seconds, as milliseconds; a usage error otherwise. */
export function parseDuration(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']!) : NaN;
  // setTimeout's limit (about 24.8 days) is the longest wait a timer can express.
  if (!Number.isFinite(ms) || ms <= 0 || ms > 0x7fffffff)
    throw new UsageError(`${name} must be a duration such as 500ms, 30s, 5m or 1h, got: ${text}`);
  return ms;
}
