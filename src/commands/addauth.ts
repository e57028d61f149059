import { OK } from '../output/json-shape.js';
import { isRedacted, REDACTED } from '../shell/redact.js';
import { arg, opt } from './common.js';
import { readSecret, secretOption, type SecretSource } from './secret-source.js';
import { UsageError, type CommandContext, type CommandSpec } from './spec.js';

/** Words as typed: parsed here so that no error ever echoes a word that may be a secret. */
function parseWords(words: readonly string[]): { scheme: string; auth?: string; from?: SecretSource } {
  const [scheme, ...rest] = words;
  if (!scheme) throw new UsageError('missing argument: scheme');
  let auth: string | undefined;
  let from: SecretSource | undefined;
  for (let i = 0; i < rest.length; i++) {
    const opt = secretOption('addauth', rest, i);
    if (opt) {
      if (from) throw new UsageError('addauth: give one of --password-env and --password-file');
      from = opt.source;
      i += opt.used - 1;
    } else if (auth === undefined) auth = rest[i]!;
    else throw new UsageError('addauth takes one auth argument (quote it if it has spaces)');
  }
  return { scheme, ...(auth !== undefined ? { auth } : {}), ...(from ? { from } : {}) };
}

async function ask(ctx: CommandContext, scheme: string, user: string | undefined): Promise<string> {
  return ctx.password(`Password for ${scheme}${user ? ` user ${user}` : ''}: `);
}

export default {
  name: 'addauth',
  summary: 'add credentials to the session',
  usage: 'scheme auth',
  options: {
    'password-env': opt(
      'E',
      'read the password (digest) or auth from this environment variable (also --password-env)',
      'VAR',
    ),
    'password-file': opt('F', 'read it from this file; one trailing newline is dropped (also --password-file)', 'file'),
  },
  args: [arg('scheme', 'scheme'), arg('auth', 'auth', true)],
  needsConnection: true,
  raw: true,
  help:
    'For digest, auth is user:password. Secrets need not be on a command line: "addauth digest user" ' +
    'asks for the password without echo, -E VAR / --password-env VAR and -F FILE / --password-file FILE ' +
    `read it, and ZK_SHELL_AUTH=scheme:auth adds credentials to every session. Credentials are replayed ` +
    `after reconnects and never written to history: the line is kept as user:${REDACTED}. Running such a line ` +
    'again (redo, Up-arrow) asks for the password in the shell and is refused in scripts.',
  examples: [
    'addauth digest alice',
    'addauth digest alice -E ZK_PASSWORD',
    'addauth digest alice --password-file /run/secrets/zk',
  ],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const { scheme, auth: given, from } = parseWords(p.args);
    let auth = given;
    if (from) {
      const value = from.kind === 'env' ? 'VAR' : 'FILE';
      if (scheme === 'digest' && (!given || given.includes(':')))
        throw new UsageError(`addauth digest USER ${from.option} ${value}: give the user alone`);
      if (scheme !== 'digest' && given !== undefined)
        throw new UsageError(`addauth ${scheme}: give the auth or ${from.option}, not both`);
      const secret = readSecret('addauth', from);
      auth = scheme === 'digest' ? `${given}:${secret}` : secret;
    } else if (auth !== undefined && isRedacted(scheme, auth)) {
      // A history line run again: the secret was never kept, so "***" must not become the password.
      const user = scheme === 'digest' ? auth.slice(0, -REDACTED.length - 1) : undefined;
      if (!ctx.interactive || (scheme === 'digest' && !user)) {
        throw new UsageError(
          `addauth: ${REDACTED} stands for a secret that was not kept in history; type it again or use --password-env / --password-file`,
        );
      }
      ctx.note(`addauth: the ${scheme === 'digest' ? 'password' : 'auth'} was not kept in history`);
      const pass = await ask(ctx, scheme, user);
      auth = scheme === 'digest' ? `${user}:${pass}` : pass;
    } else if (auth === undefined || (scheme === 'digest' && !auth.includes(':'))) {
      const pass = await ask(ctx, scheme, auth);
      auth = scheme === 'digest' ? `${auth ?? ''}:${pass}` : pass;
    }
    await ctx.zk.addAuth(scheme, auth);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
