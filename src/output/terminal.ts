// The one escaping function for text on its way to a terminal. Anything that came from a server
// (data, names, ACL ids, quota text, identities, 4lw/AdminServer output, errors echoing them) can
// hold escape sequences that retitle, clear or rewrite the screen; the sinks of the shell pass every
// string through here when they write to a terminal. Piped output is left byte-exact, as zkCli's.

// C0 controls except TAB and LF, DEL, and C1 controls (0x9b is a one-byte CSI on some terminals),
// and the Unicode bidi controls (ALM, LRM, RLM, embeddings/overrides, isolates), which reorder what is
// shown: "/bidi\u202egpj.exe" would read as "/bidiexe.jpg".
export const BIDI = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';

const UNSAFE = new RegExp(`[\u0000-\u0008\u000b-\u001f\u007f-\u009f${BIDI}]`, 'g');

/** \xNN below U+0100, else \uNNNN (lowercase hex, as written in the README). */
const escapeChar = (c: string): string => {
  const n = c.charCodeAt(0);
  return n > 0xff ? `\\u${n.toString(16).padStart(4, '0')}` : `\\x${n.toString(16).padStart(2, '0')}`;
};

/** Control characters other than newline and tab, and bidi controls, shown escaped so nothing can drive or reorder the terminal. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Whether a string holds anything terminalSafe would escape. */
export const hasUnsafe = (text: string): boolean => new RegExp(UNSAFE.source).test(text);

// Every control character but TAB, newlines included: an error message is one line whatever it echoes
// (zkCli's usage block indents with tabs).

const ANY_CONTROL = new RegExp(`[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029${BIDI}]`, 'g');

/** One line: control characters other than TAB (newlines too) and bidi controls escaped, for messages that echo user input. */
export function oneLine(text: string): string {
  return text.replace(ANY_CONTROL, escapeChar);
}
