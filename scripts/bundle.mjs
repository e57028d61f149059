// One-shot start time is dominated by module loading: ship the CLI minified and bundled. Splitting
// keeps what only some runs need (REPL, sandbox, AdminServer, scripts, and their Node built-ins) in
// chunks loaded on demand; prompts, tables and colour load from node_modules when used.
import { build } from 'esbuild';

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
