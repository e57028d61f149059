// Where a secret comes from when it is not on the command line: -E VAR / --password-env VAR or
// -F FILE / --password-file FILE (addauth and admin -auth). Errors name the variable or file, never a value.
import fs from 'node:fs';
import { PASSWORD_OPTIONS } from '../shell/redact.js';
import { UsageError } from './spec.js';

export interface SecretSource {
  kind: 'env' | 'file';
  where: string;
  /** The option as typed (-E, --password-file, …), for messages. */
  option: string;
}

/**
 * If `words[i]` is -E/-F/--password-env/--password-file (or --password-x=V), the source it names and
 * how many words it took; else undefined.
 */
export function secretOption(
  cmd: string,
  words: readonly string[],
  i: number,
): { source: SecretSource; used: number } | undefined {
  const w = words[i]!;
  const eq = /^(--password-(?:env|file))=(.*)$/.exec(w);
  const option = eq?.[1] ?? w;
  const kind = PASSWORD_OPTIONS[option];
  if (!kind) return undefined;
  const where = eq ? eq[2] : words[i + 1];
  if (!where) throw new UsageError(`${cmd}: ${option} needs a value`);
  return { source: { kind, where, option }, used: eq ? 1 : 2 };
}

export function readSecret(cmd: string, { kind, where }: SecretSource): string {
  if (kind === 'env') {
    const v = process.env[where];
    if (v === undefined || v === '') throw new UsageError(`${cmd}: environment variable ${where} is not set or empty`);
    return v;
  }
  let text: string;
  try {
    text = fs.readFileSync(where, 'utf8');
  } catch (e) {
    throw new UsageError(
      `${cmd}: cannot read password file ${where}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  // As ZooKeeper reads secret files: one trailing line break is not part of the secret.
  const v = text.replace(/\r?\n$/, '');
  if (v === '') throw new UsageError(`${cmd}: password file ${where} is empty`);
  return v;
}
