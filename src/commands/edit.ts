import { obj, STAT } from '../output/json-shape.js';
import { editorCommand, editText } from '../shell/editor.js';
import { Code, ZkError } from '../zk/errors.js';
import { arg, dataArg, need, noMore, opt } from './common.js';
import { CommandFailed, UsageError, type CommandSpec } from './spec.js';

/** Text an editor can show and give back unchanged: valid UTF-8 with no control characters but tab, CR, LF. */
const isText = (b: Buffer): boolean => {
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
};

export default {
  name: 'edit',
  summary: "edit a znode's data in $VISUAL/$EDITOR (vi), written back only if changed",
  usage: '[-b] path',
  options: { base64: opt('b', 'edit the data as base64 text (for binary data)') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Opens $VISUAL, else $EDITOR, else vi on the data in a temp file (mode 0600, in a private directory, ' +
    'removed after). When the editor exits with status 0 and the text changed, it is written back with ' +
    'the version that was read (as set -v): if another client changed the node meanwhile, both versions ' +
    'are named and nothing is overwritten. An editor that fails (non-zero status) writes nothing. Data ' +
    "that is not text (not UTF-8, or with control characters) is refused unless -b, which edits it as base64. The editor's " +
    'final newline is ignored when the data had none. A node without data (null) stays null unless text is written.',
  examples: ['edit /app/config', 'VISUAL="code -w" zk-shell -server zk1:2181 edit /app/config', 'edit -b /app/blob'],
  json: obj({ path: 'string', changed: 'boolean', 'stat?': STAT }),
  table: 'key/value: path, changed',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const base64 = !!p.options['base64'];
    const { data, stat } = await ctx.zk.getData(path);
    const old = data ?? Buffer.alloc(0);
    if (!base64 && !isText(old))
      throw new CommandFailed(`edit: ${path} holds binary data; use edit -b to edit it as base64`);
    const shown = base64 ? Buffer.from(`${(old.toString('base64').match(/.{1,76}/g) ?? []).join('\n')}\n`) : old;
    // Editors end the last line with a newline; one that was not in the data is not a change.
    // (Empty data included: typing `x` into an empty file gives `x`, not `x\n`.)
    const bare = shown[shown.length - 1] !== 0x0a;
    const edited = await ctx.withTerminal(() =>
      editText(
        bare && shown.length > 0 ? Buffer.concat([shown, Buffer.from('\n')]) : shown,
        path.slice(path.lastIndexOf('/') + 1),
      ),
    );
    const editor = editorCommand();
    if ('signal' in edited.exit)
      throw new CommandFailed(`edit: the editor (${editor}) was ended by ${edited.exit.signal}; nothing was written`);
    if (edited.exit.status !== 0)
      throw new CommandFailed(
        `edit: the editor (${editor}) exited with status ${edited.exit.status}; nothing was written`,
      );
    let text = edited.text;
    if (bare && text.length > 0 && text[text.length - 1] === 0x0a) text = text.subarray(0, text.length - 1);
    let next: Buffer;
    try {
      next = base64 ? dataArg(text.toString('utf8').replace(/\s+/g, ''), true) : text;
    } catch (e) {
      if (e instanceof UsageError)
        throw new CommandFailed(`edit: the edited text is not valid base64; nothing was written`);
      throw e;
    }
    if (next.equals(old)) return { type: 'edited', path, changed: false };
    try {
      const written = await ctx.zk.setData(path, next, stat.version);
      return { type: 'edited', path, changed: true, stat: written };
    } catch (e) {
      if (!(e instanceof ZkError)) throw e;
      if (e.code === Code.NONODE)
        throw new CommandFailed(`edit: ${path} was deleted while it was being edited; nothing was written`);
      if (e.code !== Code.BADVERSION) throw e;
      const now = await ctx.zk.exists(path).catch(() => null);
      throw new CommandFailed(
        `edit: ${path} was changed by another client while it was being edited; nothing was written`,
        [
          `version read: ${stat.version}, version now: ${now ? now.version : 'unknown'} (edit again to start from the new data)`,
        ],
      );
    }
  },
} as const satisfies CommandSpec;
