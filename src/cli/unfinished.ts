// A command whose promise never settles while nothing else keeps Node running (a lost wake-up in a walk, say)
// would end with exit 0 and no word: a script would read "done". When the event loop drains with the command
// still pending, say so and exit with the internal-error status instead.
import { EXIT } from '../shell/exit-codes.js';

/** Resolves with the command's status; if Node is about to exit while it is still pending, exits 70 with a line. */
export async function untilFinished(command: Promise<number>): Promise<number> {
  let finished = false;
  const drained = (): void => {
    if (finished) return;
    process.stderr.write('zk-shell: internal error: the command stopped without finishing (please report it)\n');
    process.exit(EXIT.INTERNAL.code);
  };
  process.on('beforeExit', drained);
  try {
    return await command;
  } finally {
    finished = true;
    process.off('beforeExit', drained);
  }
}
