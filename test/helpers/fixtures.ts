import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: tests run from dist/, but fixtures live in the repo's test/fixtures/. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const fixturePath = (...parts: string[]): string => path.join(REPO_ROOT, 'test', 'fixtures', ...parts);

/** Reads a .hex fixture (comment lines start with #) as bytes. */
export function hexFixture(name: string): Buffer {
  const text = fs.readFileSync(fixturePath('bytes', `${name}.hex`), 'utf8');
  const hex = text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join(' ')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}
