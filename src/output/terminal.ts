// The one escaping function for text on its way to a terminal. Anything that came from a server
// (data, names, ACL ids, quota text, identities, 4lw/AdminServer output, errors echoing them) can
// hold escape sequences that retitle, clear or rewrite the screen; the sinks of the shell pass every
// string through here when they write to a terminal. Piped output is left byte-exact, as zkCli's.

// C0 controls except TAB and LF, DEL, and C1 controls (0x9b is a one-byte CSI on some terminals).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Control characters other than newline and tab, shown as \xNN so nothing can drive the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Whether a string holds anything terminalSafe would escape. */
export const hasUnsafe = (text: string): boolean => new RegExp(UNSAFE.source).test(text);

// Every control character but TAB, newlines included: an error message is one line whatever it echoes
// (zkCli's usage block indents with tabs).
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

/** One line: control characters other than TAB (newlines too) as \xNN, for messages that echo user input. */
export function oneLine(text: string): string {
  return text.replace(ANY_CONTROL, (c) => (c.charCodeAt(0) > 0xff ? `\\u${c.charCodeAt(0).toString(16)}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
