// One-shot start time is dominated by module loading: ship the CLI minified and bundled. Splitting
// keeps what only some runs need (REPL, sandbox, AdminServer, scripts, and their Node built-ins) in
// chunks loaded on demand; prompts, tables and colour load from node_modules when used.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { buildSnapshot } from './build-snapshot.mjs';

fs.rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  outdir: 'dist/bundle',
  // kerberos: an optional native package, loaded only for GSSAPI.
  external: ['@inquirer/prompts', 'cli-table3', 'chalk', 'kerberos'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (commander) call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __zkShellRequire } from 'node:module'; const require = __zkShellRequire(import.meta.url);",
  },
});

// The same CLI as one CommonJS file for the start-up snapshot (scripts/build-snapshot.mjs), which
// loads a single script and no ES modules. Everything is bundled in: the snapshot cannot load packages
// from node_modules at build time. import.meta.url becomes the bundle's path at run time.
// Every byte of the snapshot is read at every start (~3 ms per MB). @inquirer/prompts re-exports every
// prompt, and its editor prompt pulls in iconv-lite (half the bundle): take only the prompts we use.
const onlyOurPrompts = {
  name: 'only-our-prompts',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: 'prompts', namespace: 'zk-shell' }));
    b.onLoad({ filter: /^prompts$/, namespace: 'zk-shell' }, () => ({
      contents: ['password', 'confirm', 'input']
        .map((p) => `export { default as ${p} } from '@inquirer/${p}';`)
        .join('\n'),
      resolveDir: path.dirname(createRequire(import.meta.url).resolve('@inquirer/prompts/package.json')),
    }));
  },
};

await build({
  entryPoints: ['src/cli/snapshot-entry.ts'],
  plugins: [onlyOurPrompts],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/snapshot/zk-shell.cjs',
  external: ['kerberos'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': 'globalThis.__zkShellUrl' },
  banner: {
    js: "globalThis.__zkShellFile = __filename; Object.defineProperty(globalThis, '__zkShellUrl', { get: () => require('node:url').pathToFileURL(globalThis.__zkShellFile).href });",
  },
});
// A snapshot cannot import(): it fails only when that line runs. Catch any left at build time instead.
const left = fs.readFileSync('dist/snapshot/zk-shell.cjs', 'utf8').match(/\bimport\([^)]{0,40}\)/g);
if (left) throw new Error(`dist/snapshot/zk-shell.cjs: import() cannot run in a start-up snapshot: ${left.join(', ')}`);
buildSnapshot();
