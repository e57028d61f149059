/**
 * Ctrl-Z and fg as in bash. Node's readline, left to itself, stops the process on Ctrl-Z and on
 * SIGCONT pauses its input and waits for someone to resume it: the shell came back frozen. Here both
 * Ctrl-Z (readline's SIGTSTP) and a SIGTSTP from outside hand the terminal back in cooked mode and stop;
 * once continued, raw mode is back, input is read again and the caller redraws the prompt.
 */
export interface JobControl {
  /** Stops the process (Ctrl-Z). */
  suspend(): void;
  /** Removes the signal handler. */
  dispose(): void;
}

export function jobControl(input: NodeJS.ReadableStream, onContinue: () => void): JobControl {
  const tty = input as NodeJS.ReadStream;
  if (!tty.isTTY || process.platform === 'win32') return { suspend: () => undefined, dispose: () => undefined };
  const suspend = (): void => {
    tty.setRawMode(false);
    // With no listener SIGTSTP has its default action: the process stops inside kill() and goes on when
    // continued. The kernel drops it when nobody could continue us (an orphaned process group).
    process.off('SIGTSTP', suspend);
    try {
      process.kill(process.pid, 'SIGTSTP');
    } finally {
      process.on('SIGTSTP', suspend);
      tty.setRawMode(true);
      tty.resume();
      onContinue();
    }
  };
  process.on('SIGTSTP', suspend);
  return { suspend, dispose: () => process.off('SIGTSTP', suspend) };
}
