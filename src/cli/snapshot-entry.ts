// The start-up snapshot's entry (see scripts/build-snapshot.mjs and bin/zk-shell): evaluated once when the
// blob is built, so a run starts with every module loaded and the option parser compiled. Nothing here
// may capture the build machine's state (environment, terminal, time zone): it would be frozen in.
import v8 from 'node:v8';
import { buildProgram, main } from './main.js';
import { rewriteLegacyArgs } from './argv.js';
import { warmUp } from './snapshot-warmup.js';

declare global {
  // The bundle's real path, for import.meta.url in the CommonJS build (scripts/bundle.mjs defines it).
  var __zkShellFile: string;
}

// Parse a typical command line a few times so that V8 compiles commander and the option table into the
// snapshot instead of at every start. (Loaded other than by the snapshot builder, this module does nothing.)
const building = v8.startupSnapshot.isBuildingSnapshot();
for (let i = 0; building && i < 3; i++) {
  const program = buildProgram({}).exitOverride();
  program.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    program.parse(rewriteLegacyArgs(['-server', '127.0.0.1:2181', '-timeout', '5000', 'get', '-s', '/x']), {
      from: 'user',
    });
  } catch {
    // exitOverride throws on anything commander would exit for: not expected, and harmless here.
  }
}

// And one `get` and one `ls` against a fake server: the client, the shell and Node's net code compiled too.
if (building)
  warmUp().catch((e: unknown) => {
    process.stderr.write(`zk-shell snapshot: warm-up failed (the blob works, a little slower): ${String(e)}\n`);
  });

// bin/zk-shell runs `node --snapshot-blob BLOB -- BUNDLE ARGS…`: argv[1] is the bundle, as in a plain run.
if (building)
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    globalThis.__zkShellFile = process.argv[1]!;
    void main(process.argv.slice(2));
  });
