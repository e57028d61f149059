/**
 * Runs f and returns its value, or the error it threw if that is an instance of one of `allowed`.
 * Any other exception propagates, failing the property that called it.
 */
export function typedOutcome<T>(f: () => T, allowed: readonly (abstract new (...a: never[]) => Error)[]): T | Error {
  try {
    return f();
  } catch (e) {
    if (!allowed.some((k) => e instanceof k))
      throw new Error(`unexpected ${(e as Error)?.constructor?.name}: ${String(e)}`, { cause: e });
    return e as Error;
  }
}
