const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      weekday: 'short',
      month: 'short',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      year: 'numeric',
      hourCycle: 'h23',
      timeZoneName: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

/** Java's Date.toString(): "EEE MMM dd HH:mm:ss zzz yyyy" in the local zone, e.g. "Sun Nov 22 02:48:55 UTC 2026". */
export function javaDate(epochMs: bigint | number, timeZone?: string): string {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(Number(epochMs)))
      .map((p) => [p.type, p.value]),
  );
  return `${parts['weekday']} ${parts['month']} ${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${parts['timeZoneName']} ${parts['year']}`;
}
