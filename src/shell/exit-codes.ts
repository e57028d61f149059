/** The one table of exit codes; --help and the man page print it from here. */
export const EXIT = {
  OK: { code: 0, meaning: 'success' },
  FAILED: { code: 1, meaning: 'the command failed (a ZooKeeper error, a partial failure, a missing quota, …)' },
  USAGE: { code: 2, meaning: 'usage error: bad option, missing or malformed argument, bad number, bad quoting' },
  NOT_CONNECTED: { code: 3, meaning: 'could not connect to ZooKeeper, or the connection was lost' },
  EXPIRED: { code: 4, meaning: 'the session expired' },
  AUTH_FAILED: { code: 5, meaning: 'authentication failed (the server closed the session)' },
  INTERRUPTED: { code: 130, meaning: 'interrupted (Ctrl-C)' },
  BROKEN_PIPE: {
    code: 141,
    meaning: 'the reader of the output went away (`… | head`), as a process killed by SIGPIPE',
  },
  UNKNOWN_COMMAND: { code: 127, meaning: 'unknown command (as zkCli)' },
  INTERNAL: { code: 70, meaning: 'internal error: a bug in zk-shell, please report it' },
} as const;

export type ExitName = keyof typeof EXIT;
