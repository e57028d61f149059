import fs from 'node:fs';
import { parseProperties } from './client-config.js';

/**
 * The jute.maxbuffer the user asked for, if any: --max-buffer, then ZK_SHELL_MAX_BUFFER, then
 * `jute.maxbuffer` in the -client-configuration file (where zkCli users already set it).
 * Throws a one-line message on a value that is not a size.
 */
export function explicitMaxBuffer(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  configFile: string | undefined,
): number | undefined {
  if (option !== undefined) return parseSize(option, '--max-buffer');
  const fromEnv = env['ZK_SHELL_MAX_BUFFER'];
  if (fromEnv !== undefined && fromEnv !== '') return parseSize(fromEnv, 'ZK_SHELL_MAX_BUFFER');
  if (configFile) {
    let text: string;
    try {
      text = fs.readFileSync(configFile, 'utf8');
    } catch {
      return undefined; // loadClientConfig reports an unreadable file
    }
    const v = parseProperties(text)['jute.maxbuffer'];
    if (v !== undefined) return parseSize(v, `jute.maxbuffer in ${configFile}`);
  }
  return undefined;
}

/** Bytes, as a plain integer (Java's form) or with a k/m/g suffix (powers of 1024). */
export function parseSize(text: string, what: string): number {
  const m = /^\s*(\d+)\s*([kKmMgG]i?[bB]?)?\s*$/.exec(text);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2]?.[0] ?? '').toLowerCase()] ?? 1;
  const n = m ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(n) || n < 1024 || n > 0x7fffffff) {
    throw new Error(`${what} takes a size in bytes between 1024 and 2147483647 (e.g. 4194304, 4M or 1G), got: ${text}`);
  }
  return n;
}
