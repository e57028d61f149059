import fs from 'node:fs';

/** One place a secret was found. The report never prints the secret itself. */
export interface SecretFinding {
  source: string;
  secretIndex: number;
  form: string;
  context: string;
}

/** The forms a secret can take on its way out: as typed, JSON-escaped, base64, hex. */
const forms = (secret: string): [string, string][] => [
  ['raw', secret],
  ['json', JSON.stringify(secret).slice(1, -1)],
  ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
  ['hex', Buffer.from(secret).toString('hex')],
];

/**
 * Every occurrence of any secret, in any of its forms, in the named sources (text or Buffer). Secrets
 * should be distinctive (e.g. "pw-inline-7f3a") so a hit means a leak. Used for digest secrets here;
 * add SASL/JAAS/key-store passwords as further entries.
 */
export function findSecrets(
  secrets: readonly string[],
  sources: Readonly<Record<string, string | Buffer>>,
): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const [source, value] of Object.entries(sources)) {
    const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
    secrets.forEach((secret, secretIndex) => {
      for (const [form, needle] of forms(secret)) {
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
          const context = text
            .slice(Math.max(0, at - 30), at + needle.length + 30)
            .split(needle)
            .join('<SECRET>');
          out.push({ source, secretIndex, form, context: JSON.stringify(context) });
        }
      }
    });
  }
  return out;
}

/** Fails with every finding (secret masked) when any secret reached any source. */
export function assertNoSecrets(secrets: readonly string[], sources: Readonly<Record<string, string | Buffer>>): void {
  const found = findSecrets(secrets, sources);
  if (found.length) {
    throw new Error(
      `secret leaked:\n${found.map((f) => `  ${f.source}: secret #${f.secretIndex} (${f.form}) in ${f.context}`).join('\n')}`,
    );
  }
}

/** A file's bytes as a source ('' when it does not exist). */
export const fileSource = (file: string): Buffer => (fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0));
