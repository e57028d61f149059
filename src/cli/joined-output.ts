// Scripted runs print a line per command ("Created /x" on stderr for each of 10,000 creates): one
// write(2) per line was 7% of a 10k-line script. Consecutive writes to the same stream are joined and
// written once per turn of the event loop (or every 64 KB); a switch of stream writes what came before
// first, so stdout and stderr interleave exactly as written, also when both go to one file (2>&1).

export interface JoinedOutput {
  out(text: string): void;
  err(text: string): void;
  /** Writes what is pending (also run at process exit, which writes synchronously to files and pipes). */
  flush(): void;
}

export function joinedOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): JoinedOutput {
  let to: NodeJS.WritableStream | null = null;
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    if (pending.length > 0 && to) to.write(pending);
    pending = '';
  };
  const later = (): void => {
    scheduled = false;
    flush();
  };
  const add = (stream: NodeJS.WritableStream, text: string): void => {
    if (stream !== to) {
      flush();
      to = stream;
    }
    pending += text;
    if (pending.length >= 64 * 1024) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(later);
    }
  };
  process.on('exit', flush);
  // A terminating signal skips 'exit': write what is pending, then die of the signal as before (143, 129),
  // unless someone else (the sandbox) handles it.
  for (const sig of ['SIGTERM', 'SIGHUP'] as const)
    process.once(sig, () => {
      flush();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  return { out: (t) => add(stdout, t), err: (t) => add(stderr, t), flush };
}
