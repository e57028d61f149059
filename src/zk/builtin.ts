// Node built-ins that take milliseconds to load (zlib, http, child_process, v8, readline, tls, crypto) are
// required on first use, so a one-shot command pays only for what it runs (see README "Performance").
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** `builtin<typeof zlib>('node:zlib')()` is the module, loaded on the first call. */
export function builtin<T>(name: `node:${string}`): () => T {
  let m: T | undefined;
  return () => (m ??= load(name) as T);
}
