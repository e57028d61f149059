/** zkCli's single-dash long options, rewritten to GNU form before commander parses (it rejects -server). */
const LEGACY: Record<string, string> = {
  '-server': '--server',
  '-timeout': '--timeout',
  '-waitforconnection': '--waitforconnection',
  '-client-configuration': '--client-configuration',
};

/**
 * How --help and the man page name an option: zkCli's single-dash spelling first, since that is what
 * people type (`-server, --server <host:port>`).
 */
export function legacyTerm(flags: string): string {
  const legacy = Object.keys(LEGACY).find((k) => flags === LEGACY[k] || flags.startsWith(`${LEGACY[k]} `));
  return legacy ? `${legacy}, ${flags}` : flags;
}

/** Options that take a value, so their value is never mistaken for the first command word. */
const VALUED = new Set([
  '--server',
  '--timeout',
  '--client-configuration',
  '-c',
  '--command',
  '-f',
  '--file',
  '--format',
  '--history-file',
  '--jaas',
  '--sasl-user',
  '--sasl-password-file',
  '--sasl-mechanism',
  '--port',
  '--data-dir',
  '--zxid',
  '--at',
]);

/**
 * Rewrites the legacy options that come before the command. Everything from the first word that is not
 * an option (the command) on is left exactly as given: it belongs to the command.
 */
export function rewriteLegacyArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      out.push(...argv.slice(i));
      break;
    }
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = LEGACY[a] ?? a;
    out.push(name);
    if (VALUED.has(name) && i + 1 < argv.length) out.push(argv[++i]!);
  }
  return out;
}
